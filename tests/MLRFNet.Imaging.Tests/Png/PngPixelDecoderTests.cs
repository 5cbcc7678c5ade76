using MLRFNet.Imaging.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using ColorType = SixLabors.ImageSharp.Formats.Png.PngColorType;

namespace MLRFNet.Imaging.Tests.Png;

/// <summary>
/// Our own PNG pixel decoder (<see cref="PngPixelDecoder"/>) against ImageSharp's decode of the same file, for every
/// filter type, colour type and bit depth it takes; the layouts it leaves to ImageSharp; and damaged image data.
/// </summary>
public class PngPixelDecoderTests
{
    public static TheoryData<PngFilterMethod, ColorType, PngBitDepth> OwnLayouts()
    {
        var data = new TheoryData<PngFilterMethod, ColorType, PngBitDepth>();
        foreach (var filter in new[] { PngFilterMethod.None, PngFilterMethod.Sub, PngFilterMethod.Up, PngFilterMethod.Average, PngFilterMethod.Paeth, PngFilterMethod.Adaptive })
            foreach (var color in new[] { ColorType.Grayscale, ColorType.GrayscaleWithAlpha, ColorType.Rgb, ColorType.RgbWithAlpha })
                foreach (var depth in new[] { PngBitDepth.Bit8, PngBitDepth.Bit16 })
                    data.Add(filter, color, depth);
        return data;
    }

    /// <summary>
    /// Catches: a filter reversed wrongly for some bytes per pixel (1, 2, 3, 4, 6, 8), e.g. Paeth's tie order,
    /// Average's carry, the first pixel of a row, a register-carried left byte of the wrong channel; 16-bit samples
    /// read little-endian or scaled by 1/256; alpha taken for gray or colour weighted differently from ImageSharp's
    /// path; a vector loop's tail (widths 1, 37 and 301 bytes-per-row around the vector size).
    /// </summary>
    [Theory]
    [MemberData(nameof(OwnLayouts))]
    public void EveryFilterColourTypeAndBitDepth_MatchesImageSharp(PngFilterMethod filter, ColorType color, PngBitDepth depth)
    {
        foreach (var (width, height) in new[] { (1, 1), (37, 23), (301, 6) })
        {
            var png = Encode(Noise(width, height, seed: width + (int)color), new PngEncoder { FilterMethod = filter, ColorType = color, BitDepth = depth });
            var header = PngHeader.Read(png, DecodeLimits.Default);
            Assert.True(PngPixelDecoder.Supports(header), $"{color} {depth} should be decoded by our decoder");
            if (filter != PngFilterMethod.Adaptive)
            {
                // The file really uses the filter under test on every row (else this test would check filter 0 only).
                var bytesPerPixel = (color switch { ColorType.Grayscale => 1, ColorType.GrayscaleWithAlpha => 2, ColorType.Rgb => 3, _ => 4 }) * (depth == PngBitDepth.Bit16 ? 2 : 1);
                Assert.All(PngFiles.RowFilters(png, width * bytesPerPixel, height), f => Assert.Equal((byte)filter, f));
            }
            AssertSamePixels(PngReader.DecodeWithImageSharp(png, header), XrayDecoder.Decode(png), $"{filter} {color} {depth} {width}x{height}");
        }
    }

    public static TheoryData<string> ImageSharpLayouts() => new(ImageSharpLayoutEncoders().Keys);

    private static Dictionary<string, PngEncoder> ImageSharpLayoutEncoders() => new()
    {
        ["gray1"] = new() { ColorType = ColorType.Grayscale, BitDepth = PngBitDepth.Bit1 },
        ["gray2"] = new() { ColorType = ColorType.Grayscale, BitDepth = PngBitDepth.Bit2 },
        ["gray4"] = new() { ColorType = ColorType.Grayscale, BitDepth = PngBitDepth.Bit4 },
        ["palette8"] = new() { ColorType = ColorType.Palette, BitDepth = PngBitDepth.Bit8 },
        ["palette4"] = new() { ColorType = ColorType.Palette, BitDepth = PngBitDepth.Bit4 },
        ["adam7-gray8"] = new() { ColorType = ColorType.Grayscale, BitDepth = PngBitDepth.Bit8, InterlaceMethod = PngInterlaceMode.Adam7 },
        ["adam7-gray16"] = new() { ColorType = ColorType.Grayscale, BitDepth = PngBitDepth.Bit16, InterlaceMethod = PngInterlaceMode.Adam7 },
        ["adam7-rgba8"] = new() { ColorType = ColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit8, InterlaceMethod = PngInterlaceMode.Adam7 },
    };

