namespace MLRFNet.Benchmarks;

/// <summary>
/// Settings of <c>mlrfnet-bench</c>, validated before anything runs (a bad value fails in a second, not after the
/// export and quantization took minutes).
/// </summary>
public sealed record BenchSettings
{
    /// <summary>The TorchSharp checkpoint: the eager FP32 engine, the MACs figure and, when ONNX files are not given, their source.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Folder for <c>bench.json</c> and <c>bench.md</c>.</summary>
    public required string OutFolder { get; init; }

    /// <summary>Given ONNX files (their <c>.manifest.json</c> beside them is used when present); null: made from the checkpoint.</summary>
    public string? Fp32Model { get; init; }
    public string? Fp16Model { get; init; }
    public string? Int8Model { get; init; }

    /// <summary>Engines to time and service precisions to run: any of <see cref="AllEngines"/> (default all).</summary>
    public IReadOnlyList<string> Engines { get; init; } = AllEngines;

    public static readonly string[] AllEngines = ["torch", "fp32", "fp16", "int8"];

    public bool Runs(string engine) => Engines.Contains(engine, StringComparer.OrdinalIgnoreCase);

    /// <summary>Threads for every engine: TorchSharp intra-op, ONNX Runtime intra-op, the matmul probe and the service.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Interleaved rounds: each round runs every engine once at batch 1 and once at batch 8.</summary>
    public int Repetitions { get; init; } = 20;

    /// <summary>Untimed rounds first (allocations, kernel selection, ORT's first-run arena growth).</summary>
    public int Warmup { get; init; } = 2;

    public int ThroughputBatch { get; init; } = 8;

    /// <summary>Side of the square matmul that measures the machine's FP32 peak (2048: ~17 GFLOP per product).</summary>
    public int MatmulSize { get; init; } = 2048;

    /// <summary>Phantoms passed through the model's preprocessing to calibrate an INT8 model made here.</summary>
    public int CalibrationImages { get; init; } = 16;

    /// <summary>
    /// Schemes of the INT8 models made here, one model each; the first is the one the service runs and the speed-up
    /// target checks. Default U8S8 (what <c>mlrfnet quantize</c> makes for <c>--target cpu</c>), then S8S8 (TensorRT's).
    /// </summary>
    public IReadOnlyList<MLRFNet.Onnx.Quantization.QuantizationScheme> Int8Schemes { get; init; } =
        [MLRFNet.Onnx.Quantization.QuantizationScheme.U8S8, MLRFNet.Onnx.Quantization.QuantizationScheme.S8S8];

    /// <summary>Side of the phantoms the inputs are made from and that are dropped into the service (1024).</summary>
    public int PhantomSize { get; init; } = 1024;

    /// <summary>Skip the service part (in-process engines only).</summary>
    public bool SkipEdge { get; init; }

    /// <summary>The service to start: the published AOT binary, an apphost, or a <c>.dll</c> (run with <c>dotnet</c>).
    /// Null: MLRFNet.Edge is built from the source tree (JIT, not AOT).</summary>
    public string? EdgeBinary { get; init; }

    /// <summary>PNGs dropped into the intake per precision.</summary>
    public int EdgeImages { get; init; } = 24;

    /// <summary>The service's Inference:BatchSize (1: the per-image figure compares with ORT's batch-1 latency).</summary>
    public int EdgeBatch { get; init; } = 1;

    /// <summary>Service starts per precision for the cold-start figure (the last one also scores).</summary>
    public int EdgeStarts { get; init; } = 3;

    /// <summary>Edge:MaxHeatmaps for the service; null keeps its configured default.</summary>
    public int? EdgeMaxHeatmaps { get; init; }

    /// <summary>Extra environment variables for the service (e.g. <c>DOTNET_GCgen0size</c> to try GC settings).</summary>
    public IReadOnlyDictionary<string, string> EdgeEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Longest wait for the service to become ready or to finish the images.</summary>
    public TimeSpan EdgeTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Also write the Markdown with the machine description to this path (e.g. <c>docs/benchmarks.md</c>).</summary>
    public string? DocsPath { get; init; }

    /// <summary>Keep the scratch folder (models made here, service folders and logs) for inspection.</summary>
    public bool KeepScratch { get; init; }

