namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// A DICOM transfer syntax (PS3.5 section 10, PS3.6 table A-1) and whether this decoder implements it. Unsupported
/// entries exist so that the refusal names the syntax instead of printing a bare UID.
/// </summary>
internal sealed record TransferSyntax(string Uid, string Name, bool Supported, bool ExplicitVr = true, bool Encapsulated = false)
{
    public const string ImplicitVrLittleEndianUid = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndianUid = "1.2.840.10008.1.2.1";
    public const string JpegBaselineUid = "1.2.840.10008.1.2.4.50";

    private static readonly Dictionary<string, TransferSyntax> Registry = new TransferSyntax[]
    {
        new(ImplicitVrLittleEndianUid, "Implicit VR Little Endian", Supported: true, ExplicitVr: false),
        new(ExplicitVrLittleEndianUid, "Explicit VR Little Endian", Supported: true),
        new(JpegBaselineUid, "JPEG Baseline (Process 1)", Supported: true, Encapsulated: true),
        new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", Supported: false),
        new("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)", Supported: false),
        new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", Supported: false, Encapsulated: true),
        new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", Supported: false, Encapsulated: true),
        new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)", Supported: false, Encapsulated: true),
        new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", Supported: false, Encapsulated: true),
        new("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", Supported: false, Encapsulated: true),
        new("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", Supported: false, Encapsulated: true),
        new("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", Supported: false, Encapsulated: true),
        new("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", Supported: false, Encapsulated: true),
        new("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)", Supported: false, Encapsulated: true),
        new("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", Supported: false, Encapsulated: true),
        new("1.2.840.10008.1.2.5", "RLE Lossless", Supported: false, Encapsulated: true),
    }.ToDictionary(t => t.Uid, StringComparer.Ordinal);

    /// <summary>The supported syntax for <paramref name="uid"/>, or an <see cref="XrayDecodeException"/> naming it.</summary>
    public static TransferSyntax Resolve(string uid)
    {
        if (!Registry.TryGetValue(uid, out var syntax))
            throw new XrayDecodeException(DecodeErrorKind.UnsupportedTransferSyntax,
                $"DICOM transfer syntax '{uid}' is unknown to this decoder. Supported: {SupportedList()}. " +
                "Convert the file first, e.g. `dcmconv +te in.dcm out.dcm` (dcmtk) for Explicit VR Little Endian.");
        if (!syntax.Supported)
            throw new XrayDecodeException(DecodeErrorKind.UnsupportedTransferSyntax,
                $"DICOM transfer syntax {syntax.Uid} ({syntax.Name}) is not supported. Supported: {SupportedList()}. " +
                "Convert it to Explicit VR Little Endian first, e.g. `gdcmconv --raw in.dcm out.dcm` (GDCM) or " +
                "`dcmdjpeg`/`dcmdrle`/`dcmconv +te in.dcm out.dcm` (dcmtk).");
        return syntax;
    }

    private static string SupportedList() =>
        string.Join(", ", Registry.Values.Where(t => t.Supported).Select(t => $"{t.Uid} ({t.Name})"));
}