    /// <summary>
    /// Catches: an interlaced (Adam7), palette or 1/2/4-bit file sent down our decoder, which reads non-interlaced
    /// 8/16-bit samples only and would return scrambled pixels; they stay with ImageSharp.
    /// </summary>
    [Theory]
    [MemberData(nameof(ImageSharpLayouts))]
    public void InterlacedPaletteAndLowBitDepths_StayWithImageSharp(string layout)
    {
        var png = Encode(Noise(37, 23, seed: 11), ImageSharpLayoutEncoders()[layout]);
        var header = PngHeader.Read(png, DecodeLimits.Default);
        Assert.False(PngPixelDecoder.Supports(header));
        var image = XrayDecoder.Decode(png);
        AssertSamePixels(PngReader.DecodeWithImageSharp(png, header), image, layout);
        Assert.Equal(layout.StartsWith("palette") ? 8 : header.BitDepth, image.SourceBitDepth);
    }

    /// <summary>Catches: a branch-free Paeth that differs from the spec's (PNG spec 9.4) for any a, b, c, e.g. on ties.</summary>
    [Fact]
    public void PaethPredictor_IsTheSpecsForEveryByteTriple()
    {
        for (var a = 0; a < 256; a++)
            for (var b = 0; b < 256; b++)
                for (var c = 0; c < 256; c++)
                {
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    var expected = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    var actual = PngPixelDecoder.PaethPredictor(a, b, c);
                    if (actual != expected) Assert.Fail($"Paeth({a}, {b}, {c}) = {actual}, spec {expected}");
                }
    }

    /// <summary>
    /// A transparent colour (tRNS) is ignored like any alpha: the stored gray or colour decodes as ImageSharp's path
    /// decodes it. Catches: transparent pixels turned black (or alpha-blended) by our decoder only.
    /// </summary>
    [Theory]
    [InlineData(0, 8, new byte[] { 0, 0x40 })]                  // gray 8: value 0x40 is transparent
    [InlineData(0, 16, new byte[] { 0x12, 0x34 })]               // gray 16
    [InlineData(2, 8, new byte[] { 0, 0x40, 0, 0x41, 0, 0x42 })] // RGB 8: (0x40, 0x41, 0x42)
    public void TransparentColourChunk_IsIgnoredAsImageSharpsPathDoes(int colorType, int bitDepth, byte[] trns)
    {
        var bytesPerPixel = (colorType == 0 ? 1 : 3) * bitDepth / 8;
        var scanlines = Scanlines(8 * bytesPerPixel, 6, filter: 0, seed: 3);
        // Every other pixel is the transparent colour (tRNS holds 16-bit samples; 8-bit images use their low bytes).
        var transparent = bitDepth == 16 ? trns : trns.Where((_, k) => k % 2 == 1).ToArray();
        for (var y = 0; y < 6; y++)
            for (var x = 0; x < 8; x += 2) transparent.CopyTo(scanlines, y * (8 * bytesPerPixel + 1) + 1 + x * bytesPerPixel);
        var png = PngFiles.Build(8, 6, bitDepth, colorType, scanlines, beforeData: ("tRNS", trns));
        var header = PngHeader.Read(png, DecodeLimits.Default);
        Assert.True(PngPixelDecoder.Supports(header));
        AssertSamePixels(PngReader.DecodeWithImageSharp(png, header), XrayDecoder.Decode(png), $"colour type {colorType}, {bitDepth}-bit, tRNS");
    }

    /// <summary>Catches: IDAT chunks not joined in order (or only the first one read) before inflating.</summary>
    [Fact]
    public void ImageDataSplitOverManyIdatChunks_IsJoined()
    {
        var scanlines = Scanlines(40, 9, filter: 4, seed: 2);
        var one = XrayDecoder.Decode(PngFiles.Build(40, 9, 8, 0, scanlines));
        var seven = XrayDecoder.Decode(PngFiles.Build(40, 9, 8, 0, scanlines, idatChunks: 7));
        Assert.Equal(one.Pixels, seven.Pixels);
    }