    /// <summary>Clinic console load (issue 16): concurrent API pollers in the busy runs; 0 skips the idle/busy runs.</summary>
    public int ConsoleClients { get; init; } = 50;

    /// <summary>Pause of each console client between two requests, in milliseconds (the worklist itself polls every 5 s).</summary>
    public int ConsoleIntervalMs { get; init; } = 250;

    /// <summary>PNGs scored per idle or busy run.</summary>
    public int ConsoleImages { get; init; } = 200;

    /// <summary>Idle/busy pairs (interleaved, order alternating); the figures are medians over them.</summary>
    public int ConsoleRounds { get; init; } = 3;

    public BenchSettings Validate()
    {
        if (!File.Exists(Checkpoint)) throw new FileNotFoundException($"Checkpoint '{Checkpoint}' does not exist.", Checkpoint);
        foreach (var (name, path) in new[] { ("--fp32", Fp32Model), ("--fp16", Fp16Model), ("--int8", Int8Model) })
            if (path is not null && !File.Exists(path)) throw new FileNotFoundException($"{name} model '{path}' does not exist.", path);
        if (Engines.Count == 0 || Engines.Any(e => !AllEngines.Contains(e, StringComparer.OrdinalIgnoreCase)))
            throw new ArgumentException($"--engines takes a comma-separated subset of {string.Join(",", AllEngines)}; got '{string.Join(",", Engines)}'.");
        if (Threads < 1) throw new ArgumentException($"--threads must be at least 1 (got {Threads}).");
        if (Repetitions < 1) throw new ArgumentException($"--repetitions must be at least 1 (got {Repetitions}); 20 or more give a usable p95.");
        if (Warmup < 0) throw new ArgumentException($"--warmup must be 0 or more (got {Warmup}).");
        if (ThroughputBatch is < 2 or > 64) throw new ArgumentException($"--throughput-batch must be 2..64 (got {ThroughputBatch}).");
        if (MatmulSize is < 256 or > 8192) throw new ArgumentException($"--matmul-size must be 256..8192 (got {MatmulSize}).");
        if (Int8Schemes.Count == 0 || Int8Schemes.Distinct().Count() != Int8Schemes.Count)
            throw new ArgumentException($"--int8-scheme takes distinct schemes, e.g. u8s8,s8s8 (got '{string.Join(",", Int8Schemes)}').");
        if (CalibrationImages < 1) throw new ArgumentException($"--calibration-images must be at least 1 (got {CalibrationImages}).");
        if (PhantomSize is < 256 or > 4096) throw new ArgumentException($"--phantom-size must be 256..4096 (got {PhantomSize}).");
        if (EdgeImages < 2) throw new ArgumentException($"--edge-images must be at least 2 (got {EdgeImages}): the per-image time is the gap between first and last report.");
        if (EdgeBatch is < 1 or > 64) throw new ArgumentException($"--edge-batch must be 1..64, the service's range (got {EdgeBatch}).");
        if (EdgeStarts < 1) throw new ArgumentException($"--edge-starts must be at least 1 (got {EdgeStarts}).");
        if (EdgeMaxHeatmaps is < 0 or > 64) throw new ArgumentException($"--edge-max-heatmaps must be 0..64 (got {EdgeMaxHeatmaps}).");
        if (EdgeBinary is not null && !File.Exists(EdgeBinary))
            throw new FileNotFoundException($"--edge-binary '{EdgeBinary}' does not exist; publish it (dotnet publish src/MLRFNet.Edge -c Release -p:PublishProfile=linux-x64-cpu) or leave the option out to build the service from source.", EdgeBinary);
        if (ConsoleClients is < 0 or > 1000) throw new ArgumentException($"--console-clients must be 0..1000 (got {ConsoleClients}); 0 skips the console load runs.");
        if (ConsoleIntervalMs is < 0 or > 60000) throw new ArgumentException($"--console-interval-ms must be 0..60000 (got {ConsoleIntervalMs}).");
        if (ConsoleImages < 2) throw new ArgumentException($"--console-images must be at least 2 (got {ConsoleImages}).");
        if (ConsoleRounds < 1) throw new ArgumentException($"--console-rounds must be at least 1 (got {ConsoleRounds}).");
        if (EdgeTimeout <= TimeSpan.Zero) throw new ArgumentException("--edge-timeout must be positive.");
        return this;
    }
}
