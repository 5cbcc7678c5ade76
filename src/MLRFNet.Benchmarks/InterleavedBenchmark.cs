using System.Diagnostics;

namespace MLRFNet.Benchmarks;

/// <summary>Timings of one engine from <see cref="InterleavedBenchmark"/>.</summary>
/// <param name="Batch1">Latency of one image.</param>
/// <param name="BatchN">Latency of a <see cref="ThroughputBatch"/>-image run.</param>
/// <param name="MaxAbsDifferenceVsReference">Largest |probability difference| from the reference engine on the same
/// images (a check that every engine runs the same model; FP16/INT8 differ by their rounding); null for an engine that
/// runs other weights (not comparable: null).</param>
public sealed record EngineTimings(
    string Name, string Runtime, string Precision, LatencyStatistics Batch1, LatencyStatistics BatchN, int ThroughputBatch,
    double? MaxAbsDifferenceVsReference)
{
    /// <summary>Images per second at <see cref="ThroughputBatch"/> from the median batch latency.</summary>
    public double ImagesPerSecond => ThroughputBatch / (BatchN.MedianMs / 1000.0);
}

/// <summary>Timings of the matmul probe: latency and GFLOP/s (median and best round).</summary>
public sealed record MatmulTimings(int Size, LatencyStatistics Latency, double MedianGflops, double BestGflops);

/// <summary>
/// Times every engine round-robin: in each round every engine runs once at batch 1 and once at batch N and the
/// matmul probe runs once, in an order rotated by one per round, so no engine always follows the same one (a
/// thread pool still spinning from the previous engine costs each engine equally) and load changes on a shared
/// machine spread over all engines instead of biasing whichever ran during a busy minute.
/// </summary>
public static class InterleavedBenchmark
{
    public static (IReadOnlyList<EngineTimings> Engines, MatmulTimings Matmul) Run(
        IReadOnlyList<IBenchEngine> engines, MatmulPeakProbe matmul, IReadOnlyList<BenchBatch> singles, BenchBatch throughputBatch,
        int repetitions, int warmup, Action<string> log, int reference = 0, IReadOnlySet<int>? otherWeights = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reference);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(reference, engines.Count);
        if (engines.Count == 0) throw new ArgumentException("No engines to time.", nameof(engines));
        if (singles.Count == 0) throw new ArgumentException("No batch-1 inputs.", nameof(singles));
        var tasks = new List<(string Label, Func<int, double> Run)>();
        var batch1 = engines.Select(_ => new List<double>()).ToArray();
        var batchN = engines.Select(_ => new List<double>()).ToArray();
        var matmulMs = new List<double>();
        for (var e = 0; e < engines.Count; e++)
        {
            var engine = engines[e];
            tasks.Add(($"{engine.Name} b1", round => Time(() => engine.Run(singles[round % singles.Count]))));
            tasks.Add(($"{engine.Name} b{throughputBatch.Count}", _ => Time(() => engine.Run(throughputBatch))));
        }
        tasks.Add(("matmul", _ => matmul.RunMs()));

        var differences = CompareOutputs(engines, throughputBatch, reference, otherWeights ?? new HashSet<int>());
        for (var w = 0; w < warmup; w++)
        {
            foreach (var task in tasks) task.Run(w);
            log($"warm-up round {w + 1}/{warmup} done");
        }
        for (var round = 0; round < repetitions; round++)
        {
            var times = new double[tasks.Count];
            for (var k = 0; k < tasks.Count; k++)
            {
                var index = (k + round) % tasks.Count;
                times[index] = tasks[index].Run(round);
            }
            for (var e = 0; e < engines.Count; e++)
            {
                batch1[e].Add(times[2 * e]);
                batchN[e].Add(times[2 * e + 1]);
            }
            matmulMs.Add(times[^1]);
            log($"round {round + 1}/{repetitions}: " + string.Join(", ", tasks.Select((t, i) => $"{t.Label} {times[i]:F1} ms")));
        }

        var results = engines.Select((engine, e) => new EngineTimings(engine.Name, engine.Runtime, engine.Precision,
            LatencyStatistics.Of(batch1[e]), LatencyStatistics.Of(batchN[e]), throughputBatch.Count, differences[e])).ToArray();
        var matmulStats = LatencyStatistics.Of(matmulMs);
        var gflop = matmul.Flops / 1e9;
        return (results, new MatmulTimings(matmul.Size, matmulStats, gflop / (matmulStats.MedianMs / 1000), gflop / (matmulStats.MinMs / 1000)));
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Max |p - p_reference| per engine over the batch; null for the engines in <paramref name="otherWeights"/>.</summary>
    private static double?[] CompareOutputs(IReadOnlyList<IBenchEngine> engines, BenchBatch batch, int referenceIndex, IReadOnlySet<int> otherWeights)
    {
        var reference = engines[referenceIndex].Run(batch);
        return engines.Select((engine, e) =>
        {
            var output = e == referenceIndex ? reference : engine.Run(batch);
            if (output.Length != reference.Length)
                throw new InvalidDataException($"{engine.Name} returned {output.Length} probabilities, {engines[referenceIndex].Name} {reference.Length}: they are not the same model.");
            return otherWeights.Contains(e) ? null : (double?)reference.Zip(output, (a, b) => Math.Abs((double)a - b)).Max();
        }).ToArray();
    }
}
