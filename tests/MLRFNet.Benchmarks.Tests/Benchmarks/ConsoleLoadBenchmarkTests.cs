using MLRFNet.Benchmarks;

namespace MLRFNet.Benchmarks.Tests;

/// <summary>The console's busy/idle figure (issue 16): medians, the 10% target and the Markdown row.</summary>
public sealed class ConsoleLoadBenchmarkTests
{
    private static ConsoleLoadRun Run(double[] idle, double[] busy, long failed = 0, long errors = 0, string? error = null)
    {
        var (i, b, slowdown) = ConsoleLoadRun.Summarize(idle, busy);
        return new ConsoleLoadRun
        {
            Precision = "FP32", Images = 200, Clients = 50, IntervalMs = 250, IdleImagesPerSecond = idle, BusyImagesPerSecond = busy,
            IdleMedian = i, BusyMedian = b, Slowdown = slowdown, Error = error, PairedRatioMedian = 0.875, ClientCpuCores = 0.5,
            Requests = new ConsoleClientTally(50, 120, 120 - failed - errors, failed, errors, failed + errors > 0 ? "GET /api/health: 500 InternalServerError" : null,
                new LatencyStatistics(120, 3.5, 12.24, 1, 20)),
        };
    }

    [Fact]
    public void SlowdownIsOneMinusTheRatioOfMedians()
    {
        // Medians 11 (idle) and 9.5 (busy): 1 - 9.5/11 = 0.136364. Catches: means instead of medians, or busy/idle inverted.
        var (idle, busy, slowdown) = ConsoleLoadRun.Summarize([10, 12, 11], [9, 10.5, 9.5]);
        Assert.Equal(11, idle);
        Assert.Equal(9.5, busy);
        Assert.Equal(0.136364, slowdown!.Value, 6);
        Assert.Null(ConsoleLoadRun.Summarize([], [9]).Slowdown);
    }

    [Fact]
    public void TheTargetIsMetUpToTenPercentSlowerWithNoFailedRequest()
    {
        Assert.True(BenchTargets.ConsoleCheck(Run([10], [9])).Met);      // exactly 10% slower
        Assert.True(BenchTargets.ConsoleCheck(Run([10], [10.5])).Met);   // faster busy than idle (noise)
        Assert.False(BenchTargets.ConsoleCheck(Run([10], [8.99])).Met);  // 10.1% slower
        // Fast enough, but the console failed a request: the load test's "no error" is part of the target.
        var failing = BenchTargets.ConsoleCheck(Run([10], [10], failed: 1));
        Assert.False(failing.Met);
        Assert.Contains("500", failing.Note);
        Assert.False(BenchTargets.ConsoleCheck(Run([10], [10], errors: 2)).Met);
        var notRun = BenchTargets.ConsoleCheck(Run([], [], error: "service exited") with { Requests = null });
        Assert.Null(notRun.Met);
        Assert.Equal("not measured", notRun.Measured);
    }

    [Fact]
    public void EvaluateAddsTheConsoleTargetOnlyWhenItRan()
    {
        Assert.DoesNotContain(BenchTargets.Evaluate([], []), t => t.Target.StartsWith("console", StringComparison.Ordinal));
        var checks = BenchTargets.Evaluate([], [], Run([10, 10.2], [9.8, 9.9]));
        Assert.True(checks.Single(t => t.Target.StartsWith("console busy (50 clients)", StringComparison.Ordinal)).Met);
    }

    [Fact]
    public void TheMarkdownRowShowsMediansRatioAndRequestCounts()
    {
        var md = BenchMarkdown.ConsoleTable(Run([10, 12, 11], [9, 10.5, 9.5], failed: 1));
        // 9.5 / 11 = 0.864; slower 13.6%; 3 busy runs; 120 requests, 1 failed, 0 errors; latency 3.5 / 12.24 ms.
        Assert.Contains("| FP32 | 11.00 | 9.50 | 0.864 | 13.6% | 0.875 | 3 | 120 | 1 | 0 | 3.5 / 12.2 | 0.50 |", md);
        Assert.Contains("50 clients", md);
        Assert.Contains("First failed request: GET /api/health: 500", md);
        Assert.Contains("| FP32 | failed: boom |", BenchMarkdown.ConsoleTable(Run([], [], error: "boom\nmore")));
    }
}
