using System.Buffers.Binary;

namespace MLRFNet.Imaging.Tests.Jpeg;

public class JpegReaderTests
{
    [Fact]
    public void GrayJpeg_DecodesCloseToTheEncodedPattern()
    {
        var jpeg = TestImages.Jpeg(48, 32, gray: true, quality: 95);
        var image = XrayDecoder.Decode(jpeg);
        Assert.Equal((48, 32, 8, XrayFormat.Jpeg), (image.Width, image.Height, image.SourceBitDepth, image.Format));
        double error = 0;
        for (var y = 0; y < 32; y++)
            for (var x = 0; x < 48; x++)
                error += Math.Abs(image.Pixels[y * 48 + x] - (byte)(128 + 100 * Math.Sin(x / 5.0) * Math.Cos(y / 7.0)));
        Assert.True(error / (48 * 32) < 2.0, $"mean abs error {error / (48 * 32)} vs the encoded pattern");
    }

    /// <summary>Catches colour JPEG converted with ImageSharp's BT.709 gray instead of Pillow's BT.601.</summary>
    [Fact]
    public void ColourJpeg_IsBt601LumaOfTheDecodedRgb()
    {
        var jpeg = TestImages.Jpeg(40, 24, gray: false);
        var rgb = TestImages.DecodeRgb(jpeg);
        var image = XrayDecoder.Decode(jpeg);
        for (var i = 0; i < rgb.Length; i++)
        {
            var expected = Math.Round(0.299 * rgb[i].R + 0.587 * rgb[i].G + 0.114 * rgb[i].B);
            Assert.True(Math.Abs(image.Pixels[i] - expected) <= 1.0, $"pixel {i}: {image.Pixels[i]} vs BT.601 {expected}");
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.95)]
    public void CutShort_IsTruncated(double fraction)
    {
        var jpeg = TestImages.Jpeg(64, 64, gray: true);
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(jpeg.AsSpan(0, (int)(jpeg.Length * fraction))));
        Assert.Equal(DecodeErrorKind.Truncated, e.Kind);
        Assert.Contains("FF D9", e.Message);
    }

    [Fact]
    public void CutInsideHeaders_IsTruncated()
    {
        var jpeg = TestImages.Jpeg(64, 64, gray: true);
        Assert.Equal(DecodeErrorKind.Truncated, Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(jpeg.AsSpan(0, 30))).Kind);
    }

    [Fact]
    public void HugeFrameHeader_IsTooLarge()
    {
        var jpeg = TestImages.Jpeg(16, 16, gray: true);
        var sof = FrameHeader(jpeg);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), 30000);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 30000);
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(jpeg));
        Assert.Equal(DecodeErrorKind.TooLarge, e.Kind);
        Assert.Contains("30000x30000", e.Message);
    }

    [Theory]
    [InlineData(0xC3, "lossless")]
    [InlineData(0xC9, "arithmetic")]
    public void UnsupportedProcess_IsNamed(byte marker, string fragment)
    {
        var jpeg = TestImages.Jpeg(16, 16, gray: true);
        jpeg[FrameHeader(jpeg) + 1] = marker;
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(jpeg));
        Assert.Equal(DecodeErrorKind.UnsupportedAttribute, e.Kind);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void TwelveBitPrecision_IsUnsupported()
    {
        var jpeg = TestImages.Jpeg(16, 16, gray: true);
        jpeg[FrameHeader(jpeg) + 4] = 12;
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(jpeg));
        Assert.Equal(DecodeErrorKind.UnsupportedAttribute, e.Kind);
        Assert.Contains("12-bit", e.Message);
    }

    /// <summary>Offset of the FF C0 (baseline SOF) marker that ImageSharp's encoder writes.</summary>
    private static int FrameHeader(byte[] jpeg)
    {
        var at = jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]);
        Assert.True(at > 0, "ImageSharp's encoder wrote no SOF0 marker");
        return at;
    }
}