    /// <summary>
    /// Catches: a deflate error escaping as zlib's own exception type (the service would not quarantine the file)
    /// when the damage sits behind a valid chunk CRC.
    /// </summary>
    [Fact]
    public void DeflateErrorBehindAValidCrc_IsMalformedWithZlibsError()
    {
        // BTYPE 11 in the first deflate block header is reserved (RFC 1951 3.2.3): zlib refuses it.
        var png = PngFiles.Build(16, 4, 8, 0, Scanlines(16, 4, filter: 0, seed: 1), tamperZlib: z => { z[2] |= 0b110; return z; });
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(png));
        Assert.Equal(DecodeErrorKind.Malformed, e.Kind);
        Assert.True(e.InnerException is InvalidDataException or IOException, $"inner: {e.InnerException}");
    }

    /// <summary>Catches: zlib's Adler-32 of the image data never checked (the stream is read only up to the last row).</summary>
    [Fact]
    public void WrongAdler32_IsMalformed()
    {
        var png = PngFiles.Build(16, 4, 8, 0, Scanlines(16, 4, filter: 0, seed: 1), tamperZlib: z => { z[^1] ^= 0xFF; return z; });
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(png));
        Assert.Equal(DecodeErrorKind.Malformed, e.Kind);
        Assert.True(e.InnerException is InvalidDataException or IOException, $"inner: {e.InnerException}");
    }

    /// <summary>Catches: an image whose data holds fewer rows than IHDR declares decoded with zero (or stale) rows.</summary>
    [Fact]
    public void TooFewRows_IsMalformed()
    {
        var png = PngFiles.Build(16, 4, 8, 0, Scanlines(16, 3, filter: 1, seed: 1));
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(png));
        Assert.Equal(DecodeErrorKind.Malformed, e.Kind);
        Assert.Contains("ends after 3 of the 4 rows", e.Message);
    }

    /// <summary>Catches: a filter type above 4 treated as "none" (or crashing with an index error) instead of refused.</summary>
    [Fact]
    public void UnknownFilterType_IsMalformed()
    {
        var scanlines = Scanlines(16, 4, filter: 2, seed: 1);
        scanlines[2 * 17] = 5;
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(PngFiles.Build(16, 4, 8, 0, scanlines)));
        Assert.Equal(DecodeErrorKind.Malformed, e.Kind);
        Assert.Contains("row 2 has filter type 5", e.Message);
    }

    /// <summary>Data after the last row is ignored, as libpng does; the rows IHDR declares are decoded.</summary>
    [Fact]
    public void DataAfterTheLastRow_IsIgnored()
    {
        var scanlines = Scanlines(16, 5, filter: 3, seed: 4);
        var exact = XrayDecoder.Decode(PngFiles.Build(16, 4, 8, 0, scanlines[..(4 * 17)]));
        var longer = XrayDecoder.Decode(PngFiles.Build(16, 4, 8, 0, scanlines));
        Assert.Equal(exact.Pixels, longer.Pixels);
    }

    /// <summary>Random filtered rows: each row a filter byte then random bytes, which every filter turns into valid pixels.</summary>
    private static byte[] Scanlines(int rowBytes, int rows, byte filter, int seed)
    {
        var random = new Random(seed);
        var data = new byte[rows * (rowBytes + 1)];
        random.NextBytes(data);
        for (var y = 0; y < rows; y++) data[y * (rowBytes + 1)] = filter;
        return data;
    }

    /// <summary>
    /// Noise, flat runs (where Paeth's ties decide) and ramps, every channel different, alpha varying: the mix that
    /// makes an adaptive encoder pick every filter and Paeth pick each of a, b and c.
    /// </summary>
    private static Image<Rgba64> Noise(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgba64>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                ushort Channel(int k) => (y % 3) switch
                {
                    0 => (ushort)random.Next(65536),
                    1 => (ushort)((x * 4099 + y * 257 * (k + 1)) & 0xFFFF),
                    _ => (ushort)(x < width / 2 ? 0x8080 * (k + 1) : random.Next(65536)),
                };
                image[x, y] = new Rgba64(Channel(0), Channel(1), Channel(2), Channel(3));
            }
        return image;
    }

    private static byte[] Encode(Image<Rgba64> image, PngEncoder encoder)
    {
        using (image)
        using (var stream = new MemoryStream())
        {
            image.Save(stream, encoder);
            return stream.ToArray();
        }
    }

    private static void AssertSamePixels(float[] expected, XrayImage actual, string what)
    {
        Assert.Equal(expected.Length, actual.Pixels.Length);
        for (var i = 0; i < expected.Length; i++)
            if (expected[i] != actual.Pixels[i])
                Assert.Fail($"{what}: pixel ({i % actual.Width}, {i / actual.Width}) is {actual.Pixels[i]}, ImageSharp {expected[i]}");
    }
}
