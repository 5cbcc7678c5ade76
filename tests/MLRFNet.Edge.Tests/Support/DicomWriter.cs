using System.Text;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>
/// Writes small DICOM Part 10 files (PS3.10 section 7: 128-byte preamble, "DICM", group 0002 meta in Explicit VR
/// Little Endian, then the data set) for tests: native 16-bit MONOCHROME2 in Explicit VR Little Endian, or a
/// JPEG 2000 encapsulated one (PS3.5 A.4) that a decoder without JPEG 2000 must refuse by transfer syntax.
/// Checked against dcmtk's dcmdump in DicomWriterTests.
/// </summary>
internal static class DicomWriter
{
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";
    public const string DigitalXRay = "1.2.840.10008.5.1.4.1.1.1.1"; // DX Image Storage - For Presentation

    public sealed record Identifiers(string PatientId, string StudyUid, string SeriesUid, string SopUid);

    public static Identifiers IdsFor(int seed) => new($"PAT{seed:D4}", $"1.2.826.0.1.3680043.10.99.1.{seed}",
        $"1.2.826.0.1.3680043.10.99.2.{seed}", $"1.2.826.0.1.3680043.10.99.3.{seed}");

    public static byte[] Native16(int seed, int width = 80, int height = 96) =>
        Write(ExplicitVrLittleEndian, IdsFor(seed), width, height, PixelBytes(SyntheticXrays.Pixels16(width, height, seed)), encapsulated: false);

    public static byte[] Jpeg2000(int seed, int width = 80, int height = 96) =>
        Write(Jpeg2000Lossless, IdsFor(seed), width, height, [0xFF, 0x4F, 0xFF, 0x51, 0, 0, 0, 0], encapsulated: true);

    private static byte[] PixelBytes(ushort[] pixels)
    {
        var bytes = new byte[pixels.Length * 2];
        for (var i = 0; i < pixels.Length; i++) { bytes[2 * i] = (byte)pixels[i]; bytes[2 * i + 1] = (byte)(pixels[i] >> 8); }
        return bytes;
    }

    private static byte[] Write(string transferSyntax, Identifiers ids, int width, int height, byte[] pixelData, bool encapsulated)
    {
        var meta = new MemoryStream();
        Element(meta, 0x0002, 0x0001, "OB", [0, 1]);
        Element(meta, 0x0002, 0x0002, "UI", Uid(DigitalXRay));
        Element(meta, 0x0002, 0x0003, "UI", Uid(ids.SopUid));
        Element(meta, 0x0002, 0x0010, "UI", Uid(transferSyntax));
        Element(meta, 0x0002, 0x0012, "UI", Uid("1.2.826.0.1.3680043.10.99"));

        var data = new MemoryStream();
        Element(data, 0x0008, 0x0016, "UI", Uid(DigitalXRay));
        Element(data, 0x0008, 0x0018, "UI", Uid(ids.SopUid));
        Element(data, 0x0008, 0x0060, "CS", Text("DX"));
        Element(data, 0x0010, 0x0020, "LO", Text(ids.PatientId));
        Element(data, 0x0018, 0x0015, "CS", Text("CHEST"));
        Element(data, 0x0018, 0x5101, "CS", Text("PA"));
        Element(data, 0x0020, 0x000D, "UI", Uid(ids.StudyUid));
        Element(data, 0x0020, 0x000E, "UI", Uid(ids.SeriesUid));
        Element(data, 0x0028, 0x0002, "US", U16(1));
        Element(data, 0x0028, 0x0004, "CS", Text("MONOCHROME2"));
        Element(data, 0x0028, 0x0010, "US", U16(height));
        Element(data, 0x0028, 0x0011, "US", U16(width));
        Element(data, 0x0028, 0x0100, "US", U16(16));
        Element(data, 0x0028, 0x0101, "US", U16(16));
        Element(data, 0x0028, 0x0102, "US", U16(15));
        Element(data, 0x0028, 0x0103, "US", U16(0));
        if (!encapsulated) Element(data, 0x7FE0, 0x0010, "OW", pixelData);
        else
        {
            // Undefined length, empty Basic Offset Table item, one fragment, sequence delimiter (PS3.5 A.4).
            Tag(data, 0x7FE0, 0x0010); data.Write("OB"u8); data.Write([0, 0]); U32(data, 0xFFFFFFFF);
            Tag(data, 0xFFFE, 0xE000); U32(data, 0);
            Tag(data, 0xFFFE, 0xE000); U32(data, (uint)pixelData.Length); data.Write(pixelData);
            Tag(data, 0xFFFE, 0xE0DD); U32(data, 0);
        }

        var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        Element(file, 0x0002, 0x0000, "UL", BitConverter.GetBytes((uint)meta.Length));
        meta.WriteTo(file);
        data.WriteTo(file);
        return file.ToArray();
    }

    private static byte[] Uid(string uid) => Pad(Encoding.ASCII.GetBytes(uid), 0);

    private static byte[] Text(string text) => Pad(Encoding.ASCII.GetBytes(text), (byte)' ');

    private static byte[] U16(int value) => [(byte)value, (byte)(value >> 8)];

    private static byte[] Pad(byte[] value, byte pad) => value.Length % 2 == 0 ? value : [.. value, pad];

    private static void Tag(Stream s, ushort group, ushort element)
    {
        s.Write(U16(group));
        s.Write(U16(element));
    }

    private static void U32(Stream s, uint value) => s.Write(BitConverter.GetBytes(value));

    private static void Element(Stream s, ushort group, ushort element, string vr, byte[] value)
    {
        Tag(s, group, element);
        s.Write(Encoding.ASCII.GetBytes(vr));
        if (vr is "OB" or "OW" or "SQ" or "UN" or "UT")
        {
            s.Write([0, 0]);
            U32(s, (uint)value.Length);
        }
        else s.Write(U16(value.Length));
        s.Write(value);
    }
}
