using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MLRFNet.Imaging.Png;

/// <summary>
/// Our own PNG pixel decoder for the layouts X-ray exports use (<see cref="Supports"/>: not interlaced, 8 or 16 bits
/// per sample, gray, gray + alpha, RGB or RGBA); <see cref="PngReader"/> leaves palette, 1/2/4-bit gray and Adam7 to
/// ImageSharp. The output is the ImageSharp path's: gray as stored (16-bit divided by 257), colour as BT.601 luma
/// (<see cref="Luminance"/>), alpha ignored. The concatenated IDAT data is inflated by
/// <see cref="ZLibStream"/> (zlib-ng in .NET 10) in bands of about <see cref="BandBytes"/>, each row is unfiltered in
/// place (PNG spec section 9) and converted straight into the float output: no full-size intermediate image.
/// The CRC of every critical chunk is checked, as libpng and Pillow do, and so is zlib's Adler-32 of the image data.
/// Medians on the 2-core dev box, ImageSharp path (decode, copy, convert) -> this: a 1024² 8-bit NIH X-ray (mostly
/// Average rows) 11.5 -> 8.7 ms, a 1024² 8-bit phantom written by ImageSharp (all Paeth) 20.2 -> 14.2 ms, a 1024²
/// 16-bit gray PNG 36.8 -> 19.2 ms. About half of what is left is zlib-ng's inflate itself.
/// </summary>
internal static class PngPixelDecoder
{
    /// <summary>Inflated bytes per band: big reads let zlib-ng run its fast loop, and the buffer stays small for any image size.</summary>
    private const int BandBytes = 1 << 20;

    public static bool Supports(in PngHeader header) =>
        !header.Interlaced && header.BitDepth is 8 or 16 && header.ColorType is not PngColorType.Palette;

