using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLRFNet.Imaging.Dicom.Codecs;

/// <summary>
/// The part of OpenJPEG 2.x's C API (openjpeg.h) that decodes one gray codestream from memory. Struct offsets are
/// those of opj_image_t / opj_image_comp_t in openjpeg.h 2.x (stable since 2.0): image x0,y0,x1,y1,numcomps (uint32),
/// color_space (enum), comps (pointer, offset 24); component dx,dy,w,h,x0,y0,prec,bpp,sgnd,resno_decoded,factor
/// (uint32), data (int32*, offset 48), 64 bytes each. Callbacks are [UnmanagedCallersOnly] function pointers (AOT-safe).
/// </summary>
internal static unsafe partial class OpenJpegNative
{
    public const string Library = "libopenjp2.so.7";
    private const int CodecJ2k = 0, CodecJp2 = 2;   // OPJ_CODEC_FORMAT
    private const int ParametersBytes = 32 << 10;   // sizeof(opj_dparameters_t) is ~8.3 KB in 2.x; generous room

    private struct MemoryStream
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    public static int[] DecodeGray(byte[] frame, DicomImageGeometry geometry)
    {
        // A JP2 file starts with its signature box (ISO 15444-1 I.5.1); DICOM asks for a bare codestream, but some send JP2.
        var codecFormat = frame.AsSpan().StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20]) ? CodecJp2 : CodecJ2k;
        var errors = new List<string>();
        var errorsHandle = GCHandle.Alloc(errors);
        var codec = opj_create_decompress(codecFormat);
        var parameters = NativeMemory.AllocZeroed(ParametersBytes);
        IntPtr stream = IntPtr.Zero, image = IntPtr.Zero;
        try
        {
            if (codec == IntPtr.Zero) throw new OutOfMemoryException("OpenJPEG could not create a decoder.");
            opj_set_error_handler(codec, &OnError, GCHandle.ToIntPtr(errorsHandle));
            opj_set_default_decoder_parameters(parameters);
            Require(opj_setup_decoder(codec, parameters), "setup", errors);
            fixed (byte* data = frame)
            {
                var source = new MemoryStream { Data = data, Length = frame.Length };
                stream = opj_stream_create(1 << 16, 1);
                if (stream == IntPtr.Zero) throw new OutOfMemoryException("OpenJPEG could not create a stream.");
                opj_stream_set_read_function(stream, &Read);
                opj_stream_set_skip_function(stream, &Skip);
                opj_stream_set_seek_function(stream, &Seek);
                opj_stream_set_user_data(stream, &source, IntPtr.Zero);
                opj_stream_set_user_data_length(stream, (ulong)frame.Length);
                Require(opj_read_header(stream, codec, &image), "header", errors);
                CheckHeader(image, geometry);
                Require(opj_decode(codec, stream, image), "decode", errors);
                Require(opj_end_decompress(codec, stream), "end of codestream", errors);
                return Samples(image, geometry);
            }
        }
        finally
        {
            if (image != IntPtr.Zero) opj_image_destroy(image);
            if (stream != IntPtr.Zero) opj_stream_destroy(stream);
            if (codec != IntPtr.Zero) opj_destroy_codec(codec);
            NativeMemory.Free(parameters);
            errorsHandle.Free();
        }
    }

    private static void CheckHeader(IntPtr image, DicomImageGeometry geometry)
    {
        var header = (uint*)image;
        var components = header[4];
        FrameDecoders.CheckFrame("JPEG 2000", (long)header[2] - header[0], (long)header[3] - header[1], (int)components,
            components == 0 ? 0 : (int)Component(image)[6], geometry);
        var component = Component(image);
        if (component[0] != 1 || component[1] != 1)
            throw Corrupt($"its component is subsampled ({component[0]}x{component[1]}), which a gray DICOM frame never is");
    }

    private static uint* Component(IntPtr image) => *(uint**)((byte*)image + 24);

    private static int[] Samples(IntPtr image, DicomImageGeometry geometry)
    {
        var component = Component(image);
        var data = *(int**)((byte*)component + 48);
        var count = geometry.Rows * geometry.Columns;
        if (component[2] != geometry.Columns || component[3] != geometry.Rows || data == null)
            throw Corrupt($"OpenJPEG returned a {component[2]}x{component[3]} component{(data == null ? " without data" : "")}");
        return new ReadOnlySpan<int>(data, count).ToArray();
    }

    private static void Require(int ok, string step, List<string> errors)
    {
        if (ok == 0) throw Corrupt($"OpenJPEG failed at the {step} ({(errors.Count > 0 ? string.Join(" ", errors).Trim() : "no message")})");
    }

    private static XrayDecodeException Corrupt(string what) =>
        new(DecodeErrorKind.Malformed, $"DICOM JPEG 2000 frame is corrupt: {what}. Re-export or re-send the image.");

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(byte* message, IntPtr client)
    {
        if (GCHandle.FromIntPtr(client).Target is List<string> errors && errors.Count < 8)
            errors.Add(Marshal.PtrToStringUTF8((IntPtr)message) ?? "");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nuint Read(byte* buffer, nuint count, MemoryStream* stream)
    {
        var available = stream->Length - stream->Position;
        if (available <= 0) return unchecked((nuint)(-1));   // OpenJPEG's end-of-stream value
        var n = (long)Math.Min((ulong)available, count);
        Buffer.MemoryCopy(stream->Data + stream->Position, buffer, (long)count, n);
        stream->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static long Skip(long count, MemoryStream* stream)
    {
        var target = Math.Clamp(stream->Position + count, 0, stream->Length);
        var skipped = target - stream->Position;
        stream->Position = target;
        return skipped;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Seek(long offset, MemoryStream* stream)
    {
        if (offset < 0 || offset > stream->Length) return 0;
        stream->Position = offset;
        return 1;
    }

    [LibraryImport(Library)] private static partial IntPtr opj_create_decompress(int format);
    [LibraryImport(Library)] private static partial void opj_destroy_codec(IntPtr codec);
    [LibraryImport(Library)] private static partial void opj_set_default_decoder_parameters(void* parameters);
    [LibraryImport(Library)] private static partial int opj_setup_decoder(IntPtr codec, void* parameters);
    [LibraryImport(Library)] private static partial int opj_set_error_handler(IntPtr codec, delegate* unmanaged[Cdecl]<byte*, IntPtr, void> handler, IntPtr client);
    [LibraryImport(Library)] private static partial IntPtr opj_stream_create(nuint bufferSize, int isInput);
    [LibraryImport(Library)] private static partial void opj_stream_destroy(IntPtr stream);
    [LibraryImport(Library)] private static partial void opj_stream_set_read_function(IntPtr stream, delegate* unmanaged[Cdecl]<byte*, nuint, MemoryStream*, nuint> read);
    [LibraryImport(Library)] private static partial void opj_stream_set_skip_function(IntPtr stream, delegate* unmanaged[Cdecl]<long, MemoryStream*, long> skip);
    [LibraryImport(Library)] private static partial void opj_stream_set_seek_function(IntPtr stream, delegate* unmanaged[Cdecl]<long, MemoryStream*, int> seek);
    [LibraryImport(Library)] private static partial void opj_stream_set_user_data(IntPtr stream, MemoryStream* data, IntPtr free);
    [LibraryImport(Library)] private static partial void opj_stream_set_user_data_length(IntPtr stream, ulong length);
    [LibraryImport(Library)] private static partial int opj_read_header(IntPtr stream, IntPtr codec, IntPtr* image);
    [LibraryImport(Library)] private static partial int opj_decode(IntPtr codec, IntPtr stream, IntPtr image);
    [LibraryImport(Library)] private static partial int opj_end_decompress(IntPtr codec, IntPtr stream);
    [LibraryImport(Library)] private static partial void opj_image_destroy(IntPtr image);
}
