using System.Text.Json;
using MLRFNet.Edge.Pacs;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MLRFNet.Edge.Tests.Pacs;

public sealed class OutboxEndToEndTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("mlrfnet-outbox-e2e-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task OnlyADicomStudysSrAndScAreQueuedAndSentAfterTheReportIsCommitted()
    {
        // Catches: PNG results or the JSON/HTML sent to the PACS, results queued before the commit, no count in health.json.
        var dcmsend = new FakeDcmsend((61, null));
        await using var host = EdgeTestHost.Create(root, s =>
        {
            s["Pacs:Host"] = "127.0.0.1";
            s["Pacs:Port"] = "11112";
            s["Pacs:OutboxFolder"] = Path.Combine(root, "outbox");
            s["Pacs:PollInterval"] = "00:00:00.050";
            s["Pacs:RetryInitial"] = "00:00:00.050";
            s["Pacs:RetryMax"] = "00:00:00.100";
        }, services: s => s.AddSingleton<IProcessRunner>(dcmsend));
        await host.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "film.dcm"), SyntheticXrays.Dicom16(11));
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "photo.png"), SyntheticXrays.Png(12));
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 2, what: "both archived");
        var pending = Path.Combine(root, "outbox", "pending");
        await host.WaitUntilAsync(() => host.Files(pending).Length == 2 && dcmsend.Runs >= 2, what: "SR and SC queued, sends failing");
        var report = host.ReportJsons().Select(n => JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(host.Reports, n)),
            EdgeJsonContext.Default.StudyReport)!).Single(r => r.Input.Name == "film.dcm");
        Assert.Equal(report.DicomResults!.Order(StringComparer.Ordinal), host.Files(pending));
        await host.WaitUntilAsync(() => Health(host).PacsPending == 2, what: "health.json counts 2 pending");
        Assert.Contains("could not be reached", Health(host).PacsLastError);

        dcmsend.Answer = () => (0, "0000"); // the PACS is back
        await host.WaitUntilAsync(() => host.Files(Path.Combine(root, "outbox", "sent")).Length == 2 && host.Files(pending).Length == 0,
            what: "both sent");
        Assert.Equal(report.DicomResults!.Order(StringComparer.Ordinal), dcmsend.Sent.Order(StringComparer.Ordinal));
        await host.WaitUntilAsync(() => Health(host) is { PacsPending: 0, PacsLastError: null, PacsSent: 2 }, what: "health.json: all sent");
    }

    private static MLRFNet.Edge.Health.HealthSnapshot Health(EdgeTestHost host)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(host.HealthFile), EdgeJsonContext.Default.HealthSnapshot)!;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return new MLRFNet.Edge.Health.HealthSnapshot { Status = "unreadable", HeartbeatUtc = default, StartedUtc = default, QueueDepth = 0, WaitingInIntake = 0,
                KeptInWork = 0, Claimed = 0, Scored = 0, Quarantined = 0, Duplicates = 0, Flagged = 0, FreeDiskMegabytes = [], ProcessId = 0, Version = "" };
        }
    }
}
