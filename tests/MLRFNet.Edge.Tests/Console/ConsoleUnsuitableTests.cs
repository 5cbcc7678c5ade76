using System.Net;
using System.Text.Json;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.ClinicConsole;

/// <summary>An "unsuitable" report (issue 15) appears in the worklist API as unsuitable, with the suitability reason.</summary>
public sealed class ConsoleUnsuitableTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task UnsuitableStudyIsListedWithItsReason()
    {
        var reports = Path.Combine(temp.Path, "reports");
        var scored = ConsoleFixtures.Commit(reports, "frontal.png", DateTimeOffset.UnixEpoch.AddDays(1), [("Effusion", 0.9f, 0.5f)]);
        var store = new ReportStore(Microsoft.Extensions.Options.Options.Create(new MLRFNet.Edge.Options.EdgeOptions { ReportsFolder = reports }),
            new MLRFNet.Edge.Storage.DurableFile(MLRFNet.Edge.Storage.FileSystemOps.Real));
        var sha = new string('e', 64);
        store.Commit(scored with
        {
            ReportId = MLRFNet.Edge.Storage.UniqueNames.ReportBase("ct.dcm", sha),
            Input = scored.Input with { Name = "ct.dcm", Sha256 = sha },
            Outcome = Outcomes.Unsuitable,
            Suitability = new ReportSuitability(Outcomes.Unsuitable, "modality", "Modality is CT; the model is for CR/DX/DR radiographs.", "verified"),
            Classes = [],
            Findings = [],
        }, "<!DOCTYPE html><html><body>Not scored</body></html>");
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token);

        var (status, body, _) = await host.GetAsync("/api/studies", ConsoleTestHost.Token);
        Assert.Equal(HttpStatusCode.OK, status);
        var studies = JsonDocument.Parse(body).RootElement.GetProperty("studies").EnumerateArray().ToDictionary(s => s.GetProperty("inputName").GetString()!);
        Assert.Equal("unsuitable", studies["ct.dcm"].GetProperty("outcome").GetString());
        Assert.Contains("Modality is CT", studies["ct.dcm"].GetProperty("reason").GetString());
        Assert.Equal("scored", studies["frontal.png"].GetProperty("outcome").GetString());
    }
}
