using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace MLRFNet.Imaging.Tests.Png;

/// <summary>
/// PNG files assembled byte by byte (PNG spec 5, 11.2.2), for content ImageSharp's encoder never writes: a chosen
/// filter byte per row, a zlib stream cut short or damaged, image data split over several IDAT chunks.
/// </summary>
internal static class PngFiles
{
    /// <summary>Signature, IHDR, the zlib stream of <paramref name="scanlines"/> in <paramref name="idatChunks"/> IDAT chunks, IEND.</summary>
    /// <param name="beforeData">Chunks (type, data) written between IHDR and the image data, e.g. tRNS.</param>
    public static byte[] Build(int width, int height, int bitDepth, int colorType, byte[] scanlines, int idatChunks = 1,
        Func<byte[], byte[]>? tamperZlib = null, params (string Type, byte[] Data)[] beforeData)
    {
        var zlib = tamperZlib is null ? Deflate(scanlines) : tamperZlib(Deflate(scanlines));
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colorType;
        using var file = new MemoryStream();
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(file, "IHDR", ihdr);
        foreach (var (type, data) in beforeData) Chunk(file, type, data);
        var size = (zlib.Length + idatChunks - 1) / idatChunks;
        for (var offset = 0; offset < zlib.Length; offset += size) Chunk(file, "IDAT", zlib.AsSpan(offset, Math.Min(size, zlib.Length - offset)));
        Chunk(file, "IEND", []);
        return file.ToArray();
    }

    public static byte[] Deflate(byte[] data)
    {
        using var stream = new MemoryStream();
        using (var zlib = new ZLibStream(stream, CompressionLevel.Optimal)) zlib.Write(data);
        return stream.ToArray();
    }

    /// <summary>Rewrites the CRC of every chunk, so that only the content a test damaged is wrong.</summary>
    public static byte[] WithFixedCrcs(byte[] png)
    {
        var copy = (byte[])png.Clone();
        for (var position = 8; position + 12 <= copy.Length; )
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(copy.AsSpan(position));
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(position + 8 + length), Crc32.HashToUInt32(copy.AsSpan(position + 4, 4 + length)));
            position += 12 + length;
        }
        return copy;
    }

    /// <summary>The filter type byte of every row of a non-interlaced PNG, read back from its image data.</summary>
    public static byte[] RowFilters(byte[] png, int rowBytes, int height)
    {
        using var idat = new MemoryStream();
        for (var position = 8; ; )
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position));
            var type = png.AsSpan(position + 4, 4);
            if (type.SequenceEqual("IDAT"u8)) idat.Write(png, position + 8, length);
            if (type.SequenceEqual("IEND"u8)) break;
            position += 12 + length;
        }
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new byte[height * (rowBytes + 1)];
        zlib.ReadExactly(raw);
        return Enumerable.Range(0, height).Select(y => raw[y * (rowBytes + 1)]).ToArray();
    }

    private static void Chunk(Stream file, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        file.Write(word);
        var typeAndData = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData.AsSpan(4));
        file.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.HashToUInt32(typeAndData));
        file.Write(word);
    }
}
