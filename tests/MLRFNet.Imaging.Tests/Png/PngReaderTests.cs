using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Imaging.Tests.Png;

public class PngReaderTests
{
    [Fact]
    public void Gray8_IsExact()
    {
        var image = XrayDecoder.Decode(TestImages.Gray8Png(40, 30));
        Assert.Equal((40, 30, 8, XrayFormat.Png), (image.Width, image.Height, image.SourceBitDepth, image.Format));
        Assert.Null(image.Dicom);
        for (var y = 0; y < 30; y++)
            for (var x = 0; x < 40; x++) Assert.Equal(TestImages.Pattern8(x, y), image.Pixels[y * 40 + x]);
    }

    /// <summary>Catches 16-bit PNG truncated to 8 bits (v >> 8) or scaled by 1/256 instead of 1/257.</summary>
    [Fact]
    public void Gray16_IsDividedBy257()
    {
        var image = XrayDecoder.Decode(TestImages.Gray16Png(33, 21));
        Assert.Equal(16, image.SourceBitDepth);
        for (var y = 0; y < 21; y++)
            for (var x = 0; x < 33; x++) Assert.Equal(TestImages.Pattern16(x, y) / 257f, image.Pixels[y * 33 + x]);
    }

    [Fact]
    public void Rgb16_GrayStoredAsColour_IsDividedBy257()
    {
        using var source = new Image<Rgb48>(17, 9);
        for (var y = 0; y < 9; y++)
            for (var x = 0; x < 17; x++) { var v = TestImages.Pattern16(x, y); source[x, y] = new Rgb48(v, v, v); }
        var image = XrayDecoder.Decode(TestImages.Encode(source, PngColorType.Rgb, PngBitDepth.Bit16));
        Assert.Equal(16, image.SourceBitDepth);
        Assert.Equal(TestImages.Pattern16(5, 3) / 257f, image.Pixels[3 * 17 + 5]);
        Assert.Equal(TestImages.Pattern16(16, 8) / 257f, image.Pixels[8 * 17 + 16]);
    }

    /// <summary>The 30000×30000 header must fail from IHDR alone, before ImageSharp allocates ~900 MB.</summary>
    [Fact]
    public void HugeDimensionsInIhdr_AreTooLarge()
    {
        var png = WithIhdrSize(TestImages.Gray8Png(8, 8), 30000, 30000);
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(png));
        Assert.Equal(DecodeErrorKind.TooLarge, e.Kind);
        Assert.Contains("30000x30000", e.Message);
        var small = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(TestImages.Gray8Png(64, 64), new DecodeLimits { MaxWidth = 32 }));
        Assert.Equal(DecodeErrorKind.TooLarge, small.Kind);
    }

    [Fact]
    public void ZeroWidth_IsMalformed()
    {
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(WithIhdrSize(TestImages.Gray8Png(8, 8), 0, 8)));
        Assert.Equal(DecodeErrorKind.Malformed, e.Kind);
        Assert.Contains("0x8", e.Message);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.2)]
    public void CutShort_IsTruncated(double fraction)
    {
        var png = TestImages.Gray8Png(64, 64);
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(png.AsSpan(0, (int)(png.Length * fraction))));
        Assert.Equal(DecodeErrorKind.Truncated, e.Kind);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void MissingIend_IsTruncated()
    {
        var png = TestImages.Gray8Png(16, 16);
        Assert.Equal(DecodeErrorKind.Truncated, Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(png.AsSpan(0, png.Length - 12))).Kind);
    }

    /// <summary>
    /// Damaged image data with an intact chunk structure must come out typed: here the IDAT chunk's CRC no longer
    /// matches (libpng and Pillow refuse such a file too). Damage behind a recomputed CRC, where zlib itself fails, is
    /// <see cref="PngPixelDecoderTests.DeflateErrorBehindAValidCrc_IsMalformedWithZlibsError"/>.
    /// </summary>
    [Fact]
    public void CorruptImageData_IsMalformed()
    {
        var png = TestImages.Gray8Png(64, 64);
        var idat = png.AsSpan().IndexOf("IDAT"u8);
        for (var i = idat + 6; i < idat + 40; i++) png[i] ^= 0x5A;
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(png));
        Assert.Equal(DecodeErrorKind.Malformed, e.Kind);
        Assert.Contains("CRC of the 'IDAT' chunk", e.Message);
    }

    /// <summary>Rewrites IHDR's size and recomputes its CRC, so only the size is wrong.</summary>
    internal static byte[] WithIhdrSize(byte[] png, uint width, uint height)
    {
        var copy = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), Crc32(copy.AsSpan(12, 17)));
        return copy;
    }

    // PNG's CRC-32 (ISO 3309, polynomial 0xEDB88320), PNG spec annex D.
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
