using System.Text.Json;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Tests.Support;
using MLRFNet.Tests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Edge.Tests.Suitability;

/// <summary>
/// A CT slice, a lateral chest view and a uniform gray square (each scored with findings by the service before
/// issue 15) are archived with a short "unsuitable" report and never reach the model; frontal chest films next to
/// them are scored, DICOM with "verified" tags, PNG "unverified". Counted in the state, health.json and the ledger.
/// </summary>
public sealed class SuitabilityEndToEndTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static byte[] Dicom(int seed, string modality, string bodyPart, string view) =>
        DicomTestWriter.Grayscale(DicomTestWriter.ExplicitLittle, 96, 80, 16, 16, signed: false,
                SyntheticXrays.Pixels16(80, 96, seed).Select(v => (int)v).ToArray())
            .Text(0x0008, 0x0060, "CS", modality).Text(0x0018, 0x0015, "CS", bodyPart).Text(0x0018, 0x5101, "CS", view)
            .Text(0x0020, 0x000D, "UI", $"1.2.826.0.1.3680043.10.99.15.{seed}").Build();

    private static byte[] UniformPng(int size)
    {
        using var image = new Image<L8>(size, size, new L8(128));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task CtLateralAndUniformImagesAreArchivedAsUnsuitableAndNeverScored()
    {
        await using var host = EdgeTestHost.Create(temp.Path);
        await host.StartAsync();
        var unsuitable = new Dictionary<string, (byte[] Bytes, string Rule, string Says)>
        {
            ["ct-slice.dcm"] = (Dicom(21, "CT", "CHEST", "AP"), "modality", "Modality is CT"),
            ["lateral.dcm"] = (Dicom(22, "DX", "CHEST", "LL"), "view-position", "View Position is LL"),
            ["knee.dcm"] = (Dicom(23, "CR", "KNEE", "AP"), "body-part", "Body Part Examined is KNEE"),
            ["uniform.png"] = (UniformPng(64), "near-uniform", "near-uniform"),
        };
        var suitable = new Dictionary<string, (byte[] Bytes, string Tags)>
        {
            ["frontal.dcm"] = (Dicom(24, "DX", "CHEST", "PA"), "verified"),
            ["no-body-part.dcm"] = (Dicom(25, "CR", "", "AP"), "verified"),
            ["chest.png"] = (SyntheticXrays.Png(26), "unverified"),
        };
        foreach (var (name, (bytes, _, _)) in unsuitable) await File.WriteAllBytesAsync(Path.Combine(host.Intake, name), bytes);
        foreach (var (name, (bytes, _)) in suitable) await File.WriteAllBytesAsync(Path.Combine(host.Intake, name), bytes);

        var total = unsuitable.Count + suitable.Count;
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == total && host.State.Scored + host.State.Unsuitable == total,
            what: "all files archived");

        Assert.Empty(host.Inputs(host.Quarantine));
        Assert.Equal(unsuitable.Count, host.State.Unsuitable);
        Assert.Equal(suitable.Count, host.State.Scored);
        Assert.Equal(suitable.Count, host.Scorers.Last!.Images);   // the model saw only the suitable ones
        var reports = host.ReportJsons().Select(n => JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(host.Reports, n)),
            EdgeJsonContext.Default.StudyReport)!).ToDictionary(r => r.Input.Name);
        foreach (var (name, (bytes, rule, says)) in unsuitable)
        {
            var report = reports[name];
            Assert.Equal(Outcomes.Unsuitable, report.Outcome);
            Assert.Equal((Outcomes.Unsuitable, rule), (report.Suitability!.Result, report.Suitability.Rule));
            Assert.Contains(says, report.Suitability.Reason);
            Assert.Empty(report.Classes);
            Assert.Empty(report.Findings);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(host.Archive, name)));
            Assert.Contains(says, await File.ReadAllTextAsync(Path.Combine(host.Reports, report.HtmlReport!)));
        }
        foreach (var (name, (_, tags)) in suitable)
        {
            var report = reports[name];
            Assert.Equal(Outcomes.Scored, report.Outcome);
            Assert.Equal(("suitable", tags), (report.Suitability!.Result, report.Suitability.Tags));
            Assert.NotEmpty(report.Classes);
            var page = await File.ReadAllTextAsync(Path.Combine(host.Reports, report.HtmlReport!));
            Assert.Equal(tags == "unverified", page.Contains("unverified", StringComparison.Ordinal));
        }

        var ledger = (await File.ReadAllLinesAsync(Path.Combine(host.Reports, CsvLedger.FileName))).Select(CsvLedger.Split).ToList();
        var outcome = Array.IndexOf(CsvLedger.Columns, "outcome");
        Assert.Equal("outcome", ledger[0][outcome]);
        Assert.Equal(unsuitable.Keys.Order(StringComparer.Ordinal),
            ledger.Skip(1).Where(f => f[outcome] == Outcomes.Unsuitable).Select(f => f[1]).Order(StringComparer.Ordinal));

        await host.WaitUntilAsync(() => JsonSerializer.Deserialize(File.ReadAllBytes(host.HealthFile),
            EdgeJsonContext.Default.HealthSnapshot)!.Unsuitable == unsuitable.Count, what: "health.json counts the unsuitable studies");
    }

    [Fact]
    public async Task TheSameUnsuitableImageDroppedAgainGetsNoSecondReport()
    {
        await using var host = EdgeTestHost.Create(temp.Path);
        await host.StartAsync();
        var bytes = Dicom(31, "CT", "CHEST", "AP");
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "ct.dcm"), bytes);
        await host.WaitUntilAsync(() => host.State.Unsuitable == 1, what: "first copy reported");
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "ct-again.dcm"), bytes);
        await host.WaitUntilAsync(() => host.State.Duplicates == 1, what: "second copy recognised");
        Assert.Single(host.ReportJsons());
        Assert.Equal(1, host.State.Unsuitable);
    }
}
