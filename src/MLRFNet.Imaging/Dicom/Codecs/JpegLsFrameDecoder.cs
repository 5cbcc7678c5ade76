using System.Runtime.InteropServices;

namespace MLRFNet.Imaging.Dicom.Codecs;

/// <summary>
/// JPEG-LS lossless and near-lossless (1.2.840.10008.1.2.4.80/.81), decoded by CharLS
/// (https://github.com/team-charls/charls, BSD-3) through its C API, from the system library libcharls.so.2
/// (Debian/Ubuntu package libcharls2, also what dcmtk and GDCM build on). A well-kept reference implementation of
/// ISO 14495-1; no managed JPEG-LS decoder is on this project's NuGet feed. CharLS checks the codestream itself and
/// reports errors as codes, so a corrupt frame becomes an <see cref="XrayDecodeException"/>, never a crash.
/// </summary>
internal static partial class JpegLsFrameDecoder
{
    private const string Library = "libcharls.so.2";

    public static void Decode(byte[] frame, DicomImageGeometry geometry, Span<byte> destination)
    {
        var samples = NativeCodecLibrary.Call("JPEG-LS", Library, "libcharls2", () => DecodeNative(frame, geometry));
        var count = geometry.Rows * geometry.Columns;
        if (samples.Length == count)
            for (var i = 0; i < count; i++) FrameDecoders.Store(destination, i, samples[i], geometry.BitsAllocated);
        else
            for (var i = 0; i < count; i++) FrameDecoders.Store(destination, i, samples[2 * i] | samples[2 * i + 1] << 8, geometry.BitsAllocated);
    }

    /// <summary>Samples as CharLS writes them: one byte each up to 8 bits, else two (little endian on every box we run on).</summary>
    private static byte[] DecodeNative(byte[] frame, DicomImageGeometry geometry)
    {
        var decoder = charls_jpegls_decoder_create();
        if (decoder == IntPtr.Zero) throw new OutOfMemoryException("CharLS could not create a decoder.");
        try
        {
            unsafe
            {
                fixed (byte* source = frame)
                {
                    Check(charls_jpegls_decoder_set_source_buffer(decoder, source, (nuint)frame.Length));
                    Check(charls_jpegls_decoder_read_header(decoder));
                    FrameInfo info;
                    Check(charls_jpegls_decoder_get_frame_info(decoder, &info));
                    FrameDecoders.CheckFrame("JPEG-LS", info.Width, info.Height, info.ComponentCount, info.BitsPerSample, geometry);
                    var bytes = (long)info.Width * info.Height * (info.BitsPerSample > 8 ? 2 : 1);
                    nuint size;
                    Check(charls_jpegls_decoder_get_destination_size(decoder, 0, &size));
                    if ((long)size != bytes)
                        throw Corrupt($"CharLS needs {size} bytes for a {info.Width}x{info.Height} frame where {bytes} were expected");
                    var samples = new byte[bytes];
                    fixed (byte* target = samples)
                        Check(charls_jpegls_decoder_decode_to_buffer(decoder, target, size, 0));
                    return samples;
                }
            }
        }
        finally
        {
            charls_jpegls_decoder_destroy(decoder);
        }
    }

    private static void Check(int error)
    {
        if (error != 0) throw Corrupt($"CharLS error {error}: {Marshal.PtrToStringUTF8(charls_get_error_message(error))}");
    }

    private static XrayDecodeException Corrupt(string what) =>
        new(DecodeErrorKind.Malformed, $"DICOM JPEG-LS frame is corrupt: {what}. Re-export or re-send the image.");

    /// <summary>charls_frame_info (charls/public_types.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }

    [LibraryImport(Library)]
    private static partial IntPtr charls_jpegls_decoder_create();

    [LibraryImport(Library)]
    private static partial void charls_jpegls_decoder_destroy(IntPtr decoder);

    [LibraryImport(Library)]
    private static unsafe partial int charls_jpegls_decoder_set_source_buffer(IntPtr decoder, byte* source, nuint size);

    [LibraryImport(Library)]
    private static partial int charls_jpegls_decoder_read_header(IntPtr decoder);

    [LibraryImport(Library)]
    private static unsafe partial int charls_jpegls_decoder_get_frame_info(IntPtr decoder, FrameInfo* info);

    [LibraryImport(Library)]
    private static unsafe partial int charls_jpegls_decoder_get_destination_size(IntPtr decoder, uint stride, nuint* size);

    [LibraryImport(Library)]
    private static unsafe partial int charls_jpegls_decoder_decode_to_buffer(IntPtr decoder, byte* destination, nuint size, uint stride);

    [LibraryImport(Library)]
    private static partial IntPtr charls_get_error_message(int error);
}
