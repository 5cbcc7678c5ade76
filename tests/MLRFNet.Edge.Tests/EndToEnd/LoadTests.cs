using System.Diagnostics;
using MLRFNet.Edge.Tests.Support;
using Xunit.Abstractions;

namespace MLRFNet.Edge.Tests.EndToEnd;

/// <summary>A flood of files: every one comes out the other side. Throughput is printed, not asserted.</summary>
public sealed class LoadTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task FiveHundredFilesDroppedAtOnceAllComeOut()
    {
        const int count = 500;
        await using var host = EdgeTestHost.Create(temp.Path, s =>
        {
            s["Edge:QueueCapacity"] = "32";
            s["Inference:BatchSize"] = "8";
        });
        await host.StartAsync();
        var staging = Path.Combine(temp.Path, "staging");
        Directory.CreateDirectory(staging);
        for (var i = 0; i < count; i++)
        {
            // Every 50th file is junk, to mix quarantine into the flood.
            var bytes = i % 50 == 49 ? [0x42, 0x41, 0x44] : SyntheticXrays.Png(1000 + i, 64, 72);
            await File.WriteAllBytesAsync(Path.Combine(staging, $"p{i:D3}.png"), bytes);
        }
        var clock = Stopwatch.StartNew();
        foreach (var file in Directory.GetFiles(staging)) File.Move(file, Path.Combine(host.Intake, Path.GetFileName(file)));
        // While they flow, no file may ever be missing. Folders are listed downstream of each other (intake, work,
        // archive, quarantine), so a file moving during a sample can be counted twice but never zero times.
        var minimumSeen = int.MaxValue;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var seen = host.Inputs(host.Intake).Length + host.Inputs(host.Work).Length + host.Inputs(host.Archive).Length
                           + host.Inputs(host.Quarantine).Length;
                minimumSeen = Math.Min(minimumSeen, seen);
                await Task.Delay(15);
            }
        });
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length + host.Inputs(host.Quarantine).Length == count,
            seconds: 600, what: "500 files out");
        await sampling.CancelAsync();
        await sampler;
        Assert.True(minimumSeen >= count, $"at some moment only {minimumSeen} of {count} inputs were in any folder");
        var seconds = clock.Elapsed.TotalSeconds;
        Assert.Equal(count - count / 50, host.Inputs(host.Archive).Length);
        Assert.Equal(count / 50, host.Inputs(host.Quarantine).Length);
        Assert.Equal(count - count / 50, host.ReportJsons().Length);
        Assert.Empty(host.Files(host.Work));
        Assert.Empty(host.Files(host.Intake));
        output.WriteLine($"{count} files in {seconds:F2} s including the 0.3 s stable age: {count / seconds:F0} files/s " +
                         $"(fake scorer, 64x72 PNG, HTML with heatmaps); model calls {host.Scorers.Last!.Calls}");
    }
}
