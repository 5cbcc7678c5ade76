using System.Diagnostics;
using MLRFNet.Core.Preprocessing;

namespace MLRFNet.Imaging.Datasets;

/// <summary>Images per second of the training loader alone (cache read + the paper's augmentation + batching).</summary>
/// <param name="Cold">The first epoch: decode, resize and cache write (or cache hits when the cache was already warm).</param>
/// <param name="Warm">Every later epoch, one figure per run: read from the cache and augment.</param>
public sealed record LoaderThroughputResult(int Images, int BatchSize, int Workers, int CropSize, double Cold, IReadOnlyList<double> Warm)
{
    public double WarmMedian
    {
        get
        {
            var sorted = Warm.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}

/// <summary>
/// Measures whether the data path can keep a GPU fed: the training <see cref="BatchLoader"/> over a dataset, with no
/// model, first to fill the cache and then for <c>runs</c> warm epochs whose rates are reported one by one.
/// </summary>
public static class LoaderThroughput
{
    public static LoaderThroughputResult Measure(XrayDataset dataset, PreprocessingSpec spec, string cacheFolder, int batchSize, int workers, int runs, Action<string>? log = null)
    {
        log ??= _ => { };
        if (runs < 1) throw new ArgumentException($"--runs must be at least 1 (got {runs}).");
        var cache = new PreprocessedCache(cacheFolder, spec);
        var (usable, unreadable) = cache.Warm(dataset, workers);
        foreach (var u in unreadable) log("skipped unreadable image " + u);
        if (usable.Count < batchSize) throw new ArgumentException($"Need at least one full batch of {batchSize} readable images (have {usable.Count}).");
        var loader = new BatchLoader(usable, cache, spec,
            new LoaderOptions { BatchSize = batchSize, Train = true, DropLast = true, Workers = workers }, seed: 0);

        double Rate(int epoch)
        {
            var clock = Stopwatch.StartNew();
            var n = 0;
            foreach (var batch in loader.Epoch(epoch).ToBlockingEnumerable()) n += batch.Count;
            return n / clock.Elapsed.TotalSeconds;
        }

        var cold = Rate(0);
        log($"loader first epoch: {cold:F1} img/s");
        var warm = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            warm.Add(Rate(run));
            log($"loader warm run {run}: {warm[^1]:F1} img/s");
        }
        return new LoaderThroughputResult(loader.BatchesPerEpoch * batchSize, batchSize, workers, spec.CropSize, cold, warm);
    }
}
