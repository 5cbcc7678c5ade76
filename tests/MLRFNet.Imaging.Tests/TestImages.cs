using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Imaging.Tests;

/// <summary>Synthetic PNG/JPEG files encoded in memory with ImageSharp, with known pixel values.</summary>
internal static class TestImages
{
    /// <summary>A deterministic 8-bit pattern with every value 0..255 present for images ≥ 256 pixels.</summary>
    public static byte Pattern8(int x, int y) => (byte)((x * 7 + y * 31 + x * y) % 256);

    public static ushort Pattern16(int x, int y) => (ushort)((x * 1031 + y * 7919 + x * y * 13) % 65536);

    public static byte[] Encode<TPixel>(Image<TPixel> image, PngColorType color, PngBitDepth depth) where TPixel : unmanaged, IPixel<TPixel>
    {
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { ColorType = color, BitDepth = depth });
        return stream.ToArray();
    }

    public static byte[] Gray8Png(int width, int height)
    {
        using var image = new Image<L8>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++) image[x, y] = new L8(Pattern8(x, y));
        return Encode(image, PngColorType.Grayscale, PngBitDepth.Bit8);
    }

    public static byte[] Gray16Png(int width, int height)
    {
        using var image = new Image<L16>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++) image[x, y] = new L16(Pattern16(x, y));
        return Encode(image, PngColorType.Grayscale, PngBitDepth.Bit16);
    }

    /// <summary>An RGB or RGBA PNG whose pixel (x, y) is <paramref name="colour"/>(x, y), alpha varying.</summary>
    public static byte[] ColourPng(int width, int height, Func<int, int, Rgba32> colour, bool alpha)
    {
        using var image = new Image<Rgba32>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++) image[x, y] = colour(x, y);
        return Encode(image, alpha ? PngColorType.RgbWithAlpha : PngColorType.Rgb, PngBitDepth.Bit8);
    }

    public static byte[] Jpeg(int width, int height, bool gray, int quality = 90)
    {
        using var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var v = (byte)(128 + 100 * Math.Sin(x / 5.0) * Math.Cos(y / 7.0));
                image[x, y] = gray ? new Rgb24(v, v, v) : new Rgb24(v, (byte)(255 - v), (byte)(x * 4));
            }
        using var stream = new MemoryStream();
        image.Save(stream, new JpegEncoder { Quality = quality, ColorType = gray ? JpegColorType.Luminance : JpegColorType.YCbCrRatio420 });
        return stream.ToArray();
    }

    /// <summary>Pixels of a JPEG as decoded by ImageSharp itself into L8/Rgb24, for path-equality checks.</summary>
    public static Rgb24[] DecodeRgb(byte[] jpeg)
    {
        using var image = Image.Load<Rgb24>(jpeg);
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }
}
