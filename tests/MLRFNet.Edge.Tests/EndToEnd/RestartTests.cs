using System.Text.Json;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.EndToEnd;

/// <summary>Crash and restart: nothing lost, nothing reported twice.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task ACrashMidRunLosesNothingAndTheRestartReportsEachFileOnce()
    {
        const int count = 10;
        var hung = new FakeScorerFactory { Configure = s => s.Gate = new ManualResetEventSlim(false) };
        var first = EdgeTestHost.Create(temp.Path, s => s["Inference:BatchSize"] = "2", scorers: hung);
        await first.StartAsync();
        for (var i = 0; i < count; i++) await File.WriteAllBytesAsync(Path.Combine(first.Intake, $"film{i:D2}.png"), SyntheticXrays.Png(100 + i));
        // The model hangs in its first batch: everything is claimed into the work folder, nothing finished.
        await first.WaitUntilAsync(() => first.Files(first.Work).Length == count, what: "all claimed");
        Assert.True(await hung.Last!.Started.WaitAsync(TimeSpan.FromSeconds(120)));
        Assert.Empty(first.Inputs(first.Archive));
        // "Power cut": the host is torn down with the model run still stuck (its thread never returns).
        await first.StopAsync();
        first.Host.Dispose();
        Assert.Equal(count, first.Files(first.Work).Length);

        await using var second = EdgeTestHost.Create(temp.Path);
        await second.StartAsync();
        await second.WaitUntilAsync(() => second.Inputs(second.Archive).Length == count, what: "all archived after restart");
        Assert.Empty(second.Files(second.Work));
        Assert.Empty(second.Inputs(second.Quarantine));
        var reported = second.ReportJsons().Select(n => Read(second, n).Input.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"film{i:D2}.png"), reported);
        Assert.Equal(count + 1, (await File.ReadAllLinesAsync(Path.Combine(second.Reports, CsvLedger.FileName))).Length);
        Assert.True(second.Logs.Contains(202)); // "Resuming ..., left in the work folder by an earlier run"
    }

    [Theory]
    [InlineData(false)] // crash after the JSON report was renamed into place, before the ledger line
    [InlineData(true)]  // crash after the ledger line, before the input was moved to the archive
    public async Task ARestartAfterTheReportWasWrittenDoesNotWriteASecondOne(bool ledgerLineWritten)
    {
        var bytes = SyntheticXrays.Png(200);
        await using (var first = EdgeTestHost.Create(temp.Path))
        {
            await first.StartAsync();
            await File.WriteAllBytesAsync(Path.Combine(first.Intake, "study.png"), bytes);
            await first.WaitUntilAsync(() => first.Inputs(first.Archive).Length == 1);
        }
        var root = temp.Path;
        var ledger = Path.Combine(root, "reports", CsvLedger.FileName);
        // Rebuild the state a crash at that point leaves: input still in work/, report on disk.
        File.Move(Path.Combine(root, "archive", "study.png"), Path.Combine(root, "work", "study.png"));
        if (!ledgerLineWritten) File.WriteAllLines(ledger, File.ReadAllLines(ledger).Take(1));
        var reportsBefore = Directory.GetFiles(Path.Combine(root, "reports")).Length;

        await using var second = EdgeTestHost.Create(root);
        await second.StartAsync();
        // Counters move just after the archive move, so wait on both.
        await second.WaitUntilAsync(() => second.Inputs(second.Archive).Length == 1 && second.State.Duplicates == 1, what: "resumed file archived");
        Assert.Empty(second.Files(second.Work));
        Assert.Equal(reportsBefore, Directory.GetFiles(Path.Combine(root, "reports")).Length);
        Assert.Single(second.ReportJsons());
        var lines = await File.ReadAllLinesAsync(ledger);
        Assert.Equal(2, lines.Length); // header + exactly one line for the study
        Assert.Equal(1, second.State.Duplicates);
        Assert.Equal(0, second.State.Scored);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(root, "archive", "study.png")));
    }

    [Fact]
    public async Task ALedgerLineCutShortByACrashIsIgnoredAndTheNextLineStartsClean()
    {
        await using (var first = EdgeTestHost.Create(temp.Path))
        {
            await first.StartAsync();
            await File.WriteAllBytesAsync(Path.Combine(first.Intake, "a.png"), SyntheticXrays.Png(301));
            await first.WaitUntilAsync(() => first.Inputs(first.Archive).Length == 1);
        }
        var ledger = Path.Combine(temp.Path, "reports", CsvLedger.FileName);
        var full = await File.ReadAllTextAsync(ledger);
        await File.WriteAllTextAsync(ledger, full[..(full.Length - 20)]); // last line torn mid-write, no newline

        await using var second = EdgeTestHost.Create(temp.Path);
        await second.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(second.Intake, "b.png"), SyntheticXrays.Png(302));
        await second.WaitUntilAsync(() => second.Inputs(second.Archive).Length == 2);
        var entries = CsvLedger.Read(ledger).ToList();
        Assert.Single(entries); // the torn line does not parse; b's line does
        Assert.Equal(Read(second, second.ReportJsons().Single(n => n.StartsWith("b.", StringComparison.Ordinal))).Input.Sha256, entries[0].InputSha256);
    }

    private static StudyReport Read(EdgeTestHost host, string name) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(host.Reports, name)), EdgeJsonContext.Default.StudyReport)!;
}
