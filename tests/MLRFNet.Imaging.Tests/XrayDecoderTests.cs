using System.Text;
using MLRFNet.Tests;

namespace MLRFNet.Imaging.Tests;

public class XrayDecoderTests
{
    [Fact]
    public void Detect_UsesMagicBytes()
    {
        Assert.Equal(XrayFormat.Png, XrayDecoder.Detect(TestImages.Gray8Png(4, 4)));
        Assert.Equal(XrayFormat.Jpeg, XrayDecoder.Detect(TestImages.Jpeg(8, 8, gray: true)));
        Assert.Equal(XrayFormat.Dicom, XrayDecoder.Detect(DicomTestWriter.Grayscale(DicomTestWriter.ExplicitLittle, 1, 1, 8, 8, false, [0]).Build()));
        Assert.Null(XrayDecoder.Detect("GIF89a.........."u8));
        Assert.Null(XrayDecoder.Detect(new byte[200]));     // a zero preamble without DICM is not DICOM
    }

    [Fact]
    public void Decode_ZeroBytes_IsEmpty()
    {
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(ReadOnlySpan<byte>.Empty));
        Assert.Equal(DecodeErrorKind.Empty, e.Kind);
        Assert.Contains("0 bytes", e.Message);
    }

    [Fact]
    public void DecodeFile_TextFileNamedPng_IsUnknownFormatSayingText()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlrfnet-{Guid.NewGuid():N}.png");
        File.WriteAllText(path, "Patient list\nid,label\n1,Effusion\n", Encoding.ASCII);
        try
        {
            var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.DecodeFile(path));
            Assert.Equal(DecodeErrorKind.UnknownFormat, e.Kind);
            Assert.Contains("looks like text", e.Message);
            Assert.Contains("not the file extension", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DecodeFile_EmptyFile_IsEmpty()
    {
        var path = Path.GetTempFileName();
        try
        {
            Assert.Equal(DecodeErrorKind.Empty, Assert.Throws<XrayDecodeException>(() => XrayDecoder.DecodeFile(path)).Kind);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DecodeFile_OverMaxFileBytes_IsTooLargeBeforeReading()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, TestImages.Gray8Png(64, 64));
            var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.DecodeFile(path, new DecodeLimits { MaxFileBytes = 100 }));
            Assert.Equal(DecodeErrorKind.TooLarge, e.Kind);
            Assert.Contains("MaxFileBytes", e.Message);
            Assert.Equal(64, XrayDecoder.DecodeFile(path).Width);   // and the default limits accept it
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Decode_PngSignatureCutShort_IsTruncated()
    {
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(TestImages.Gray8Png(4, 4).AsSpan(0, 5)));
        Assert.Equal(DecodeErrorKind.Truncated, e.Kind);
    }

    [Fact]
    public void Decode_InvalidLimits_AreRejectedUpFront()
    {
        var e = Assert.Throws<ArgumentException>(() => XrayDecoder.Decode(TestImages.Gray8Png(4, 4), new DecodeLimits { MaxPixels = 0 }));
        Assert.Contains("MaxPixels", e.Message);
    }
}
