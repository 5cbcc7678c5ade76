namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// A DICOM transfer syntax (PS3.5 section 10, PS3.6 table A-1), the <see cref="FrameCodec"/> that decodes its pixel
/// data (null: not supported), and whether the data set after the file meta group is deflated (PS3.5 A.5).
/// Unsupported entries exist so that the refusal names the syntax instead of printing a bare UID.
/// </summary>
internal sealed record TransferSyntax(string Uid, string Name, FrameCodec? Codec, bool ExplicitVr = true, bool Deflated = false)
{
    public bool Supported => Codec is not null;

    public bool Encapsulated => Codec is not (null or FrameCodec.Native);

    public const string ImplicitVrLittleEndianUid = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndianUid = "1.2.840.10008.1.2.1";
    public const string JpegBaselineUid = "1.2.840.10008.1.2.4.50";

    private static readonly Dictionary<string, TransferSyntax> Registry = new TransferSyntax[]
    {
        new(ImplicitVrLittleEndianUid, "Implicit VR Little Endian", FrameCodec.Native, ExplicitVr: false),
        new(ExplicitVrLittleEndianUid, "Explicit VR Little Endian", FrameCodec.Native),
        new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", FrameCodec.Native, Deflated: true),
        new(JpegBaselineUid, "JPEG Baseline (Process 1)", FrameCodec.JpegBaseline),
        new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", FrameCodec.JpegLossless),
        new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)", FrameCodec.JpegLossless),
        new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", FrameCodec.JpegLs),
        new("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", FrameCodec.JpegLs),
        new("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", FrameCodec.Jpeg2000),
        new("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", FrameCodec.Jpeg2000),
        new("1.2.840.10008.1.2.5", "RLE Lossless", FrameCodec.Rle),
        new("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)", null),
        new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", null),
        new("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", null),
        new("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)", null),
        new("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", null),
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
                "`dcmconv +te in.dcm out.dcm` (dcmtk).");
        return syntax;
    }

    private static string SupportedList() =>
        string.Join(", ", Registry.Values.Where(t => t.Supported).Select(t => $"{t.Uid} ({t.Name})"));
}

/// <summary>How the pixel data of a transfer syntax is decoded (see <see cref="FrameDecoders"/>).</summary>
internal enum FrameCodec
{
    /// <summary>Uncompressed little-endian samples (PS3.5 section 8.1).</summary>
    Native,

    /// <summary>JPEG Baseline (ISO 10918-1 process 1), decoded by ImageSharp.</summary>
    JpegBaseline,

    /// <summary>JPEG Lossless (ISO 10918-1 process 14, SOF3), decoded by our own <see cref="Codecs.JpegLosslessFrameDecoder"/>.</summary>
    JpegLossless,

    /// <summary>JPEG-LS (ISO 14495-1), decoded by CharLS (libcharls.so.2) through P/Invoke.</summary>
    JpegLs,

    /// <summary>JPEG 2000 (ISO 15444-1), decoded by OpenJPEG (libopenjp2.so.7) through P/Invoke.</summary>
    Jpeg2000,

    /// <summary>RLE Lossless (PS3.5 annex G), decoded by our own <see cref="Codecs.RleFrameDecoder"/>.</summary>
    Rle,
}
