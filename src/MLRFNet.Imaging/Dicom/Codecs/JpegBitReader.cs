namespace MLRFNet.Imaging.Dicom.Codecs;

/// <summary>
/// Bytes and marker segments of a JPEG codestream (T.81 B.1), bounds-checked: every read past the end throws a
/// <see cref="XrayDecodeException"/>, and every call advances, so no loop over it can hang.
/// </summary>
internal struct JpegMarkerCursor(byte[] data)
{
    public readonly byte[] Data = data;
    public int Position;

    public byte Byte() => Position < Data.Length ? Data[Position++] : throw Corrupt("it ends inside a header");

    /// <summary>The next marker code, skipping fill bytes (FF FF ...).</summary>
    public int Marker()
    {
        if (Byte() != 0xFF) throw Corrupt($"byte {Position - 1} is not a marker where one must be");
        int code;
        while ((code = Byte()) == 0xFF) { }
        return code;
    }

    /// <summary>The payload of a marker segment (after its 2-byte length), consumed.</summary>
    public ReadOnlySpan<byte> Segment()
    {
        var length = Byte() << 8 | Byte();
        if (length < 2 || Position + length - 2 > Data.Length) throw Corrupt($"a marker segment declares {length} bytes past the end");
        var segment = Data.AsSpan(Position, length - 2);
        Position += length - 2;
        return segment;
    }

    public static XrayDecodeException Corrupt(string what) =>
        new(DecodeErrorKind.Malformed, $"DICOM JPEG Lossless frame is corrupt: {what} (ITU-T T.81). Re-export or re-send the image.");
}

/// <summary>
/// Entropy-coded data (T.81 F.2.2.5): bytes FF 00 stand for FF; at any other marker (or the end) the data is over and
/// zeros are read, as libjpeg does, so a truncated scan decodes to a finite, clearly wrong image rather than hanging.
/// </summary>
internal struct JpegBitReader(JpegMarkerCursor cursor)
{
    private readonly byte[] data = cursor.Data;
    private int position = cursor.Position;
    private uint buffer;
    private int count;

    private int Bit()
    {
        if (count == 0)
        {
            buffer = 0;
            if (position < data.Length && (data[position] != 0xFF || (position + 1 < data.Length && data[position + 1] == 0)))
            {
                buffer = data[position];
                position += data[position] == 0xFF ? 2 : 1;
            }
            count = 8;
        }
        count--;
        return (int)(buffer >> count) & 1;
    }

    private int Bits(int n)
    {
        var value = 0;
        for (var i = 0; i < n; i++) value = value << 1 | Bit();
        return value;
    }

    /// <summary>One difference: a Huffman-coded category SSSS, then SSSS extra bits (T.81 H.1.2.2, F.2.2.1); SSSS 16 is 32768.</summary>
    public int Difference(HuffmanTable table)
    {
        var category = table.Decode(ref this);
        if (category == 16) return 32768;
        if (category == 0) return 0;
        if (category > 16) throw JpegMarkerCursor.Corrupt($"a difference category is {category}, above 16");
        var value = Bits(category);
        return value < 1 << (category - 1) ? value - (1 << category) + 1 : value;
    }

    public int NextBit() => Bit();

    /// <summary>At a restart interval's end: drop the bits left in the byte, then expect RSTn (FF D0..D7).</summary>
    public void Restart()
    {
        count = 0;
        if (position + 1 < data.Length && data[position] == 0xFF && data[position + 1] is >= 0xD0 and <= 0xD7) position += 2;
        else throw JpegMarkerCursor.Corrupt($"a restart marker (FF D0..D7) is missing at byte {position}");
    }
}

/// <summary>A Huffman decoding table, T.81 F.2.2.3 (MAXCODE, VALPTR, MINCODE) and annex C (BITS, HUFFVAL).</summary>
internal sealed class HuffmanTable
{
    private readonly int[] maxCode = new int[18], valuePointer = new int[17], minCode = new int[17];
    private readonly byte[] values;

    private HuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
    {
        this.values = values.ToArray();
        int code = 0, k = 0;
        for (var length = 1; length <= 16; length++)
        {
            valuePointer[length] = k;
            minCode[length] = code;
            code += counts[length - 1];
            k += counts[length - 1];
            maxCode[length] = counts[length - 1] > 0 ? code - 1 : -1;
            code <<= 1;
        }
        maxCode[17] = int.MaxValue;
    }

    /// <summary>Reads every table of a DHT segment (B.2.4.2) into <paramref name="tables"/> by destination id.</summary>
    public static void ReadAll(ReadOnlySpan<byte> segment, HuffmanTable?[] tables)
    {
        while (!segment.IsEmpty)
        {
            if (segment.Length < 17) throw JpegMarkerCursor.Corrupt("a DHT segment is too short");
            var total = 0;
            for (var i = 1; i <= 16; i++) total += segment[i];
            if (total > 256 || segment.Length < 17 + total) throw JpegMarkerCursor.Corrupt($"a Huffman table lists {total} codes past its segment");
            tables[segment[0] & 3] = new HuffmanTable(segment.Slice(1, 16), segment.Slice(17, total));
            segment = segment[(17 + total)..];
        }
    }

    /// <summary>DECODE of F.2.2.3: at most 16 bits, else the data is corrupt.</summary>
    public int Decode(ref JpegBitReader reader)
    {
        var code = reader.NextBit();
        var length = 1;
        while (code > maxCode[length])
        {
            if (++length > 16) throw JpegMarkerCursor.Corrupt("a Huffman code is longer than 16 bits");
            code = code << 1 | reader.NextBit();
        }
        var index = valuePointer[length] + code - minCode[length];
        return (uint)index < (uint)values.Length ? values[index] : throw JpegMarkerCursor.Corrupt("a Huffman code points past its table");
    }
}
