using System.Buffers.Binary;
using System.Text;

namespace MLRFNet.Tests;

/// <summary>
/// Writes DICOM Part 10 files for tests, independently of the reader (PS3.10 section 7): 128-byte preamble + DICM, an
/// Explicit VR Little Endian meta group (group 0002: elements given with that group go there), then the data set
/// (elements sorted by tag) in Explicit or Implicit VR Little Endian. Lengths can be overridden to produce lying
/// headers. <see cref="ChestDx16"/> and <see cref="ChestDxJpeg2000"/> make whole films as a modality sends them (the
/// Edge end-to-end tests' inputs, checked against dcmtk's dcmdump in DicomWriterTests).
/// </summary>
internal sealed class DicomTestWriter(string transferSyntaxUid)
{
    public const string ImplicitLittle = "1.2.840.10008.1.2";
    public const string ExplicitLittle = "1.2.840.10008.1.2.1";
    public const string JpegBaseline = "1.2.840.10008.1.2.4.50";
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";
    public const string DigitalXRay = "1.2.840.10008.5.1.4.1.1.1.1"; // DX Image Storage - For Presentation
    public const string ImplementationClassUid = "1.2.826.0.1.3680043.10.99";

    private static readonly string[] LongVrs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UR", "UT", "UN", "SV", "UV"];
    private readonly SortedDictionary<uint, byte[]> meta = [];
    private readonly SortedDictionary<uint, byte[]> elements = [];

    /// <summary>The identifiers of a test study, different for each seed.</summary>
    public sealed record Identifiers(string PatientId, string StudyUid, string SeriesUid, string SopUid);

    public static Identifiers IdsFor(int seed) => new($"PAT{seed:D4}", $"1.2.826.0.1.3680043.10.99.1.{seed}",
        $"1.2.826.0.1.3680043.10.99.2.{seed}", $"1.2.826.0.1.3680043.10.99.3.{seed}");

    /// <summary>
    /// A chest DX film: full meta group (SOP class and instance, implementation UID), patient and study identifiers,
    /// 16-bit MONOCHROME2 <paramref name="pixels"/> (row-major, <paramref name="width"/> x <paramref name="height"/>),
    /// native in Explicit VR Little Endian.
    /// </summary>
    public static byte[] ChestDx16(Identifiers ids, int width, int height, ushort[] pixels) =>
        ChestDx(ExplicitLittle, ids, width, height, [.. pixels.Select(p => (int)p)]).Build();

    /// <summary>The same film JPEG 2000 encapsulated (PS3.5 A.4) with an 8-byte codestream stub: the decoder refuses it as malformed.</summary>
    public static byte[] ChestDxJpeg2000(Identifiers ids, int width, int height) =>
        ChestDx(Jpeg2000Lossless, ids, width, height, []).Encapsulated([[0xFF, 0x4F, 0xFF, 0x51, 0, 0, 0, 0]]).Build();

    private static DicomTestWriter ChestDx(string syntax, Identifiers ids, int width, int height, IReadOnlyList<int> samples) =>
        Grayscale(syntax, height, width, 16, 16, signed: false, samples)
            .Text(0x0002, 0x0002, "UI", DigitalXRay)
            .Text(0x0002, 0x0003, "UI", ids.SopUid)
            .Text(0x0002, 0x0012, "UI", ImplementationClassUid)
            .Text(0x0008, 0x0016, "UI", DigitalXRay)
            .Text(0x0008, 0x0018, "UI", ids.SopUid)
            .Text(0x0008, 0x0060, "CS", "DX")
            .Text(0x0010, 0x0020, "LO", ids.PatientId)
            .Text(0x0018, 0x0015, "CS", "CHEST")
            .Text(0x0018, 0x5101, "CS", "PA")
            .Text(0x0020, 0x000D, "UI", ids.StudyUid)
            .Text(0x0020, 0x000E, "UI", ids.SeriesUid);

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

    /// <summary>
    /// Adds an element (group 0002 to the meta group, always Explicit VR); <paramref name="declaredLength"/> replaces
    /// the true length in the header (a lie).
    /// </summary>
    public DicomTestWriter Raw(ushort group, ushort element, string vr, byte[] value, uint? declaredLength = null)
    {
        var isMeta = group == 0x0002;
        (isMeta ? meta : elements)[Key(group, element)] =
            [.. Header(group, element, vr, declaredLength ?? (uint)value.Length, isMeta || ExplicitVr), .. value];
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
        (group == 0x0002 ? meta : elements).Remove(Key(group, element));
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
        // File Meta Information Version and Transfer Syntax always; other meta elements as added.
        var metaElements = new SortedDictionary<uint, byte[]>(meta);
        metaElements.TryAdd(Key(0x0002, 0x0001), [.. Header(0x0002, 0x0001, "OB", 2, true), 0, 1]);
        metaElements.TryAdd(Key(0x0002, 0x0010), [.. Header(0x0002, 0x0010, "UI", (uint)uid.Length, true), .. uid]);
        var metaGroup = metaElements.Values.SelectMany(e => e).ToArray();
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)metaGroup.Length);
        output.AddRange(Header(0x0002, 0x0000, "UL", 4, true));
        output.AddRange(groupLength);
        output.AddRange(metaGroup);
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
