using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Imaging;

/// <summary>
/// The one place ImageSharp (2.1, Apache 2.0; 3.x is under a paid licence) is called. Headers are validated by our
/// own parsers first, so ImageSharp only ever allocates sizes we accepted; any exception it still throws on corrupt
/// data becomes an <see cref="XrayDecodeException"/> so callers see one exception type.
/// </summary>
internal static class ImageSharpBridge
{
    // Each converts the decoded image row by row straight into the float output: no full-size copy in between.

    /// <summary>Decodes 8-bit-per-sample gray (L8) pixels to floats 0..255.</summary>
    public static float[] LoadGray8(ReadOnlySpan<byte> data, IImageDecoder decoder, string format)
    {
        using var image = Load<L8>(data, decoder, format);
        var result = new float[(long)image.Width * image.Height];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
                Samples.ToFloat(MemoryMarshal.AsBytes(rows.GetRowSpan(y)), result.AsSpan(y * rows.Width, rows.Width));
        });
        return result;
    }

    /// <summary>Decodes 16-bit gray (L16) pixels to floats 0..255 (divided by 257, so 65535 → 255).</summary>
    public static float[] LoadGray16(ReadOnlySpan<byte> data, IImageDecoder decoder, string format)
    {
        using var image = Load<L16>(data, decoder, format);
        var result = new float[(long)image.Width * image.Height];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
                Samples.ToFloatOver257(MemoryMarshal.Cast<L16, ushort>(rows.GetRowSpan(y)), result.AsSpan(y * rows.Width, rows.Width), bigEndian: false);
        });
        return result;
    }

    /// <summary>Decodes 8-bit colour to BT.601 luma (<see cref="Luminance.FromRgb8"/>), floats 0..255; alpha ignored.</summary>
    public static float[] LoadRgb8AsLuma(ReadOnlySpan<byte> data, IImageDecoder decoder, string format)
    {
        using var image = Load<Rgb24>(data, decoder, format);
        var result = new float[(long)image.Width * image.Height];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var output = result.AsSpan(y * rows.Width, rows.Width);
                for (var x = 0; x < row.Length; x++) output[x] = Luminance.FromRgb8(row[x].R, row[x].G, row[x].B);
            }
        });
        return result;
    }

    /// <summary>Decodes 16-bit colour to BT.601 luma (<see cref="Luminance.FromRgb16"/>) / 257, floats 0..255.</summary>
    public static float[] LoadRgb16AsLuma(ReadOnlySpan<byte> data, IImageDecoder decoder, string format)
    {
        using var image = Load<Rgb48>(data, decoder, format);
        var result = new float[(long)image.Width * image.Height];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var output = result.AsSpan(y * rows.Width, rows.Width);
                for (var x = 0; x < row.Length; x++) output[x] = Luminance.FromRgb16(row[x].R, row[x].G, row[x].B) / 257f;
            }
        });
        return result;
    }

    private static Image<TPixel> Load<TPixel>(ReadOnlySpan<byte> data, IImageDecoder decoder, string format)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        try
        {
            return Image.Load<TPixel>(data, decoder);
        }
        catch (InvalidMemoryOperationException e)
        {
            throw new XrayDecodeException(DecodeErrorKind.TooLarge,
                $"{format} needs more memory than ImageSharp allows: {e.Message}", e);
        }
        // Policy: any other failure inside the third-party decoder (ImageFormatException, InvalidImageContentException,
        // zlib's InvalidDataException, or an index error on hostile data) is the file's fault, not the caller's.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"{format} data is corrupt: the decoder reported '{e.Message}'. Re-export the image.", e);
        }
    }
}
