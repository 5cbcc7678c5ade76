using System.Diagnostics;
using System.Text.Json;
using MLRFNet.Core.Manifest;
using MLRFNet.Training.Checkpoints;
using MLRFNet.Training.Cost;

namespace MLRFNet.Benchmarks;

/// <summary>
/// <c>mlrfnet-bench</c> (issue 8): prepares the FP32/FP16/INT8 ONNX models, times TorchSharp eager FP32 and ONNX
/// Runtime at each precision interleaved in this process with the matmul peak probe, then runs the edge service per
/// precision, and writes <c>bench.json</c> and <c>bench.md</c> (and the docs page when asked).
/// </summary>
public static class InferenceBenchmark
{
    public static BenchResult Run(BenchSettings settings, string commandLine, Action<string> log)
    {
        settings = settings.Validate();
        var clock = Stopwatch.StartNew();
        var machine = MachineDescription.Capture();
        log($"load average at start: {string.Join(" ", machine.LoadAverageStart)} on {machine.LogicalCpus} logical CPUs");
        var config = CheckpointFile.ReadConfig(settings.Checkpoint);
        var spec = config.Preprocessing;
        var scratch = Path.Combine(Path.GetTempPath(), "mlrfnet-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(scratch);
        try
        {
            var cost = ModelCost.Measure(config.Variant, config.LabelSet.Count, spec.CropSize);
            log($"{config.Variant.Name}: {cost.MultiplyAccumulates / 1e9:F3} G multiply-accumulates per image at {spec.CropSize}x{spec.CropSize}");
            var models = BenchModelSet.Prepare(settings, config, scratch, log);

            var images = PhantomInputs.Tensors(spec, settings.ThroughputBatch, settings.PhantomSize);
            var singles = images.Select(i => BenchBatch.Of([i])).ToArray();
            var batch = BenchBatch.Of(images);
            IReadOnlyList<EngineTimings> timings;
            MatmulTimings matmul;
            var engines = new List<IBenchEngine>();
            try
            {
                if (settings.Runs("torch")) engines.Add(new TorchSharpEngine(settings.Checkpoint, settings.Threads));
                foreach (var model in models) engines.Add(new OrtEngine(model.Path, model.Label, settings.Threads, settings.ThroughputBatch));
                using var probe = new MatmulPeakProbe(settings.MatmulSize, settings.Threads);
                // The probabilities are compared with the first engine, unless TorchSharp runs a checkpoint the given
                // FP32 model was not exported from (timing the same architecture): then with ORT FP32, TorchSharp n/a.
                var torchIsOther = settings.Runs("torch") && models.Count > 0 && !FromCheckpoint(models[0], settings.Checkpoint);
                if (torchIsOther) log("the FP32 ONNX model was not exported from this checkpoint: TorchSharp times the same architecture with other weights; probabilities are compared with ONNX Runtime FP32");
                (timings, matmul) = InterleavedBenchmark.Run(engines, probe, singles, batch, settings.Repetitions, settings.Warmup, log,
                    reference: torchIsOther ? 1 : 0, otherWeights: torchIsOther ? new HashSet<int> { 0 } : null);
            }
            finally
            {
                foreach (var engine in engines) engine.Dispose();
            }
            var rows = Derive(timings, matmul, cost.MultiplyAccumulates);

            var edge = new List<EdgeRow>();
            ConsoleLoadRun? consoleLoad = null;
            if (!settings.SkipEdge)
            {
                var launcher = settings.EdgeBinary is { } binary ? EdgeLauncher.ForBinary(binary) : EdgeLauncher.BuildFromSource(log);
                var pngs = PhantomInputs.WritePngs(Path.Combine(scratch, "edge-pngs"), settings.EdgeImages, settings.PhantomSize, first: 100);
                // One service run per precision, on its first model (INT8: the first scheme, the default one).
                var serviceModels = models.DistinctBy(m => m.Precision).ToArray();
                foreach (var run in EdgeServiceBenchmark.Run(launcher, serviceModels, pngs, settings, scratch, log))
                {
                    var ort = rows.FirstOrDefault(r => r.Timings.Runtime == "ONNX Runtime" && r.Timings.Precision == run.Precision)?.Timings.Batch1.MedianMs;
                    edge.Add(new EdgeRow(run, ort, run.PerImageMs is { } perImage && ort is { } o ? (perImage - o) / o : null));
                }
                // The console's load on the first precision's model (FP32 when it runs), after the per-precision runs.
                if (settings.ConsoleClients > 0 && serviceModels.Length > 0)
                {
                    var consolePngs = PhantomInputs.WritePngs(Path.Combine(scratch, "console-pngs"), settings.ConsoleImages, settings.PhantomSize, first: 100);
                    consoleLoad = ConsoleLoadBenchmark.Run(launcher, serviceModels[0], consolePngs, settings, scratch, log);
                }
            }

            machine = machine with { LoadAverageEnd = MachineDescription.LoadAverage() };
            return new BenchResult
            {
                CreatedUtc = DateTimeOffset.UtcNow,
                CommandLine = commandLine,
                Checkpoint = Path.GetFileName(settings.Checkpoint),
                CheckpointSha256 = ModelManifest.Sha256OfFile(settings.Checkpoint),
                Variant = config.Variant.Name,
                Classes = config.LabelSet.Count,
                InputSize = spec.CropSize,
                MultiplyAccumulates = cost.MultiplyAccumulates,
                Threads = settings.Threads,
                Repetitions = settings.Repetitions,
                Warmup = settings.Warmup,
                ThroughputBatch = settings.ThroughputBatch,
                Models = models,
                Machine = machine,
                Matmul = matmul,
                Engines = rows,
                Edge = edge,
                ConsoleLoad = consoleLoad,
                Targets = BenchTargets.Evaluate(rows, edge, consoleLoad),
                ElapsedSeconds = clock.Elapsed.TotalSeconds,
            };
        }
        finally
        {
            if (settings.KeepScratch) log($"scratch folder kept: {scratch}");
            else Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Speed-ups against the TorchSharp row (null without one) and effective GFLOP/s against the matmul median.</summary>
    public static IReadOnlyList<EngineRow> Derive(IReadOnlyList<EngineTimings> timings, MatmulTimings matmul, long macsPerImage)
    {
        var torch = timings.FirstOrDefault(t => t.Runtime == "TorchSharp");
        var flops = 2.0 * macsPerImage;
        return timings.Select(t =>
        {
            var gflops1 = flops / (t.Batch1.MedianMs / 1000) / 1e9;
            var gflopsN = flops * t.ImagesPerSecond / 1e9;
            return new EngineRow(t, torch?.Batch1.MedianMs / t.Batch1.MedianMs, t.ImagesPerSecond / torch?.ImagesPerSecond,
                gflops1, gflops1 / matmul.MedianGflops, gflopsN, gflopsN / matmul.MedianGflops);
        }).ToArray();
    }

    /// <summary>Writes <c>bench.json</c> and <c>bench.md</c> into the out folder and the docs page when asked; returns the paths.</summary>
    public static IReadOnlyList<string> Write(BenchResult result, BenchSettings settings)
    {
        Directory.CreateDirectory(settings.OutFolder);
        var json = Path.Combine(settings.OutFolder, "bench.json");
        var markdown = Path.Combine(settings.OutFolder, "bench.md");
        File.WriteAllText(json, JsonSerializer.Serialize(result, BenchJsonContext.Default.BenchResult));
        var document = BenchMarkdown.Document(result);
        File.WriteAllText(markdown, document);
        var written = new List<string> { json, markdown };
        if (settings.DocsPath is { } docs)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(docs));
            if (folder is not null) Directory.CreateDirectory(folder);
            File.WriteAllText(docs, document);
            written.Add(Path.GetFullPath(docs));
        }
        return written;
    }

    /// <summary>True when <paramref name="model"/>'s manifest names <paramref name="checkpoint"/> (by SHA-256) as its source.</summary>
    private static bool FromCheckpoint(BenchModel model, string checkpoint)
    {
        var manifestPath = ModelManifest.ManifestPathFor(model.Path);
        if (!File.Exists(manifestPath)) return false;
        var source = ModelManifest.Load(manifestPath).SourceCheckpointSha256;
        return source is not null && string.Equals(source, ModelManifest.Sha256OfFile(checkpoint), StringComparison.OrdinalIgnoreCase);
    }
}
