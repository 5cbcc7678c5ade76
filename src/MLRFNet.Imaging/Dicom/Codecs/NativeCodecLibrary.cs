namespace MLRFNet.Imaging.Dicom.Codecs;

/// <summary>
/// Turns a missing native codec library into a refusal that names the library and the Debian/Ubuntu package to
/// install: the JPEG-LS and JPEG 2000 decoders call the system's CharLS and OpenJPEG, which a box (or a Jetson's
/// Ubuntu) may lack. The file goes to quarantine and can be re-fed once the package is installed.
/// </summary>
internal static class NativeCodecLibrary
{
    public static T Call<T>(string codec, string library, string package, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new XrayDecodeException(DecodeErrorKind.UnsupportedTransferSyntax,
                $"DICOM {codec} needs the native library {library}, which could not be loaded ({e.Message}). Install it " +
                $"(`apt-get install {package}` on Debian/Ubuntu), then move the file back into the intake.", e);
        }
    }
}
