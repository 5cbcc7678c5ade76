using MLRFNet.Benchmarks;

namespace MLRFNet.Benchmarks.Tests;

/// <summary>The limits of issue 8, at and around each boundary.</summary>
public sealed class BenchTargetsTests
{
    private static EngineRow Engine(string runtime, string precision, double batch1Ms, double torchMs)
    {
        var stats = new LatencyStatistics(3, batch1Ms, batch1Ms, batch1Ms, batch1Ms);
        return new EngineRow(new EngineTimings(runtime + " " + precision, runtime, precision, stats, stats, 8, 0), torchMs / batch1Ms, 1, 1, 0.1, 1, 0.1);
    }

    private static EdgeRow Edge(string precision, double perImageMs, double ortMs, double coldMs, double rssMb, int batch = 1) =>
        new(new EdgeRun
        {
            Precision = precision, ModelSource = "given", Launcher = "/x/mlrfnet-edge (Native AOT)", Images = 10, BatchSize = batch,
            ColdStartsMs = [coldMs], ColdStartMedianMs = coldMs, PerImageMs = perImageMs, PeakRssMb = rssMb,
        }, ortMs, (perImageMs - ortMs) / ortMs);

    private static bool? Met(IReadOnlyList<TargetCheck> checks, string startsWith) => checks.Single(c => c.Target.StartsWith(startsWith, StringComparison.Ordinal)).Met;

    [Fact]
    public void SpeedupsAreMetFromThreeAndOnePointTwoTimes()
    {
        // TorchSharp 300 ms: INT8 at 100 ms is exactly 3x (met), at 101 ms 2.97x (not); FP32 at 250 ms is 1.2x (met).
        var met = BenchTargets.Evaluate([Engine("TorchSharp", "FP32", 300, 300), Engine("ONNX Runtime", "FP32", 250, 300), Engine("ONNX Runtime", "INT8", 100, 300)], []);
        Assert.True(Met(met, "ORT INT8"));
        Assert.True(Met(met, "ORT FP32"));
        var missed = BenchTargets.Evaluate([Engine("TorchSharp", "FP32", 300, 300), Engine("ONNX Runtime", "FP32", 251, 300), Engine("ONNX Runtime", "INT8", 101, 300)], []);
        Assert.False(Met(missed, "ORT INT8"));
        Assert.False(Met(missed, "ORT FP32"));
    }

    [Fact]
    public void TheInt8TargetsJudgeTheFirstSchemesRow()
    {
        // Rows carry the INT8 scheme ("INT8 U8S8", "INT8 S8S8"; the default scheme first). Catches: the speed-up and
        // RSS targets looking for a plain "INT8" row and reporting "not measured", or judging the other scheme's row.
        var checks = BenchTargets.Evaluate(
            [Engine("TorchSharp", "FP32", 300, 300), Engine("ONNX Runtime", "INT8 U8S8", 100, 300), Engine("ONNX Runtime", "INT8 S8S8", 200, 300)],
            [Edge("INT8 U8S8", 100, 100, 1, 299)]);
        Assert.True(Met(checks, "ORT INT8"));
        Assert.True(Met(checks, "service RSS"));
        var slowDefault = BenchTargets.Evaluate(
            [Engine("TorchSharp", "FP32", 300, 300), Engine("ONNX Runtime", "INT8 S8S8", 200, 300), Engine("ONNX Runtime", "INT8 U8S8", 100, 300)], []);
        Assert.False(Met(slowDefault, "ORT INT8"));
    }

    [Fact]
    public void ServiceTargetsUseTheirLimits()
    {
        // Overhead 14.9% met, 15% not; cold start 1.999 s met, 2 s not; INT8 RSS 299 MB met at batch 1.
        var checks = BenchTargets.Evaluate([], [Edge("FP32", 114.9, 100, 1999, 400), Edge("INT8", 115, 100, 2000, 299)]);
        Assert.True(Met(checks, "service overhead FP32"));
        Assert.False(Met(checks, "service overhead INT8"));
        Assert.True(Met(checks, "cold start FP32"));
        Assert.False(Met(checks, "cold start INT8"));
        Assert.True(Met(checks, "service RSS"));
        Assert.False(Met(BenchTargets.Evaluate([], [Edge("INT8", 100, 100, 1, 301)]), "service RSS"));
    }

    [Fact]
    public void TheRssTargetIsOnlyJudgedAtBatchOneAndMissingRowsAreNotMet()
    {
        // Catches: a batch-4 run passed off as the batch-1 target; an absent engine counted as met or missed.
        var checks = BenchTargets.Evaluate([], [Edge("INT8", 100, 100, 1, 100, batch: 4)]);
        Assert.Null(Met(checks, "service RSS"));
        Assert.Null(Met(checks, "ORT INT8"));
        Assert.Null(Met(checks, "ORT FP32"));
    }
}
