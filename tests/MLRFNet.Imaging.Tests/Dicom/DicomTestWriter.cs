using System.Buffers.Binary;
using System.Text;

namespace MLRFNet.Imaging.Tests.Dicom;

/// <summary>
/// Writes DICOM Part 10 files for tests, independently of the reader: preamble + DICM, an Explicit VR Little Endian
/// meta group, then the data set (elements sorted by tag) in Explicit or Implicit VR Little Endian. Lengths can be
/// overridden to produce lying headers.
/// </summary>
internal sealed class DicomTestWriter(string transferSyntaxUid)
{
    public const string ImplicitLittle = "1.2.840.10008.1.2";
    public const string ExplicitLittle = "1.2.840.10008.1.2.1";
    public const string JpegBaseline = "1.2.840.10008.1.2.4.50";

    private static readonly string[] LongVrs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UR", "UT", "UN", "SV", "UV"];
    private readonly SortedDictionary<uint, byte[]> elements = [];

    public string TransferSyntaxUid { get; } = transferSyntaxUid;

    public bool ExplicitVr => TransferSyntaxUid != ImplicitLittle;

    /// <summary>A standard grayscale image pixel module with pixel data from <paramref name="samples"/>.</summary>
    public static DicomTestWriter Grayscale(string syntax, int rows, int columns, int bitsAllocated, int bitsStored,
        bool signed, IReadOnlyList<int> samples, string photometric = "MONOCHROME2")
    {
        var writer = new DicomTestWriter(syntax)
            .Text(0x0008, 0x0018, "UI", "1.2.3.4.5.6")
            .Text(0x0008, 0x0060, "CS", "CR")
            .Text(0x0010, 0x0020, "LO", "TEST^ID")
            .UShort(0x0028, 0x0002, 1)
            .Text(0x0028, 0x0004, "CS", photometric)
            .UShort(0x0028, 0x0010, (ushort)rows)
            .UShort(0x0028, 0x0011, (ushort)columns)
            .UShort(0x0028, 0x0100, (ushort)bitsAllocated)
            .UShort(0x0028, 0x0101, (ushort)bitsStored)
            .UShort(0x0028, 0x0102, (ushort)(bitsStored - 1))
            .UShort(0x0028, 0x0103, (ushort)(signed ? 1 : 0));
        var bytes = new byte[samples.Count * bitsAllocated / 8 + (samples.Count * bitsAllocated / 8 % 2)];
        for (var i = 0; i < samples.Count; i++)
            if (bitsAllocated == 8) bytes[i] = (byte)samples[i];
            else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), (ushort)samples[i]);
        return writer.Raw(0x7FE0, 0x0010, bitsAllocated == 8 ? "OB" : "OW", bytes);
    }

    public DicomTestWriter Text(ushort group, ushort element, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 1) bytes = [.. bytes, (byte)(vr == "UI" ? 0 : ' ')];
        return Raw(group, element, vr, bytes);
    }

    public DicomTestWriter UShort(ushort group, ushort element, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return Raw(group, element, "US", bytes);
    }

    /// <summary>Adds an element; <paramref name="declaredLength"/> replaces the true length in the header (a lie).</summary>
    public DicomTestWriter Raw(ushort group, ushort element, string vr, byte[] value, uint? declaredLength = null)
    {
        elements[Key(group, element)] = [.. Header(group, element, vr, declaredLength ?? (uint)value.Length, ExplicitVr), .. value];
        return this;
    }

    /// <summary>An undefined-length sequence of undefined-length items, each holding the given pre-encoded elements.</summary>
    public DicomTestWriter Sequence(ushort group, ushort element, params byte[][] items)
    {
        var body = new List<byte>(Header(group, element, "SQ", 0xFFFFFFFF, ExplicitVr));
        foreach (var item in items)
        {
            body.AddRange(Header(0xFFFE, 0xE000, "", 0xFFFFFFFF, false));
            body.AddRange(item);
            body.AddRange(Header(0xFFFE, 0xE00D, "", 0, false));
        }
        body.AddRange(Header(0xFFFE, 0xE0DD, "", 0, false));
        elements[Key(group, element)] = [.. body];
        return this;
    }

    /// <summary>Encapsulated Pixel Data: Basic Offset Table (given entries), fragments, Sequence Delimitation.</summary>
    public DicomTestWriter Encapsulated(IReadOnlyList<byte[]> fragments, params uint[] offsetTable)
    {
        var body = new List<byte>(Header(0x7FE0, 0x0010, "OB", 0xFFFFFFFF, ExplicitVr));
        var table = new byte[offsetTable.Length * 4];
        for (var i = 0; i < offsetTable.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4 * i), offsetTable[i]);
        body.AddRange(Header(0xFFFE, 0xE000, "", (uint)table.Length, false));
        body.AddRange(table);
        foreach (var fragment in fragments)
        {
            var padded = fragment.Length % 2 == 0 ? fragment : [.. fragment, 0];
            body.AddRange(Header(0xFFFE, 0xE000, "", (uint)padded.Length, false));
            body.AddRange(padded);
        }
        body.AddRange(Header(0xFFFE, 0xE0DD, "", 0, false));
        elements[Key(0x7FE0, 0x0010)] = [.. body];
        return this;
    }

    public DicomTestWriter Remove(ushort group, ushort element)
    {
        elements.Remove(Key(group, element));
        return this;
    }

    /// <summary>One element encoded in this writer's VR mode, for building sequence items.</summary>
    public byte[] Element(ushort group, ushort element, string vr, byte[] value) =>
        [.. Header(group, element, vr, (uint)value.Length, ExplicitVr), .. value];

    public byte[] Build()
    {
        var output = new List<byte>(new byte[128]);
        output.AddRange("DICM"u8.ToArray());
        var uid = Encoding.ASCII.GetBytes(TransferSyntaxUid);
        if (uid.Length % 2 == 1) uid = [.. uid, 0];
        var meta = new List<byte>();
        meta.AddRange(Header(0x0002, 0x0001, "OB", 2, true));
        meta.AddRange(new byte[] { 0, 1 });
        meta.AddRange(Header(0x0002, 0x0010, "UI", (uint)uid.Length, true));
        meta.AddRange(uid);
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)meta.Count);
        output.AddRange(Header(0x0002, 0x0000, "UL", 4, true));
        output.AddRange(groupLength);
        output.AddRange(meta);
        foreach (var element in elements.Values) output.AddRange(element);
        return [.. output];
    }

    private static uint Key(ushort group, ushort element) => ((uint)group << 16) | element;

    public static byte[] Header(ushort group, ushort element, string vr, uint length, bool explicitVr)
    {
        var header = new List<byte>();
        var tag = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(tag, group);
        BinaryPrimitives.WriteUInt16LittleEndian(tag.AsSpan(2), element);
        header.AddRange(tag);
        var length32 = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length32, length);
        if (!explicitVr || group == 0xFFFE)
        {
            header.AddRange(length32);
            return [.. header];
        }
        header.AddRange(Encoding.ASCII.GetBytes(vr));
        if (LongVrs.Contains(vr))
        {
            header.AddRange(new byte[2]);
            header.AddRange(length32);
        }
        else
        {
            header.AddRange(length32.AsSpan(0, 2).ToArray());
        }
        return [.. header];
    }
}
