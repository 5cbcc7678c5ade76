namespace MLRFNet.Imaging.Dicom.Codecs;

/// <summary>
/// Decodes one compressed frame into <paramref name="destination"/>: Rows × Columns samples, little endian,
/// Bits Allocated wide (1 or 2 bytes), exactly the layout of native Pixel Data, so one
/// <see cref="DicomGrayscalePipeline"/> serves every transfer syntax.
/// </summary>
internal delegate void FrameDecoder(byte[] frame, DicomImageGeometry geometry, Span<byte> destination);

/// <summary>The frame decoder of each encapsulated <see cref="FrameCodec"/>.</summary>
internal static class FrameDecoders
{
    private static readonly Dictionary<FrameCodec, FrameDecoder> Registry = new()
    {
        [FrameCodec.JpegBaseline] = JpegBaselineFrameDecoder.Decode,
        [FrameCodec.JpegLossless] = JpegLosslessFrameDecoder.Decode,
        [FrameCodec.JpegLs] = JpegLsFrameDecoder.Decode,
        [FrameCodec.Jpeg2000] = Jpeg2000FrameDecoder.Decode,
        [FrameCodec.Rle] = RleFrameDecoder.Decode,
    };

    public static FrameDecoder For(FrameCodec codec) =>
        Registry.TryGetValue(codec, out var decoder) ? decoder
            : throw new InvalidOperationException($"No frame decoder is registered for {codec}.");

    /// <summary>Writes one decoded sample at <paramref name="index"/> in the native layout.</summary>
    public static void Store(Span<byte> destination, int index, int value, int bitsAllocated)
    {
        if (bitsAllocated == 8)
            destination[index] = (byte)value;
        else
        {
            destination[2 * index] = (byte)value;
            destination[2 * index + 1] = (byte)(value >> 8);
        }
    }

    /// <summary>The codestream's size and precision must match the data set's; otherwise the file is inconsistent.</summary>
    public static void CheckFrame(string codec, long width, long height, int components, int precision, DicomImageGeometry g)
    {
        if (width != g.Columns || height != g.Rows || components != 1)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"DICOM {codec} frame is {width}x{height} with {components} component(s) but the data set declares " +
                $"{g.Columns}x{g.Rows} (Columns x Rows) with Samples per Pixel 1.");
        if (precision < 1 || precision > g.BitsAllocated)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"DICOM {codec} frame has {precision}-bit samples but Bits Allocated is {g.BitsAllocated}.");
    }
}
