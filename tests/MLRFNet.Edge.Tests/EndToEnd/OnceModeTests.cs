using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.EndToEnd;

/// <summary><c>--once</c>: score what is in the intake, exit with a code that says how it went.</summary>
public sealed class OnceModeTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private EdgeTestHost Once() => EdgeTestHost.Create(temp.Path, s => s["Edge:Once"] = "true");

    private void Drop(string name, byte[] bytes)
    {
        Directory.CreateDirectory(Path.Combine(temp.Path, "intake"));
        File.WriteAllBytes(Path.Combine(temp.Path, "intake", name), bytes);
    }

    [Fact]
    public async Task AllGoodExitsZeroWithEverythingArchived()
    {
        Drop("a.png", SyntheticXrays.Png(1));
        Drop("b.dcm", SyntheticXrays.Dicom16(2));
        await using var host = Once();
        var code = await EdgeHost.RunAsync(host.Host).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(EdgeHost.ExitCodes.Ok, code);
        Assert.Equal(["a.png", "b.dcm"], host.Inputs(host.Archive));
        Assert.Equal(2, host.ReportJsons().Length);
    }

    [Fact]
    public async Task AQuarantinedFileGivesANonZeroExit()
    {
        Drop("a.png", SyntheticXrays.Png(3));
        Drop("bad.png", "not an image"u8.ToArray());
        await using var host = Once();
        var code = await EdgeHost.RunAsync(host.Host).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(EdgeHost.ExitCodes.SomeQuarantined, code);
        Assert.Equal(["a.png"], host.Inputs(host.Archive));
        Assert.Equal(["bad.png"], host.Inputs(host.Quarantine));
    }

    [Fact]
    public async Task AFileWhoseReportCannotBeWrittenStaysInWorkAndGivesSomeUnfinishedThoughALaterBatchSucceeds()
    {
        // Two films, one per batch. The first study to reach its report finds the reports folder refusing it (disk
        // error); the second model run waits for that failure and then lifts the blockers, so the later batch scores
        // (which clears the fault) and reports.
        Dictionary<string, byte[]> films = new() { ["a.png"] = SyntheticXrays.Png(5), ["b.png"] = SyntheticXrays.Png(6) };
        foreach (var (name, bytes) in films) Drop(name, bytes);
        var reports = Path.Combine(temp.Path, "reports");
        List<string> blockers = [];
        EdgeTestHost? host = null;
        var scorers = new FakeScorerFactory
        {
            Configure = scorer => scorer.OnCall = call =>
            {
                if (call == 1) blockers.AddRange(films.Select(f => ReportBlocker.Block(reports, f.Key, f.Value)));
                if (call != 2) return;
                Assert.True(SpinWait.SpinUntil(() => host!.State.Fault is not null, TimeSpan.FromSeconds(120)), "the first report never failed");
                blockers.ForEach(ReportBlocker.Unblock);
            },
        };
        await using (host = EdgeTestHost.Create(temp.Path, s => { s["Edge:Once"] = "true"; s["Inference:BatchSize"] = "1"; }, scorers: scorers))
        {
            var code = await EdgeHost.RunAsync(host.Host).WaitAsync(TimeSpan.FromSeconds(120));

            Assert.True(host.Logs.Contains(304), host.Describe()); // "Could not finish ...; it stays in the work folder"
            Assert.Null(host.State.Fault); // the later model run cleared it
            Assert.Equal(EdgeHost.ExitCodes.SomeUnfinished, code);
            var kept = Assert.Single(host.Inputs(host.Work));
            Assert.Equal(films[kept], await File.ReadAllBytesAsync(Path.Combine(host.Work, kept))); // kept whole, never deleted
            var done = Assert.Single(films.Keys, n => n != kept);
            Assert.Equal([done], host.Inputs(host.Archive));
            var report = Assert.Single(host.ReportJsons());
            Assert.Equal(done, JsonSerializer.Deserialize(await File.ReadAllBytesAsync(Path.Combine(host.Reports, report)), EdgeJsonContext.Default.StudyReport)!.Input.Name);
            Assert.Empty(host.Inputs(host.Quarantine));
            using var health = JsonDocument.Parse(await File.ReadAllBytesAsync(host.HealthFile));
            Assert.Equal("stopped", health.RootElement.GetProperty("status").GetString());
            Assert.Equal(1, health.RootElement.GetProperty("keptInWork").GetInt32());
        }
    }

    [Fact]
    public async Task ARunStoppedBeforeEveryClaimedFileIsScoredDoesNotExitZero()
    {
        // SIGTERM or Ctrl-C during --once: the first model run asks the host to stop. The batches already in flight
        // (at most 3) may still finish; the films claimed into the work folder behind them are left for the next start. The intake is empty and no fault stands, yet the run did
        // not finish: the bug was exit 0 (nothing counted files claimed but never scored).
        for (var seed = 7; seed < 15; seed++) Drop($"f{seed}.png", SyntheticXrays.Png(seed));
        EdgeTestHost? host = null;
        var scorers = new FakeScorerFactory
        {
            Configure = scorer => scorer.OnCall = call =>
            {
                if (call != 1) return;
                Assert.True(SpinWait.SpinUntil(() => host!.Files(host.Intake).Length == 0, TimeSpan.FromSeconds(120)), "the intake was never claimed");
                host!.Host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            },
        };
        await using (host = EdgeTestHost.Create(temp.Path, s => { s["Edge:Once"] = "true"; s["Inference:BatchSize"] = "1"; }, scorers: scorers))
        {
            var code = await EdgeHost.RunAsync(host.Host).WaitAsync(TimeSpan.FromSeconds(120));

            var left = host.Inputs(host.Work);
            Assert.True(left.Length > 0, "every film finished before the stop took effect: " + host.Describe());
            Assert.Equal(EdgeHost.ExitCodes.SomeUnfinished, code);
            Assert.Empty(host.Files(host.Intake));
            Assert.Equal(8, left.Length + host.Inputs(host.Archive).Length); // nothing lost
        }
    }

    [Fact]
    public async Task AModelWhoseHashDoesNotMatchItsManifestIsRefusedWithTheRefusedExitCode()
    {
        TestModel.Write(Path.Combine(temp.Path, "model"), wrongSha: new string('0', 64));
        Drop("a.png", SyntheticXrays.Png(4));
        await using var host = Once();
        var code = await EdgeHost.RunAsync(host.Host).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(EdgeHost.ExitCodes.ModelRefused, code);
        var critical = host.Logs.Entries.Single(e => e.EventId == 101).Message;
        Assert.Contains("SHA-256", critical);
        Assert.Contains("IntegrityMismatch", critical);
        Assert.Equal(["a.png"], host.Files(host.Intake)); // nothing taken
    }
}
