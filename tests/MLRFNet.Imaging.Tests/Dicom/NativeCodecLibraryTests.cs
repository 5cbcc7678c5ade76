using MLRFNet.Imaging.Dicom.Codecs;

namespace MLRFNet.Imaging.Tests.Dicom;

/// <summary>
/// A box without CharLS or OpenJPEG: the load failure becomes a refusal naming the library and the package to install
/// (the file goes to quarantine and can be re-fed), not an unhandled DllNotFoundException that the intake would treat
/// as a disk fault. The P/Invoke stubs cannot be made to miss a library that is installed, so the wrapper is tested.
/// </summary>
public sealed class NativeCodecLibraryTests
{
    [Theory]
    [InlineData(typeof(DllNotFoundException))]
    [InlineData(typeof(EntryPointNotFoundException))]
    public void MissingLibrary_IsAnUnsupportedTransferSyntaxNamingTheAptPackage(Type failure)
    {
        var e = Assert.Throws<XrayDecodeException>(() => NativeCodecLibrary.Call<int>("JPEG-LS", "libcharls.so.2", "libcharls2",
            () => throw (Exception)Activator.CreateInstance(failure, "cannot open shared object file")!));
        Assert.Equal(DecodeErrorKind.UnsupportedTransferSyntax, e.Kind);
        Assert.Contains("libcharls.so.2", e.Message);
        Assert.Contains("apt-get install libcharls2", e.Message);
        Assert.IsType(failure, e.InnerException);
    }

    [Fact]
    public void OtherFailures_AreNotDisguisedAsAMissingLibrary() =>
        Assert.Throws<InvalidOperationException>(() => NativeCodecLibrary.Call<int>("JPEG-LS", "libcharls.so.2", "libcharls2",
            () => throw new InvalidOperationException("boom")));
}
