using System.Buffers.Binary;

namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// One lookup table of a Modality LUT Sequence (0028,3000) or VOI LUT Sequence (0028,3010) item, PS3.3 C.11.1.1.1:
/// LUT Descriptor = (number of entries, 0 meaning 65536; first stored value mapped; bits per entry), LUT Data one 16-bit
/// word per entry. An input below the first value maps to the first entry, one past the last entry to the last
/// (C.11.1.1.1, as pydicom's apply_modality_lut/apply_voi do).
/// </summary>
internal sealed record DicomLut(int FirstMapped, int BitsPerEntry, ushort[] Entries)
{
    /// <summary>Largest value an entry can hold: 2^bits − 1, the top of the LUT's output range.</summary>
    public double OutputMax => (1 << BitsPerEntry) - 1;

    public double Map(double input)
    {
        var index = Math.Clamp(Math.Floor(input) - FirstMapped, 0, Entries.Length - 1);
        return Entries[(int)index];
    }

    /// <summary>Builds the LUT from an item's raw values; <paramref name="signedFirst"/>: the descriptor's second value is SS.</summary>
    public static DicomLut Parse(string sequence, ReadOnlySpan<byte> descriptor, ReadOnlySpan<byte> data, bool signedFirst)
    {
        if (descriptor.Length < 6)
            throw Bad(sequence, $"its LUT Descriptor (0028,3002) holds {descriptor.Length} bytes; it needs three 16-bit values");
        var count = BinaryPrimitives.ReadUInt16LittleEndian(descriptor) is var n && n == 0 ? 65536 : n;
        int first = signedFirst ? BinaryPrimitives.ReadInt16LittleEndian(descriptor[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(descriptor[2..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[4..]);
        if (bits is < 8 or > 16)
            throw Bad(sequence, $"its LUT Descriptor gives {bits} bits per entry; PS3.3 C.11.1.1.1 allows 8 to 16");
        if (data.Length < 2 * count)
            throw Bad(sequence, $"its LUT Data (0028,3006) holds {data.Length / 2} entries but the LUT Descriptor declares {count}");
        var entries = new ushort[count];
        for (var i = 0; i < count; i++) entries[i] = BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]);
        return new DicomLut(first, bits, entries);
    }

    public static XrayDecodeException Bad(string sequence, string what) =>
        new(DecodeErrorKind.Malformed, $"DICOM {sequence}: {what}. The file is corrupt; re-export it.");
}
