using System.Collections.Concurrent;
using MLRFNet.Edge.Scoring;
using MLRFNet.Edge.Signals;
using MLRFNet.Edge.Tests.Support;
using MLRFNet.Imaging;
using Microsoft.Extensions.DependencyInjection;

namespace MLRFNet.Edge.Tests.Scoring;

/// <summary>The scoring worker's stages overlap (prepare | score | finish) and still finish everything.</summary>
public sealed class PipelineTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60); // a hang guard for loaded machines, not a measurement

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task ABatchIsFinishedAndTheNextPreparedWhileTheModelScoresTheOneBetween()
    {
        // Batches of one: a, b, c. The first finish (it sets the alert line after its report is durable) waits for the
        // second model run to start, and the second model run waits for that finish and for the third input's decode.
        // A serial worker (score, then finish, then prepare the next) never meets those waits: each times out and
        // records false. Catches: finishing or preparing back on the scoring path.
        var decoder = new RecordingDecoder();
        var signals = new HookedSignals();
        var finishing = new ManualResetEventSlim(false);
        var secondRunStarted = new ManualResetEventSlim(false);
        bool? finishOverlappedSecondRun = null, secondRunSawFinish = null, secondRunSawNextDecode = null;
        signals.OnSet = (signal, _) =>
        {
            if (signal != FieldSignal.Alert || finishing.IsSet) return;
            finishing.Set();
            finishOverlappedSecondRun = secondRunStarted.Wait(Patience);
        };
        var scorers = new FakeScorerFactory
        {
            Configure = s => s.OnCall = call =>
            {
                if (call != 2) return;
                secondRunStarted.Set();
                secondRunSawFinish = finishing.Wait(Patience);
                secondRunSawNextDecode = SpinWait.SpinUntil(() => decoder.Decoded.Count >= 3, Patience);
            },
        };
        await using var host = EdgeTestHost.Create(temp.Path, s => s["Inference:BatchSize"] = "1", scorers: scorers, services: s =>
        {
            s.AddSingleton<IXrayDecoder>(decoder);
            s.AddSingleton<IFieldSignals>(signals);
        });
        await host.StartAsync();
        foreach (var name in new[] { "a.png", "b.png", "c.png" })
            await File.WriteAllBytesAsync(Path.Combine(host.Intake, name), SyntheticXrays.Png(name[0]));
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 3 && host.State.Scored == 3, what: "all three finished");

        Assert.True(finishOverlappedSecondRun, "the first batch's finish did not see the second model run start");
        Assert.True(secondRunSawFinish, "the second model run did not see the first batch being finished");
        Assert.True(secondRunSawNextDecode, "the third input was not decoded while the second was being scored");
        Assert.Equal(3, host.ReportJsons().Length);
        Assert.Empty(host.Files(host.Work));
    }

    [Fact]
    public async Task OnceStopsOnlyAfterEveryBatchIsReportedAndArchived()
    {
        // Nine inputs in batches of two: more batches than the pipeline holds, and a finish stage slower than the
        // model, so batches are still being finished when the queue is drained and the last model run returns.
        // Catches: stopping the host when scoring ends (or the queue drains) instead of when the finish stage has
        // drained, and batches dropped between stages.
        const int count = 9;
        var signals = new HookedSignals { OnSet = (signal, _) => { if (signal == FieldSignal.Alert) Thread.Sleep(40); } };
        Directory.CreateDirectory(Path.Combine(temp.Path, "intake"));
        for (var i = 0; i < count; i++)
            File.WriteAllBytes(Path.Combine(temp.Path, "intake", $"film{i}.png"), SyntheticXrays.Png(400 + i));
        await using var host = EdgeTestHost.Create(temp.Path, s =>
        {
            s["Edge:Once"] = "true";
            s["Inference:BatchSize"] = "2";
        }, services: s => s.AddSingleton<IFieldSignals>(signals));

        var code = await EdgeHost.RunAsync(host.Host).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(EdgeHost.ExitCodes.Ok, code);
        Assert.Equal(count, host.Inputs(host.Archive).Length);
        Assert.Empty(host.Files(host.Work));
        Assert.Equal(count, host.ReportJsons().Length);
        Assert.Equal(count + 1, File.ReadAllLines(Path.Combine(host.Reports, MLRFNet.Edge.Reports.CsvLedger.FileName)).Length);
        Assert.Equal(count, host.State.Scored);
        Assert.Contains($"{count} scored", host.Logs.Entries.Single(e => e.EventId == 306).Message);
        Assert.Equal(count, host.Scorers.Last!.Images);
    }

    [Fact]
    public async Task TheSameImageDroppedTwiceAtOnceGetsOneReportThoughBothWerePreparedBeforeEitherWasReported()
    {
        // Batches of one; the first model run waits until the second copy is decoded too, so the second copy passes
        // the "already reported?" check of the prepare stage before the first copy's report exists. Catches: a
        // pipeline that only checks for an earlier report when preparing (two reports for one image).
        var decoder = new RecordingDecoder();
        bool? bothPreparedFirst = null;
        var scorers = new FakeScorerFactory
        {
            Configure = s => s.OnCall = call =>
            {
                if (call == 1) bothPreparedFirst = SpinWait.SpinUntil(() => decoder.Decoded.Count >= 2, Patience);
            },
        };
        await using var host = EdgeTestHost.Create(temp.Path, s => s["Inference:BatchSize"] = "1", scorers: scorers,
            services: s => s.AddSingleton<IXrayDecoder>(decoder));
        await host.StartAsync();
        var bytes = SyntheticXrays.Png(77);
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "one.png"), bytes);
        await File.WriteAllBytesAsync(Path.Combine(host.Intake, "two.png"), bytes);
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 2 && host.State.Duplicates == 1, what: "both archived");

        Assert.True(bothPreparedFirst, "the second copy was not prepared before the first was scored");
        Assert.Single(host.ReportJsons());
        Assert.Equal(1, host.State.Scored);
        Assert.Empty(host.Files(host.Work));
    }

    /// <summary>The real decoder, recording the size of each file it was asked to decode.</summary>
    private sealed class RecordingDecoder : IXrayDecoder
    {
        private readonly ImagingXrayDecoder inner = new();

        public ConcurrentQueue<int> Decoded { get; } = new();

        public XrayImage Decode(byte[] data, DecodeLimits limits)
        {
            Decoded.Enqueue(data.Length);
            return inner.Decode(data, limits);
        }

        public float[] ToTensor(XrayImage image, Core.Preprocessing.PreprocessingSpec spec) => inner.ToTensor(image, spec);
    }

    /// <summary>Field signals that call a hook on every change (the finish stage sets the alert line per study).</summary>
    private sealed class HookedSignals : IFieldSignals
    {
        public Action<FieldSignal, bool>? OnSet { get; set; }

        public void Set(FieldSignal signal, bool on) => OnSet?.Invoke(signal, on);

        public void Dispose() { }
    }
}