    /// <summary>
    /// Decodes the pixels of a PNG whose structure <see cref="PngHeader.Read"/> has already checked (every chunk inside
    /// the data, IEND reached). Throws <see cref="XrayDecodeException"/> on corrupt content.
    /// </summary>
    public static float[] Decode(ReadOnlySpan<byte> data, in PngHeader header)
    {
        // The IDAT chunks lie inside the data, so their concatenation is shorter than it.
        var compressed = ArrayPool<byte>.Shared.Rent(data.Length);
        try
        {
            var length = CheckChunksAndCopyImageData(data, compressed);
            return Inflate(compressed, length, header);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    /// <summary>
    /// One walk over the chunks: checks the CRC of every critical chunk (PNG spec 5.3, 5.4) and concatenates the IDAT
    /// data into <paramref name="destination"/>; returns its length.
    /// </summary>
    private static int CheckChunksAndCopyImageData(ReadOnlySpan<byte> data, byte[] destination)
    {
        var written = 0;
        for (var position = 8; ; )
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            var type = data.Slice(position + 4, 4);
            // A critical chunk's type starts with an upper-case letter (bit 5 of the first byte clear).
            if ((type[0] & 0x20) == 0)
            {
                var stored = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 8 + length)..]);
                if (Crc32.HashToUInt32(data.Slice(position + 4, 4 + length)) != stored)
                    throw new XrayDecodeException(DecodeErrorKind.Malformed,
                        $"PNG is corrupt: the CRC of the '{System.Text.Encoding.ASCII.GetString(type)}' chunk at byte {position} " +
                        "does not match its data (PNG spec 5.3). Re-copy or re-export the file.");
            }
            if (type.SequenceEqual("IDAT"u8))
            {
                data.Slice(position + 8, length).CopyTo(destination.AsSpan(written));
                written += length;
            }
            if (type.SequenceEqual("IEND"u8)) return written;
            position += 12 + length;
        }
    }

    private static float[] Inflate(byte[] compressed, int length, in PngHeader header)
    {
        int width = header.Width, height = header.Height;
        var bytesPerPixel = Channels(header.ColorType) * header.BitDepth / 8;
        var rowBytes = (long)width * bytesPerPixel;
        var stride = rowBytes + 1;                         // each row starts with its filter type byte
        if (rowBytes + stride > Array.MaxLength)
            throw new XrayDecodeException(DecodeErrorKind.TooLarge, $"PNG rows of {width} pixels are too long to decode ({rowBytes} bytes each).");
        var bandRows = (int)Math.Clamp(BandBytes / stride, 1, height);
        var pixels = new float[(long)width * height];
        var buffer = ArrayPool<byte>.Shared.Rent((int)(rowBytes + bandRows * stride));
        var convert = Converter(header);
        try
        {
            // The row above the band: zeros above the first row (PNG spec 9.2), then each band's last row.
            var above = buffer.AsSpan(0, (int)rowBytes);
            above.Clear();
            using var zlib = new ZLibStream(new MemoryStream(compressed, 0, length, writable: false), CompressionMode.Decompress);
            for (var top = 0; top < height; top += bandRows)
            {
                var rows = Math.Min(bandRows, height - top);
                var band = buffer.AsSpan((int)rowBytes, (int)(rows * stride));
                var read = zlib.ReadAtLeast(band, band.Length, throwOnEndOfStream: false);
                if (read < band.Length)
                    throw new XrayDecodeException(DecodeErrorKind.Malformed,
                        $"PNG is corrupt: its image data ends after {top + read / stride} of the {height} rows IHDR declares. Re-export the image.");
                for (var r = 0; r < rows; r++)
                {
                    var row = band.Slice((int)(r * stride) + 1, (int)rowBytes);
                    var prior = r == 0 ? above : band.Slice((int)((r - 1) * stride) + 1, (int)rowBytes);
                    Unfilter(band[(int)(r * stride)], row, prior, bytesPerPixel, top + r);
                    convert(row, pixels.AsSpan((top + r) * width, width));
                }
                band.Slice((int)((rows - 1) * stride) + 1, (int)rowBytes).CopyTo(above);
            }
            // Reading on to the end of the zlib stream makes it verify its Adler-32; data after the last row is ignored,
            // as libpng does.
            zlib.ReadAtLeast(buffer.AsSpan(0, 1), 1, throwOnEndOfStream: false);
            return pixels;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"PNG image data is corrupt: zlib reported '{e.Message}'. Re-export the image.", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Channels(PngColorType type) => type switch
    {
        PngColorType.Grayscale => 1,
        PngColorType.GrayscaleAlpha => 2,
        PngColorType.Rgb => 3,
        PngColorType.RgbAlpha => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Palette images are decoded by ImageSharp."),
    };

    /// <summary>Reverses the row's filter in place; <paramref name="prior"/> is the unfiltered row above (zeros for the first).</summary>
    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> prior, int bytesPerPixel, int y)
    {
        switch (filter)
        {
            case 0: return;
            case 1: Sub(row, bytesPerPixel); return;
            case 2: Up(row, prior); return;
            case 3: Average(row, prior, bytesPerPixel); return;
            case 4: Paeth(row, prior, bytesPerPixel); return;
            default:
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"PNG is corrupt: row {y} has filter type {filter}; only 0 to 4 exist (PNG spec 9.2). Re-export the image.");
        }
    }

    // Filters per PNG spec 9.2: a is the byte one pixel to the left, b the byte above, c the byte above a; a and c
    // are 0 in the first pixel, so each filter's first bytesPerPixel bytes are done in a loop of their own and the
    // main loop has no branch. Sub, Average and Paeth chain each byte to the one a pixel before it; for 1 and 2 bytes
    // per pixel (8- and 16-bit gray, the usual X-ray) that byte is carried in a register, not read back from the row
    // just written: a store-to-load round trip per byte would otherwise set the pace (measured: Average on a 1024²
    // 8-bit X-ray 4.2 -> 1.6 ms).

    private static void Sub(Span<byte> row, int bpp)
    {
        switch (bpp)
        {
            case 1:
                for (int i = 1, a = row[0]; i < row.Length; i++) row[i] = (byte)(a += row[i]);
                return;
            case 2 when row.Length % 2 == 0:
                for (int i = 2, a0 = row[0], a1 = row[1]; i < row.Length; i += 2)
                {
                    row[i] = (byte)(a0 += row[i]);
                    row[i + 1] = (byte)(a1 += row[i + 1]);
                }
                return;
            default:
                for (var i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                return;
        }
    }

    private static void Up(Span<byte> row, ReadOnlySpan<byte> prior)
    {
        prior = prior[..row.Length];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                (new Vector<byte>(row[i..]) + new Vector<byte>(prior[i..])).CopyTo(row[i..]);   // wraps modulo 256, as the spec says
        }
        for (; i < row.Length; i++) row[i] += prior[i];
    }

    private static void Average(Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        prior = prior[..row.Length];
        for (var i = 0; i < bpp; i++) row[i] += (byte)(prior[i] >> 1);
        switch (bpp)
        {
            case 1:
                for (int i = 1, a = row[0]; i < row.Length; i++) row[i] = (byte)(a = (byte)(row[i] + ((a + prior[i]) >> 1)));
                return;
            case 2 when row.Length % 2 == 0:
                for (int i = 2, a0 = row[0], a1 = row[1]; i < row.Length; i += 2)
                {
                    row[i] = (byte)(a0 = (byte)(row[i] + ((a0 + prior[i]) >> 1)));
                    row[i + 1] = (byte)(a1 = (byte)(row[i + 1] + ((a1 + prior[i + 1]) >> 1)));
                }
                return;
            default:
                for (var i = bpp; i < row.Length; i++) row[i] += (byte)((row[i - bpp] + prior[i]) >> 1);
                return;
        }
    }

    private static void Paeth(Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        prior = prior[..row.Length];
        for (var i = 0; i < bpp; i++) row[i] += prior[i];  // with a = c = 0 the predictor is b
        switch (bpp)
        {
            case 1:
                for (int i = 1, a = row[0]; i < row.Length; i++) row[i] = (byte)(a = (byte)(row[i] + PaethPredictor(a, prior[i], prior[i - 1])));
                return;
            case 2 when row.Length % 2 == 0:
                for (int i = 2, a0 = row[0], a1 = row[1]; i < row.Length; i += 2)
                {
                    row[i] = (byte)(a0 = (byte)(row[i] + PaethPredictor(a0, prior[i], prior[i - 2])));
                    row[i + 1] = (byte)(a1 = (byte)(row[i + 1] + PaethPredictor(a1, prior[i + 1], prior[i - 1])));
                }
                return;
            default:
                for (var i = bpp; i < row.Length; i++) row[i] += (byte)PaethPredictor(row[i - bpp], prior[i], prior[i - bpp]);
                return;
        }
    }

    /// <summary>
    /// Of a, b, c the one closest to p = a + b - c, ties preferring a, then b (PNG spec 9.4), without branches (on
    /// noisy X-ray rows a branch per byte is mispredicted about half the time; masks instead of conditionals, as the
    /// JIT does not turn these into conditional moves): |p - a| = |b - c|, |p - b| = |a - c|, |p - c| = |(b - c) + (a - c)|.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static int PaethPredictor(int a, int b, int c)
    {
        int da = b - c, db = a - c;
        int pa = Abs(da), pb = Abs(db), pc = Abs(da + db);
        var cOverB = (pc - pb) >> 31;                      // all ones when pc < pb: c beats b
        var bOrC = b ^ ((b ^ c) & cOverB);
        var nearest = pb ^ ((pb ^ pc) & cOverB);           // min(pb, pc)
        var bcOverA = (nearest - pa) >> 31;                // all ones when min(pb, pc) < pa: a loses
        return a ^ ((a ^ bOrC) & bcOverA);
    }

    /// <summary>|v| without a branch (v is a difference of bytes, far from int.MinValue).</summary>
    private static int Abs(int v)
    {
        var sign = v >> 31;
        return (v ^ sign) - sign;
    }

    /// <summary>One unfiltered row of samples to one row of float pixels.</summary>
    private delegate void RowConverter(ReadOnlySpan<byte> row, Span<float> pixels);

    private static RowConverter Converter(in PngHeader header) => (header.ColorType, header.BitDepth) switch
    {
        (PngColorType.Grayscale, 8) => static (row, pixels) => Samples.ToFloat(row, pixels),
        (PngColorType.Grayscale, 16) => static (row, pixels) => Samples.ToFloatOver257(MemoryMarshal.Cast<byte, ushort>(row), pixels, bigEndian: true),
        (PngColorType.GrayscaleAlpha, 8) => static (row, pixels) =>
        {
            for (var x = 0; x < pixels.Length; x++) pixels[x] = row[2 * x];
        },
        (PngColorType.GrayscaleAlpha, 16) => static (row, pixels) =>
        {
            for (var x = 0; x < pixels.Length; x++) pixels[x] = BinaryPrimitives.ReadUInt16BigEndian(row[(4 * x)..]) / 257f;
        },
        (PngColorType.Rgb, 8) => static (row, pixels) => Luma8(row, pixels, 3),
        (PngColorType.RgbAlpha, 8) => static (row, pixels) => Luma8(row, pixels, 4),
        (PngColorType.Rgb, 16) => static (row, pixels) => Luma16(row, pixels, 6),
        (PngColorType.RgbAlpha, 16) => static (row, pixels) => Luma16(row, pixels, 8),
        _ => throw new ArgumentOutOfRangeException(nameof(header), header, "Not a layout this decoder supports."),
    };

    private static void Luma8(ReadOnlySpan<byte> row, Span<float> pixels, int step)
    {
        for (var x = 0; x < pixels.Length; x++)
        {
            var p = row.Slice(step * x, 3);
            pixels[x] = Luminance.FromRgb8(p[0], p[1], p[2]);
        }
    }

    private static void Luma16(ReadOnlySpan<byte> row, Span<float> pixels, int step)
    {
        for (var x = 0; x < pixels.Length; x++)
        {
            var p = row.Slice(step * x, 6);
            pixels[x] = Luminance.FromRgb16(BinaryPrimitives.ReadUInt16BigEndian(p), BinaryPrimitives.ReadUInt16BigEndian(p[2..]),
                BinaryPrimitives.ReadUInt16BigEndian(p[4..])) / 257f;
        }
    }
}
