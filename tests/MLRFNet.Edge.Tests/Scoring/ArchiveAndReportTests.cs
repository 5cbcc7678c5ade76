using Microsoft.Extensions.DependencyInjection;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Signals;
using MLRFNet.Edge.Storage;
using MLRFNet.Edge.Tests.Support;
using static MLRFNet.Edge.Tests.Support.HardeningKit;

namespace MLRFNet.Edge.Tests.Scoring;

/// <summary>
/// Issue #14 cases 1, 4, 6 and 7 through the real service host, with faults injected at the file-system seam
/// (<see cref="FaultyFileSystemOps"/>): every input ends up somewhere exactly once, a study's report files appear
/// together or not at all, a failed write keeps the model's result, and the report names the archive file.
/// </summary>
public sealed class ArchiveAndReportTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly FaultyFileSystemOps ops = new();

    public void Dispose() => temp.Dispose();

    private EdgeTestHost Host(Action<Dictionary<string, string?>>? configure = null, FakeDiskSpace? disk = null,
        FakeScorerFactory? scorers = null, IFieldSignals? signals = null) =>
        EdgeTestHost.Create(temp.Path, configure, disk: disk, scorers: scorers, services: s =>
        {
            s.AddSingleton<FileSystemOps>(ops);
            if (signals is not null) s.AddSingleton(signals);
        });

    // Case 1: same-named inputs raced for one archive name (prepare-stage duplicates vs finish-stage archiving) and
    // the plain rename replaced one: with renames slowed by 2 ms the issue lost 4 of 121. Here 24 inputs left in the
    // work folder by a "crash" (x.png, x-1.png, ...: their suffixed names are exactly the names the others compete
    // for), half of them copies of one image, into an archive that already holds x.png .. x-3.png.
    [Fact]
    public async Task SameNamedInputsRacingForArchiveNamesAreAllKept()
    {
        var work = Path.Combine(temp.Path, "work");
        var archive = Path.Combine(temp.Path, "archive");
        Directory.CreateDirectory(work);
        Directory.CreateDirectory(archive);
        var expected = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var old = SyntheticXrays.Png(900 + i);
            File.WriteAllBytes(Path.Combine(archive, UniqueNames.WithSuffix("x.png", i)), old);
            expected.Add(Sha(old));
        }
        var copy = SyntheticXrays.Png(500);
        for (var i = 0; i < 24; i++)
        {
            var bytes = i % 2 == 0 ? copy : SyntheticXrays.Png(600 + i);
            File.WriteAllBytes(Path.Combine(work, UniqueNames.WithSuffix("x.png", i)), bytes);
            expected.Add(Sha(bytes));
        }
        ops.RenameDelay = TimeSpan.FromMilliseconds(2);

        await using var host = Host(s => s["Inference:BatchSize"] = "3");
        await host.StartAsync();
        await host.WaitUntilAsync(() => Names(work).Length == 0 && Names(archive).Length == 28, 60, "all 24 archived");

        Assert.Equal(expected.Order(StringComparer.Ordinal), Hashes(archive));
        Assert.Equal(13, ReportFiles(host.Reports, ".json").Length); // 12 unique images and one copy reported once
    }

    // Case 4: a full disk between the HTML page and the JSON report left an orphan page, and the retry wrote -1.html.
    [Fact]
    public async Task AFailedReportWriteLeavesNoOrphanPageAndTheRetryReusesTheSameNames()
    {
        var failures = 2;
        ops.FailRename = target => target.EndsWith(".json", StringComparison.Ordinal) && target.Contains("/reports/")
                                   && Interlocked.Decrement(ref failures) >= 0 ? FaultyFileSystemOps.DiskFull(target) : null;
        await using var host = Host();
        await host.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "a.dcm"), SyntheticXrays.Dicom16(7));
        await host.WaitUntilAsync(() => Names(host.Archive).Length == 1, 30, "a.dcm archived after the disk came back");

        var json = Assert.Single(ReportFiles(host.Reports, ".json"));
        Assert.Equal([json[..^5] + ".html"], ReportFiles(host.Reports, ".html"));
        // The SR and SC written before each failed commit were replaced under the same names, never -1.
        Assert.Equal([json[..^5] + ".sc.dcm", json[..^5] + ".sr.dcm"], ReportFiles(host.Reports, ".dcm").Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFiles(host.Reports, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(json[..^5] + ".html", Report(host.Reports, json).HtmlReport);
    }

    // Case 4: hidden .tmp files and pages a crash left without their JSON report were never cleaned up.
    [Fact]
    public async Task LeftoversOfACrashAreRemovedAtStartAndCommittedReportsKept()
    {
        var reports = Path.Combine(temp.Path, "reports");
        Directory.CreateDirectory(reports);
        File.WriteAllText(Path.Combine(reports, ".a.json.4242.0123456789abcdef0123456789abcdef.tmp"), "{");
        File.WriteAllText(Path.Combine(reports, ".mlrfnet-0123456789abcdef0123456789abcdef.tmp"), "<html");
        File.WriteAllText(Path.Combine(reports, "orphan.0123456789ab.html"), "<html/>");
        File.WriteAllText(Path.Combine(reports, "kept.0123456789ab.html"), "<html/>");
        File.WriteAllText(Path.Combine(reports, "kept.0123456789ab.json"), "{}");
        // DICOM results join the commit: without their JSON they are leftovers too; with it they stay.
        File.WriteAllText(Path.Combine(reports, "orphan.0123456789ab.sr.dcm"), "DICM");
        File.WriteAllText(Path.Combine(reports, "orphan.0123456789ab.sc.dcm"), "DICM");
        File.WriteAllText(Path.Combine(reports, "kept.0123456789ab.sr.dcm"), "DICM");
        File.WriteAllText(Path.Combine(reports, "kept.0123456789ab.sc.dcm"), "DICM");

        await using var host = Host();
        await host.StartAsync();

        Assert.Equal(["kept.0123456789ab.html", "kept.0123456789ab.json", "kept.0123456789ab.sc.dcm", "kept.0123456789ab.sr.dcm"],
            Directory.GetFiles(reports).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal));
        Assert.Contains(host.Logs.Entries, e => e.EventId == 403);
    }

    // Case 6: after a write failure the input was scored by the model again on every rescan only to fail again.
    [Fact]
    public async Task AfterAFailedWriteTheModelResultIsKeptAndOnlyTheWriteRetried()
    {
        var failures = 3;
        ops.FailRename = target => target.EndsWith(".json", StringComparison.Ordinal) && target.Contains("/reports/")
                                   && Interlocked.Decrement(ref failures) >= 0 ? FaultyFileSystemOps.DiskFull(target) : null;
        var scorers = new FakeScorerFactory();
        await using var host = Host(scorers: scorers);
        await host.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "a.png"), SyntheticXrays.Png(8));
        await host.WaitUntilAsync(() => Names(host.Archive).Length == 1, 30, "archived once the writes succeed");

        Assert.True(failures < 0, "the write was never retried");
        Assert.Equal(1, scorers.Last!.Images);
        Assert.Single(ReportFiles(host.Reports, ".json"));
    }

    // Case 6: the watermark was checked only when a file was taken, so files in progress pushed the disk below it.
    [Fact]
    public async Task TheWatermarkIsCheckedBeforeEachCommitAndTheResultHeldUntilThereIsRoom()
    {
        var disk = new FakeDiskSpace();
        var scorers = new FakeScorerFactory { Configure = s => s.OnCall = _ => Interlocked.Exchange(ref disk.Available, 1L << 20) };
        await using var host = Host(disk: disk, scorers: scorers);
        await host.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "a.png"), SyntheticXrays.Png(9));
        await host.WaitUntilAsync(() => host.Logs.Entries.Any(e => e.EventId == 307), 30, "the report held for low disk");

        Assert.Empty(ReportFiles(host.Reports, ".json"));
        Assert.Equal(["a.png"], Names(host.Work));
        Assert.NotNull(host.State.PausedReason);

        Interlocked.Exchange(ref disk.Available, 100L << 30);
        await host.WaitUntilAsync(() => Names(host.Archive).Length == 1, 30, "written once there is room");
        Assert.Single(ReportFiles(host.Reports, ".json"));
        Assert.Equal(1, scorers.Last!.Images);
    }

    // Case 6: when health.json could not be written it went stale saying "ready" and nothing said so.
    [Fact]
    public async Task WhenTheHealthFileCannotBeWrittenTheFaultSignalGoesOnAndTheLogSaysSo()
    {
        var signals = new RecordingSignals();
        await using var host = Host(signals: signals);
        await host.StartAsync();
        await host.WaitUntilAsync(() => File.Exists(host.HealthFile) && signals[FieldSignal.Ready], 30, "healthy first");
        Assert.False(signals[FieldSignal.Fault]);

        ops.FailRename = target => target == host.HealthFile ? FaultyFileSystemOps.DiskFull(target) : null;
        await host.WaitUntilAsync(() => host.Logs.Entries.Any(e => e.EventId == 400), 30, "the health write failure logged");
        await host.WaitUntilAsync(() => signals[FieldSignal.Fault], 30, "the fault signal on");
        Assert.Single(host.Logs.Entries, e => e.EventId == 400); // once, not every interval

        ops.FailRename = null;
        await host.WaitUntilAsync(() => !signals[FieldSignal.Fault], 30, "the fault signal off once written again");
    }

    // Case 7: neither the report nor the ledger recorded the archive name (x-1.png) an input went to.
    [Fact]
    public async Task TheReportAndTheLedgerRecordTheArchiveName()
    {
        var archive = Path.Combine(temp.Path, "archive");
        Directory.CreateDirectory(archive);
        File.WriteAllBytes(Path.Combine(archive, "x.png"), SyntheticXrays.Png(10));
        await using var host = Host();
        await host.StartAsync();
        var bytes = SyntheticXrays.Png(11);
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "x.png"), bytes);
        await host.WaitUntilAsync(() => Names(archive).Length == 2, 30, "x.png archived beside the old one");

        var report = Report(host.Reports, Assert.Single(ReportFiles(host.Reports, ".json")));
        Assert.Equal("x-1.png", report.ArchiveName);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(archive, "x-1.png")));
        var row = Assert.Single(CsvLedger.Read(Path.Combine(host.Reports, CsvLedger.FileName)));
        Assert.Equal("x-1.png", row.ArchiveName);
        var header = File.ReadLines(Path.Combine(host.Reports, CsvLedger.FileName)).First();
        Assert.EndsWith(",findings,archive_name,outcome", header); // appended after the existing columns, which stay in place
    }
}
