using System.Diagnostics;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Devices;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Training.Benchmarks;

/// <summary>Images per second of each part of a training epoch, measured in one process on the same images.</summary>
/// <param name="LoaderCold">Decode + antialiased resize + cache write + augmentation (first epoch).</param>
/// <param name="LoaderWarm">Cache read + augmentation (every later epoch).</param>
/// <param name="StepsAlone">Forward + backward + Adam step on batches already in memory.</param>
/// <param name="Epoch">The real loop: the prefetching loader feeding the steps, cache warm.</param>
public sealed record TrainingThroughputResult(
    string Variant, int BatchSize, int Images, int Threads, int LoaderWorkers,
    double LoaderCold, double LoaderWarm, double StepsAlone, double Epoch)
{
    /// <summary>Epoch time over steps-alone time for the same images; 1.10 means the loader costs 10%.</summary>
    public double EpochOverSteps => StepsAlone / Epoch;
}

/// <summary>
/// Measures whether the loader keeps up with the model (issue 4: epoch time within 10% of the steps' time once the
/// cache is warm). Each part runs over the same <c>batches × batchSize</c> images.
/// </summary>
public static class TrainingThroughput
{
    public static TrainingThroughputResult Measure(XrayDataset dataset, string variantName, int batchSize, int batches,
        string cacheFolder, int threads, int loaderWorkers, Action<string>? log = null, TrainingDevice? device = null)
    {
        log ??= _ => { };
        var on = (device ?? TrainingDevice.Cpu).Resolve();
        TorchThreads.Set(threads);
        var variant = ModelVariants.Get(variantName);
        var spec = variant.Preprocessing;
        var images = Math.Min(dataset.Count, batchSize * batches);
        var subset = dataset.Subset(dataset.Items.Take(images));
        batches = images / batchSize;
        if (batches < 1) throw new ArgumentException($"Need at least one full batch of {batchSize} images (have {dataset.Count}).");
        if (Directory.Exists(cacheFolder) && Directory.EnumerateFileSystemEntries(cacheFolder).Any())
            throw new IOException($"{cacheFolder} is not empty; the cold-loader figure needs an empty cache folder.");
        var cache = new PreprocessedCache(cacheFolder, spec);
        var loader = new BatchLoader(subset, cache, spec,
            new LoaderOptions { BatchSize = batchSize, Train = true, DropLast = true, Workers = loaderWorkers }, seed: 0);

        double LoaderRate(int epoch)
        {
            var clock = Stopwatch.StartNew();
            var n = 0;
            foreach (var batch in loader.Epoch(epoch).ToBlockingEnumerable()) n += batch.Count;
            return n / clock.Elapsed.TotalSeconds;
        }

        var cold = LoaderRate(0);
        log($"loader cold: {cold:F1} img/s");
        var warm = LoaderRate(1);
        log($"loader warm: {warm:F1} img/s");

        using var model = new MLRFNetModel(variant, dataset.Labels.Count);
        model.to(on);
        using var loss = LossFunctions.Create(LossSettings.PaperBiasedFocal);
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-4);
        model.train();
        var inMemory = loader.Epoch(2).ToBlockingEnumerable().ToArray();

        void Step(Batch batch)
        {
            using var scope = NewDisposeScope();
            var x = torch.tensor(batch.Images, [batch.Count, spec.Channels, spec.CropSize, spec.CropSize]).to(on);
            var y = torch.tensor(batch.Targets, [batch.Count, dataset.Labels.Count]).to(on);
            optimizer.zero_grad();
            var value = loss.call(model.call(x), y);
            value.backward();
            optimizer.step();
            if (on.type == DeviceType.CUDA) torch.cuda.synchronize(on); // time the work, not its queueing
        }

        Step(inMemory[0]); // warm-up: first-call allocations and kernel selection
        var stepsClock = Stopwatch.StartNew();
        foreach (var batch in inMemory) Step(batch);
        var steps = inMemory.Sum(b => b.Count) / stepsClock.Elapsed.TotalSeconds;
        log($"steps alone: {steps:F1} img/s");

        var epochClock = Stopwatch.StartNew();
        var seen = 0;
        foreach (var batch in loader.Epoch(3).ToBlockingEnumerable())
        {
            Step(batch);
            seen += batch.Count;
        }
        var epoch = seen / epochClock.Elapsed.TotalSeconds;
        log($"epoch (loader + steps): {epoch:F1} img/s");
        return new TrainingThroughputResult(variant.Name, batchSize, seen, threads, loaderWorkers, cold, warm, steps, epoch);
    }
}
