using MLRFNet.Imaging.Jpeg;

namespace MLRFNet.Imaging.Dicom.Codecs;

/// <summary>JPEG Baseline (1.2.840.10008.1.2.4.50): 8-bit DCT, decoded by ImageSharp through <see cref="JpegReader"/>.</summary>
internal static class JpegBaselineFrameDecoder
{
    public static void Decode(byte[] frame, DicomImageGeometry geometry, Span<byte> destination)
    {
        var limits = new DecodeLimits { MaxWidth = geometry.Columns, MaxHeight = geometry.Rows };
        var (header, decoded) = JpegReader.DecodeGray(frame, limits, "DICOM JPEG Baseline frame");
        FrameDecoders.CheckFrame("JPEG Baseline", header.Width, header.Height, header.Components, 8, geometry);
        for (var i = 0; i < decoded.Length; i++) FrameDecoders.Store(destination, i, (int)decoded[i], geometry.BitsAllocated);
    }
}
