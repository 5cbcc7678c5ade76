using MLRFNet.Imaging.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Imaging.Tests.Png;

/// <summary><see cref="PngWriter"/>'s files decoded by ImageSharp (an independent decoder) and by ours.</summary>
public class PngWriterTests
{
    /// <summary>
    /// Catches: a lossy or wrongly filtered row (Average's rounding, the first row's or first pixel's missing neighbour,
    /// the vector loop's tail, the left neighbour of the wrong channel in RGBA), a broken chunk CRC or IDAT length.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 23)]
    [InlineData(301, 6)]
    public void Gray8_RoundTripsExactly(int width, int height)
    {
        var pixels = Pixels(width * height, seed: width);
        var png = PngWriter.Gray8(pixels, width, height);
        using var decoded = Image.Load<L8>(png);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        var actual = new L8[width * height];
        decoded.CopyPixelDataTo(actual);
        Assert.Equal(pixels, actual.Select(p => p.PackedValue));
        // Our decoder reads it too (it checks every CRC and zlib's Adler-32).
        Assert.Equal(pixels.Select(p => (float)p), XrayDecoder.Decode(png).Pixels);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 23)]
    [InlineData(301, 6)]
    public void Rgba8_RoundTripsExactly(int width, int height)
    {
        var rgba = Pixels(width * height * 4, seed: width + 1);
        var png = PngWriter.Rgba8(rgba, width, height);
        using var decoded = Image.Load<Rgba32>(png);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        var actual = new Rgba32[width * height];
        decoded.CopyPixelDataTo(actual);
        Assert.Equal(rgba, actual.SelectMany(p => new[] { p.R, p.G, p.B, p.A }));
    }

    [Fact]
    public void WrongPixelCount_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => PngWriter.Gray8(new byte[11], 3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngWriter.Rgba8([], 0, 4));
    }

    /// <summary>Noise, flat runs and ramps: residuals of every sign, and neighbours whose sum overflows a byte.</summary>
    private static byte[] Pixels(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => (i / 7 % 3) switch
        {
            0 => (byte)random.Next(256),
            1 => (byte)250,
            _ => (byte)(i * 13),
        }).ToArray();
    }
}
