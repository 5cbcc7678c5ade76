using System.Buffers.Binary;

namespace MLRFNet.Imaging.Dicom.Codecs;

/// <summary>
/// RLE Lossless (1.2.840.10008.1.2.5), DICOM PS3.5 annex G, written by hand: the format is one 64-byte header and
/// PackBits segments, and no maintained .NET or Debian decoder of the DICOM RLE framing exists that is smaller than this
/// file. A frame of Bits Allocated 16 has two segments, most significant bytes first (G.2); each segment is a PackBits
/// stream (G.3.1): n in 0..127 copies n + 1 literal bytes, n in -127..-1 repeats the next byte 1 − n times, -128 is a no-op.
/// </summary>
internal static class RleFrameDecoder
{
    public static void Decode(byte[] frame, DicomImageGeometry geometry, Span<byte> destination)
    {
        var bytesPerSample = geometry.BitsAllocated / 8;
        if (frame.Length < 64)
            throw Corrupt($"its {frame.Length} bytes are shorter than the 64-byte RLE header");
        var segments = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (segments != bytesPerSample)
            throw Corrupt($"its header lists {segments} segments but Bits Allocated {geometry.BitsAllocated} with Samples per " +
                $"Pixel 1 needs {bytesPerSample}");
        var pixels = geometry.Rows * geometry.Columns;
        var segment = new byte[pixels];
        for (var s = 0; s < bytesPerSample; s++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4 + 4 * s));
            var end = s + 1 < segments ? BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(8 + 4 * s)) : (uint)frame.Length;
            if (start < 64 || start > end || end > frame.Length)
                throw Corrupt($"segment {s + 1} spans bytes {start}..{end} of a {frame.Length}-byte frame");
            Unpack(frame.AsSpan((int)start, (int)(end - start)), segment, s + 1);
            // Segment 1 holds the most significant bytes (G.2): byte (bytesPerSample − 1 − s) of each little-endian sample.
            var lane = bytesPerSample - 1 - s;
            for (var i = 0; i < pixels; i++) destination[i * bytesPerSample + lane] = segment[i];
        }
    }

    private static void Unpack(ReadOnlySpan<byte> source, Span<byte> target, int segmentNumber)
    {
        int read = 0, written = 0;
        while (written < target.Length)
        {
            if (read >= source.Length)
                throw Corrupt($"segment {segmentNumber} ends after {written} of {target.Length} bytes");
            var n = (sbyte)source[read++];
            if (n >= 0)
            {
                var count = n + 1;
                if (read + count > source.Length || written + count > target.Length)
                    throw Corrupt($"a literal run of {count} bytes in segment {segmentNumber} overruns the segment or the frame");
                source.Slice(read, count).CopyTo(target[written..]);
                read += count;
                written += count;
            }
            else if (n != -128)
            {
                var count = 1 - n;
                if (read >= source.Length || written + count > target.Length)
                    throw Corrupt($"a replicate run of {count} bytes in segment {segmentNumber} overruns the segment or the frame");
                target.Slice(written, count).Fill(source[read++]);
                written += count;
            }
        }
    }

    private static XrayDecodeException Corrupt(string what) =>
        new(DecodeErrorKind.Malformed, $"DICOM RLE Lossless frame is corrupt: {what} (PS3.5 annex G). Re-export or re-send the image.");
}
