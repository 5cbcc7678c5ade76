using MLRFNet.Tests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>
/// Phantom chest films: a vertical gradient, two darker "lung fields" and seeded noise, so every seed gives
/// different content (a different SHA-256 and different fake scores).
/// </summary>
internal static class SyntheticXrays
{
    public static ushort[] Pixels16(int width, int height, int seed)
    {
        var random = new Random(seed);
        var pixels = new ushort[width * height];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            double v = 20000 + 30000.0 * y / height;
            var lx = Math.Abs(x - width / 2.0) / (width / 2.0);
            var ly = Math.Abs(y - height / 2.0) / (height / 2.0);
            if (lx is > 0.15 and < 0.75 && ly < 0.6) v -= 12000 + 3000 * Math.Sin(seed + x * 0.05);
            v += random.Next(-800, 800) + seed * 97 % 5000;
            pixels[y * width + x] = (ushort)Math.Clamp(v, 0, 65535);
        }
        return pixels;
    }

    public static byte[] Png(int seed, int width = 96, int height = 112)
    {
        using var image = Gray8(seed, width, height);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    public static byte[] Png16(int seed, int width = 96, int height = 112)
    {
        var pixels = Pixels16(width, height, seed);
        using var image = new Image<L16>(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++) image[x, y] = new L16(pixels[y * width + x]);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    public static byte[] Jpeg(int seed, int width = 96, int height = 112)
    {
        using var image = Gray8(seed, width, height);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    /// <summary>The phantom as a chest DX DICOM file (16-bit native, Explicit VR Little Endian) with the identifiers of <see cref="DicomTestWriter.IdsFor"/>(seed).</summary>
    public static byte[] Dicom16(int seed, int width = 80, int height = 96) =>
        DicomTestWriter.ChestDx16(DicomTestWriter.IdsFor(seed), width, height, Pixels16(width, height, seed));

    /// <summary>A JPEG 2000 encapsulated chest DX DICOM file whose codestream is an 8-byte stub: OpenJPEG refuses it (Malformed).</summary>
    public static byte[] DicomJpeg2000(int seed, int width = 80, int height = 96) =>
        DicomTestWriter.ChestDxJpeg2000(DicomTestWriter.IdsFor(seed), width, height);

    private static Image<L8> Gray8(int seed, int width, int height)
    {
        var pixels = Pixels16(width, height, seed);
        var image = new Image<L8>(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++) image[x, y] = new L8((byte)(pixels[y * width + x] >> 8));
        return image;
    }
}
