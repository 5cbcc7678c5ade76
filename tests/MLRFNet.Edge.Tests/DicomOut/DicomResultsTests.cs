using MLRFNet.Core.Manifest;
using MLRFNet.Edge.DicomOut;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Tests.Support;
using MLRFNet.Imaging;
using MLRFNet.Inference;
using MLRFNet.Tests;

namespace MLRFNet.Edge.Tests.DicomOut;

/// <summary>
/// The SR and Secondary Capture checked by independent readers: dicom3tools' dciodvfy (IOD conformance), dcmtk's
/// dsrdump (SR content tree) and pydicom (values read back). Each skips visibly when its tool is absent
/// (tools/setup.sh --test installs dicom3tools, dcmtk and python3-pydicom).
/// </summary>
public sealed class DicomResultsTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string folder = Directory.CreateTempSubdirectory("mlrfnet-dicomout-").FullName;
    private static readonly ModelManifest Manifest = TestModel.Manifest(new string('a', 64)) with
    {
        Labels = ["Effusion", "Cardiomegaly", "Nodule"],
        Thresholds = [0.5f, 0.2f, 0.9f],
    };

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A decoded DX film with a full Patient / General Study module, scored with a flagged Cardiomegaly.</summary>
    private static (StudyReport Report, XrayImage Image, ScoringResult Result, byte[] Source) Study()
    {
        var ids = DicomTestWriter.IdsFor(7);
        var film = DicomTestWriter.Grayscale(DicomTestWriter.ExplicitLittle, 300, 280, 16, 12, false,
                [.. SyntheticXrays.Pixels16(280, 300, 7).Select(p => (int)(p >> 4))])
            .Text(0x0002, 0x0002, "UI", DicomTestWriter.DigitalXRay).Text(0x0002, 0x0003, "UI", ids.SopUid)
            .Text(0x0008, 0x0016, "UI", DicomTestWriter.DigitalXRay).Text(0x0008, 0x0018, "UI", ids.SopUid)
            .Text(0x0008, 0x0020, "DA", "20261205").Text(0x0008, 0x0030, "TM", "101500").Text(0x0008, 0x0050, "SH", "ACC42")
            .Text(0x0008, 0x0060, "CS", "DX").Text(0x0008, 0x0090, "PN", "Ref^Doctor")
            .Text(0x0010, 0x0010, "PN", "Doe^Jane").Text(0x0010, 0x0020, "LO", ids.PatientId)
            .Text(0x0010, 0x0030, "DA", "19700101").Text(0x0010, 0x0040, "CS", "F")
            .Text(0x0018, 0x0015, "CS", "CHEST").Text(0x0018, 0x5101, "CS", "PA")
            .Text(0x0020, 0x000D, "UI", ids.StudyUid).Text(0x0020, 0x000E, "UI", ids.SeriesUid).Text(0x0020, 0x0010, "SH", "S7")
            .Build();
        var image = XrayDecoder.Decode(film);
        var maps = new List<ClassMap> { new("u4", 3, 4, 4, [.. Enumerable.Range(0, 48).Select(i => (float)i)]) };
        var result = new ScoringResult([0, 0, 0], [0.125f, 0.75f, 0.5f], maps);
        var report = ReportBuilder.Build("film.dcm.0123456789ab", new DateTimeOffset(2026, 12, 6, 4, 5, 6, TimeSpan.Zero), "film.dcm",
            new string('b', 64), film.Length, image, Manifest, new string('c', 64), "CPU", result, new ReportTimings(1, 2, 3, 4, 1, 5), null);
        return (report, image, result, film);
    }

    private (string Sr, string Sc) Write(string? degraded = null)
    {
        var (report, image, result, _) = Study();
        report = report with { ModelDegraded = degraded };
        var files = DicomResults.Build(report, image, result, Manifest.Preprocessing);
        Assert.Equal(["film.dcm.0123456789ab.sr.dcm", "film.dcm.0123456789ab.sc.dcm"], files.Select(f => f.Name));
        foreach (var f in files) File.WriteAllBytes(Path.Combine(folder, f.Name), f.Content);
        return (Path.Combine(folder, files[0].Name), Path.Combine(folder, files[1].Name));
    }

    [SkippableFact]
    public void SrAndScPassDciodvfyWithoutErrors()
    {
        // Catches: a missing Type 1/2 attribute, a wrong VR or odd length, a malformed sequence, a bad UID.
        Skip.IfNot(File.Exists("/usr/bin/dciodvfy"), "dciodvfy (Debian dicom3tools) is not installed: tools/setup.sh --test");
        var (sr, sc) = Write();
        foreach (var file in new[] { sr, sc })
        {
            var (_, output) = ExternalProcess.Run("/usr/bin/dciodvfy", [file], 60_000);
            var errors = output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 0, $"{Path.GetFileName(file)}:\n{output}");
            Assert.Contains(file.EndsWith(".sr.dcm") ? "ComprehensiveSR" : "SC", output);
        }
    }

    [SkippableFact]
    public void DsrdumpReadsTheContentTree()
    {
        // Catches: a content tree dcmtk cannot parse, the notice, a class or its numbers missing, the model identity missing.
        Skip.IfNot(File.Exists("/usr/bin/dsrdump"), "dsrdump (Debian dcmtk) is not installed: tools/setup.sh --test");
        var (sr, _) = Write();
        var (code, output) = ExternalProcess.Run("/usr/bin/dsrdump", ["+Pl", "+Pc", sr], 60_000);
        Assert.True(code == 0, output);
        Assert.Contains("Comprehensive SR", output);
        Assert.True(output.Contains(StudyReport.DecisionSupportNotice), output);
        Assert.Contains("Patient             : Doe^Jane (F, 1970-01-01, #PAT0007)", output);
        // Cardiomegaly's container holds its probability and threshold, and says it is flagged.
        var cardio = output[output.IndexOf("\"Cardiomegaly\")=SEPARATE", StringComparison.Ordinal)..];
        cardio = cardio[..cardio.IndexOf("Nodule", StringComparison.Ordinal)];
        Assert.Contains("\"Model probability\")=\"0.75\"", cardio);
        Assert.Contains("\"Flagging threshold\")=\"0.2\"", cardio);
        Assert.Contains("\"Flagged\")=\"Yes\"", cardio);
        Assert.Contains("\"Model SHA-256\")=\"" + new string('c', 64) + "\"", output);
        Assert.Contains("\"Algorithm Name\")=\"fake-mlrfnet\"", output);
        Assert.Contains("IMAGE:(121112,DCM,\"Source of Measurement\")=(DX image,", output);
    }

    [SkippableFact]
    public void ADegradedModelIsSaidInTheSrAndTheSrStillPassesDciodvfy()
    {
        // Catches: the SR of a study scored by the fallback model hiding that (the JSON report says it).
        Skip.IfNot(File.Exists("/usr/bin/dsrdump") && File.Exists("/usr/bin/dciodvfy"), "dcmtk or dicom3tools missing: tools/setup.sh --test");
        var (sr, _) = Write("configured model refused: signature invalid; running the fallback");
        var (code, output) = ExternalProcess.Run("/usr/bin/dsrdump", ["+Pl", sr], 60_000);
        Assert.True(code == 0, output);
        Assert.Contains("\"Model degraded\")=\"configured model refused: signature invalid; running the fallback\"", output);
        var (_, check) = ExternalProcess.Run("/usr/bin/dciodvfy", [sr], 60_000);
        Assert.DoesNotContain("\nError", "\n" + check);
    }

    [SkippableFact]
    public void PydicomReadsPatientStudyReferencesAndPixelsBack()
    {
        // Catches: another study or patient, the source not referenced, reused UIDs, the SC's pixels or the banner missing.
        Skip.IfNot(File.Exists(Python) && ExternalProcess.Run(Python, ["-c", "import pydicom"], 60_000).ExitCode == 0,
            "/usr/bin/python3 with pydicom is not installed: tools/setup.sh --test");
        var (sr, sc) = Write();
        var ids = DicomTestWriter.IdsFor(7);
        const string script = """
            import sys, pydicom
            sr = pydicom.dcmread(sys.argv[1]); sc = pydicom.dcmread(sys.argv[2])
            ev = sr.CurrentRequestedProcedureEvidenceSequence[0]
            ref = ev.ReferencedSeriesSequence[0].ReferencedSOPSequence[0]
            img = [i for i in sr.ContentSequence if i.ValueType == 'IMAGE'][0].ReferencedSOPSequence[0]
            nums = {c.ConceptNameCodeSequence[0].CodeMeaning: [float(n.MeasuredValueSequence[0].NumericValue) for n in c.ContentSequence if n.ValueType == 'NUM'] for c in sr.ContentSequence if c.ValueType == 'CONTAINER'}
            px = sc.pixel_array
            banner = px[sc.Rows - 30:, :, :]
            print('|'.join(str(v) for v in [sr.PatientName, sr.PatientID, sr.PatientSex, sr.StudyInstanceUID, sc.StudyInstanceUID, sc.PatientName,
                sr.AccessionNumber, ev.StudyInstanceUID, ref.ReferencedSOPInstanceUID, img.ReferencedSOPInstanceUID, img.ReferencedSOPClassUID,
                sr.SeriesInstanceUID != sc.SeriesInstanceUID and sr.SeriesInstanceUID != ev.ReferencedSeriesSequence[0].SeriesInstanceUID,
                sr.SOPInstanceUID == sr.file_meta.MediaStorageSOPInstanceUID, nums['Cardiomegaly'], nums['Effusion'],
                sc.SamplesPerPixel, sc.BurnedInAnnotation, int((banner == 255).all(axis=2).sum()) > 100, px.shape[2]]))
            """;
        var (code, output) = ExternalProcess.Run(Python, ["-c", script, sr, sc], 120_000);
        Assert.True(code == 0, output);
        var v = output.Trim().Split('|');
        Assert.Equal(["Doe^Jane", ids.PatientId, "F", ids.StudyUid, ids.StudyUid, "Doe^Jane", "ACC42", ids.StudyUid, ids.SopUid, ids.SopUid,
            DicomTestWriter.DigitalXRay, "True", "True", "[0.75, 0.2]", "[0.125, 0.5]", "3", "YES", "True", "3"], v);
    }

    [Fact]
    public void UidsAreUnderTwoDotTwentyFiveStableForTheSameInputAndDistinctPerObject()
    {
        // Catches: random UIDs (a retry would send a second copy), one UID shared by SR and SC, over-long UIDs.
        var a = DicomUids.Derived(new string('b', 64), "sr-instance");
        Assert.Equal(a, DicomUids.Derived(new string('b', 64), "sr-instance"));
        Assert.NotEqual(a, DicomUids.Derived(new string('b', 64), "sc-instance"));
        Assert.NotEqual(a, DicomUids.Derived(new string('d', 64), "sr-instance"));
        Assert.StartsWith("2.25.", a);
        Assert.True(a.Length <= 64);
        Assert.Matches("^2\\.25\\.[1-9][0-9]*$", a);
    }

    [Fact]
    public void PngInputsGetNoDicomResults()
    {
        var image = new XrayImage(64, 64, new float[64 * 64], 8, XrayFormat.Png);
        var (report, _, result, _) = Study();
        Assert.Empty(DicomResults.Build(report, image, result, Manifest.Preprocessing));
    }
}
