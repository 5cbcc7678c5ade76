using System.Runtime.InteropServices;

namespace MLRFNet.Imaging.Dicom.Codecs;

/// <summary>
/// JPEG 2000 lossless and lossy (1.2.840.10008.1.2.4.90/.91), decoded by OpenJPEG (https://www.openjpeg.org, BSD-2,
/// the ISO 15444-4 reference implementation that GDCM and most PACS use) through its C API, from the system library
/// libopenjp2.so.7 (Debian/Ubuntu package libopenjp2-7). A managed JPEG 2000 decoder is not on this project's NuGet
/// feed, and one written here would be thousands of lines of wavelet and EBCOT code. The codestream is fed from
/// memory (<see cref="OpenJpegNative"/>); OpenJPEG's errors are collected and put into the exception message.
/// </summary>
internal static class Jpeg2000FrameDecoder
{
    public static void Decode(byte[] frame, DicomImageGeometry geometry, Span<byte> destination)
    {
        var samples = NativeCodecLibrary.Call("JPEG 2000", OpenJpegNative.Library, "libopenjp2-7",
            () => OpenJpegNative.DecodeGray(frame, geometry));
        for (var i = 0; i < samples.Length; i++) FrameDecoders.Store(destination, i, samples[i], geometry.BitsAllocated);
    }
}
