using System.Buffers.Binary;
using System.Text;

namespace MLRFNet.Edge.DicomOut;

/// <summary>
/// A small DICOM Part 10 writer for the box's result objects (PS3.10 section 7, PS3.5 section 7): 128-byte preamble,
/// "DICM", the File Meta Information group (Explicit VR Little Endian, with its group length), then the data set in
/// Explicit VR Little Endian (1.2.840.10008.1.2.1), elements in ascending tag order, sequences and items with defined
/// lengths. Text values are UTF-8 (the data sets say ISO_IR 192) and padded to even length with a space (NUL for UI).
/// Only what the SR and the Secondary Capture need; no reading, no compression.
/// </summary>
internal sealed class DicomDataset
{
    private static readonly HashSet<string> LongVrs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UR", "UT", "UN"];
    private readonly SortedDictionary<uint, byte[]> elements = [];

    public DicomDataset Text(ushort group, ushort element, string vr, string? value)
    {
        var bytes = Encoding.UTF8.GetBytes(value ?? "");
        if (bytes.Length % 2 == 1) bytes = [.. bytes, (byte)(vr == "UI" ? 0 : ' ')];
        return Raw(group, element, vr, bytes);
    }

    public DicomDataset UShort(ushort group, ushort element, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return Raw(group, element, "US", bytes);
    }

    /// <summary>A sequence of the given items (none: an empty Type 2 sequence).</summary>
    public DicomDataset Sequence(ushort group, ushort element, params DicomDataset[] items)
    {
        var body = new List<byte>();
        foreach (var item in items)
        {
            var content = item.Encode();
            body.AddRange(Header(0xFFFE, 0xE000, null, (uint)content.Length));
            body.AddRange(content);
        }
        return Raw(group, element, "SQ", [.. body]);
    }

    public DicomDataset Raw(ushort group, ushort element, string vr, byte[] value)
    {
        if (value.Length % 2 == 1) value = [.. value, 0];
        elements[((uint)group << 16) | element] = [.. Header(group, element, vr, (uint)value.Length), .. value];
        return this;
    }

    /// <summary>The elements, Explicit VR Little Endian, in tag order.</summary>
    public byte[] Encode() => [.. elements.Values.SelectMany(e => e)];

    /// <summary>A Part 10 file of this data set: SOP Class and Instance from the arguments, Explicit VR Little Endian.</summary>
    public byte[] ToPart10(string sopClassUid, string sopInstanceUid)
    {
        var meta = new DicomDataset()
            .Raw(0x0002, 0x0001, "OB", [0, 1])
            .Text(0x0002, 0x0002, "UI", sopClassUid)
            .Text(0x0002, 0x0003, "UI", sopInstanceUid)
            .Text(0x0002, 0x0010, "UI", ExplicitVrLittleEndian)
            .Text(0x0002, 0x0012, "UI", DicomUids.ImplementationClassUid)
            .Text(0x0002, 0x0013, "SH", DicomUids.ImplementationVersionName)
            .Encode();
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)meta.Length);
        return [.. new byte[128], .. "DICM"u8, .. Header(0x0002, 0x0000, "UL", 4), .. length, .. meta, .. Encode()];
    }

    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";

    private static byte[] Header(ushort group, ushort element, string? vr, uint length)
    {
        var header = new byte[vr is not null && LongVrs.Contains(vr) ? 12 : 8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, group);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), element);
        if (vr is null)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), length);
            return header;
        }
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (header.Length == 12) BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), length);
        else BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), checked((ushort)length));
        return header;
    }
}
