using System.Diagnostics;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>The test DICOM writer checked by an independent parser (dcmtk's dcmdump), so e2e DICOM tests rest on valid files.</summary>
public sealed class DicomWriterTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static string? DcmDump(string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dcmdump", ["-q", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : "EXIT " + process.ExitCode + ": " + output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [SkippableFact]
    public void DcmdumpReadsTheNativeFileWithItsIdentifiers()
    {
        var path = Path.Combine(temp.Path, "native.dcm");
        File.WriteAllBytes(path, SyntheticXrays.Dicom16(4, 80, 96));
        var dump = DcmDump(path);
        Skip.If(dump is null, "dcmdump (dcmtk) is not installed: DICOM writer cross-check skipped.");
        Assert.DoesNotContain("EXIT", dump);
        Assert.Contains("(0002,0010) UI =LittleEndianExplicit", dump);
        Assert.Contains("(0010,0020) LO [PAT0004]", dump);
        Assert.Contains("(0020,000d) UI [1.2.826.0.1.3680043.10.99.1.4]", dump);
        Assert.Contains("(0028,0010) US 96", dump);
        Assert.Contains("(0028,0011) US 80", dump);
        Assert.Contains("(7fe0,0010) OW", dump);
        Assert.Contains("# 15360,", dump); // 80 x 96 x 2 bytes of pixel data
    }

    [SkippableFact]
    public void DcmdumpReadsTheJpeg2000FileAsEncapsulated()
    {
        var path = Path.Combine(temp.Path, "j2k.dcm");
        File.WriteAllBytes(path, SyntheticXrays.DicomJpeg2000(8));
        var dump = DcmDump(path);
        Skip.If(dump is null, "dcmdump (dcmtk) is not installed: DICOM writer cross-check skipped.");
        Assert.DoesNotContain("EXIT", dump);
        Assert.Contains("JPEG2000LosslessOnly", dump);
        Assert.Contains("PixelSequence", dump);
    }
}
