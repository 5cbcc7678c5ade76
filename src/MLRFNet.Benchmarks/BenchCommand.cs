using System.CommandLine;
using MLRFNet.Benchmarks;

namespace MLRFNet.Benchmarks;

/// <summary>
/// <c>mlrfnet-bench --checkpoint CKPT [--fp32 X.onnx --fp16 Y.onnx --int8 Z.onnx] [--edge-binary PATH] --out DIR
/// [--write-docs docs/benchmarks.md]</c>: TorchSharp eager vs ONNX Runtime FP32/FP16/INT8 latency and throughput,
/// interleaved in one process, against the machine's matmul peak; then the edge service end to end per precision
/// (<see cref="InferenceBenchmark"/>). A benchmark, not a test: it reports figures and which targets were met.
/// </summary>
public static class BenchCommand
{
    public static RootCommand Create(TextWriter output, TextWriter error)
    {
        var d = new BenchSettings { Checkpoint = "", OutFolder = "" };
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "Checkpoint (.ckpt): the TorchSharp engine, the MACs and, unless ONNX files are given, their source.", Required = true };
        var outFolder = new Option<DirectoryInfo>("--out") { Description = "Folder for bench.json and bench.md.", Required = true };
        var fp32 = new Option<FileInfo?>("--fp32") { Description = "FP32 ONNX model (default: exported from the checkpoint)." };
        var fp16 = new Option<FileInfo?>("--fp16") { Description = "FP16 ONNX model (default: converted from the FP32 one)." };
        var int8 = new Option<FileInfo?>("--int8") { Description = "INT8 QDQ ONNX model (default: quantized from the FP32 one, calibrated on phantoms)." };
        var engines = new Option<string>("--engines") { Description = "Engines to time and service precisions to run (comma-separated subset of torch,fp32,fp16,int8).", DefaultValueFactory = _ => string.Join(",", BenchSettings.AllEngines) };
        var threads = new Option<int>("--threads") { Description = "Threads of every engine and of the service.", DefaultValueFactory = _ => d.Threads };
        var repetitions = new Option<int>("--repetitions") { Description = "Interleaved timed rounds.", DefaultValueFactory = _ => d.Repetitions };
        var warmup = new Option<int>("--warmup") { Description = "Untimed rounds first.", DefaultValueFactory = _ => d.Warmup };
        var throughputBatch = new Option<int>("--throughput-batch") { Description = "Batch size of the throughput figure.", DefaultValueFactory = _ => d.ThroughputBatch };
        var matmulSize = new Option<int>("--matmul-size") { Description = "Side of the square float32 matmul that measures the FP32 peak.", DefaultValueFactory = _ => d.MatmulSize };
        var calibration = new Option<int>("--calibration-images") { Description = "Phantoms calibrating an INT8 model made here.", DefaultValueFactory = _ => d.CalibrationImages };
        var scheme = new Option<string>("--int8-scheme")
        {
            Description = "Schemes of the INT8 models made here, comma-separated, one model each; the first is the service's and the target's (default u8s8,s8s8).",
            DefaultValueFactory = _ => string.Join(",", d.Int8Schemes).ToLowerInvariant(),
        };
        var phantomSize = new Option<int>("--phantom-size") { Description = "Side of the phantom images (inputs and service PNGs).", DefaultValueFactory = _ => d.PhantomSize };
        var noEdge = new Option<bool>("--no-edge") { Description = "Skip the edge service runs." };
        var edgeBinary = new Option<FileInfo?>("--edge-binary") { Description = "The service to run: published mlrfnet-edge (Native AOT), an apphost or a .dll. Default: built from src/MLRFNet.Edge (JIT)." };
        var edgeImages = new Option<int>("--edge-images") { Description = "PNGs dropped into the intake per precision.", DefaultValueFactory = _ => d.EdgeImages };
        var edgeBatch = new Option<int>("--edge-batch") { Description = "The service's Inference:BatchSize.", DefaultValueFactory = _ => d.EdgeBatch };
        var edgeStarts = new Option<int>("--edge-starts") { Description = "Service starts per precision for the cold-start median.", DefaultValueFactory = _ => d.EdgeStarts };
        var edgeHeatmaps = new Option<int?>("--edge-max-heatmaps") { Description = "The service's Edge:MaxHeatmaps (default: its configured value)." };
        var edgeEnv = new Option<string[]>("--edge-env") { Description = "KEY=VALUE environment variable for the service (repeatable), e.g. DOTNET_GCgen0size=0x1000000.", AllowMultipleArgumentsPerToken = false };
        var edgeTimeout = new Option<int>("--edge-timeout-seconds") { Description = "Longest wait for the service to be ready or to finish.", DefaultValueFactory = _ => (int)d.EdgeTimeout.TotalSeconds };
        var consoleClients = new Option<int>("--console-clients") { Description = "Clinic console load: concurrent API pollers in the busy runs, against idle runs (0: skip).", DefaultValueFactory = _ => d.ConsoleClients };
        var consoleInterval = new Option<int>("--console-interval-ms") { Description = "Pause of each console client between requests.", DefaultValueFactory = _ => d.ConsoleIntervalMs };
        var consoleImages = new Option<int>("--console-images") { Description = "PNGs scored per idle or busy console run.", DefaultValueFactory = _ => d.ConsoleImages };
        var consoleRounds = new Option<int>("--console-rounds") { Description = "Interleaved idle/busy pairs (medians over them).", DefaultValueFactory = _ => d.ConsoleRounds };
        var docs = new Option<FileInfo?>("--write-docs") { Description = "Also write the Markdown with the machine description here (e.g. docs/benchmarks.md)." };
        var keep = new Option<bool>("--keep-scratch") { Description = "Keep the scratch folder (models made here, service folders)." };
        var command = new RootCommand("mlrfnet-bench: benchmark TorchSharp eager FP32 vs ONNX Runtime FP32/FP16/INT8 (interleaved, vs the matmul peak) and the edge service end to end.")
        {
            checkpoint, outFolder, fp32, fp16, int8, engines, threads, repetitions, warmup, throughputBatch, matmulSize, calibration, scheme, phantomSize,
            noEdge, edgeBinary, edgeImages, edgeBatch, edgeStarts, edgeHeatmaps, edgeEnv, edgeTimeout,
            consoleClients, consoleInterval, consoleImages, consoleRounds, docs, keep,
        };
        command.SetAction(parse => BenchRun.Guard(error, () =>
        {
            var settings = new BenchSettings
            {
                Checkpoint = parse.GetValue(checkpoint)!.FullName,
                OutFolder = parse.GetValue(outFolder)!.FullName,
                Fp32Model = parse.GetValue(fp32)?.FullName,
                Fp16Model = parse.GetValue(fp16)?.FullName,
                Int8Model = parse.GetValue(int8)?.FullName,
                Engines = parse.GetValue(engines)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Threads = parse.GetValue(threads),
                Repetitions = parse.GetValue(repetitions),
                Warmup = parse.GetValue(warmup),
                ThroughputBatch = parse.GetValue(throughputBatch),
                MatmulSize = parse.GetValue(matmulSize),
                CalibrationImages = parse.GetValue(calibration),
                Int8Schemes = ParseSchemes(parse.GetValue(scheme)!),
                PhantomSize = parse.GetValue(phantomSize),
                SkipEdge = parse.GetValue(noEdge),
                EdgeBinary = parse.GetValue(edgeBinary)?.FullName,
                EdgeImages = parse.GetValue(edgeImages),
                EdgeBatch = parse.GetValue(edgeBatch),
                EdgeStarts = parse.GetValue(edgeStarts),
                EdgeMaxHeatmaps = parse.GetValue(edgeHeatmaps),
                EdgeEnvironment = (parse.GetValue(edgeEnv) ?? []).Select(ParseEnvironment).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
                EdgeTimeout = TimeSpan.FromSeconds(parse.GetValue(edgeTimeout)),
                ConsoleClients = parse.GetValue(consoleClients),
                ConsoleIntervalMs = parse.GetValue(consoleInterval),
                ConsoleImages = parse.GetValue(consoleImages),
                ConsoleRounds = parse.GetValue(consoleRounds),
                DocsPath = parse.GetValue(docs)?.FullName,
                KeepScratch = parse.GetValue(keep),
            };
            var commandLine = BenchRun.Tool + " " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ') ? $"\"{t.Value}\"" : t.Value));
            var result = InferenceBenchmark.Run(settings, commandLine, output.WriteLine);
            output.WriteLine();
            output.Write(BenchMarkdown.EngineTable(result));
            output.WriteLine();
            output.Write(BenchMarkdown.EdgeTables(result));
            output.WriteLine();
            output.Write(BenchMarkdown.TargetTable(result));
            output.WriteLine();
            foreach (var path in InferenceBenchmark.Write(result, settings)) output.WriteLine($"wrote {path}");
            var failed = result.Edge.Where(e => e.Run.Error is not null).Select(e => e.Run.Precision).ToArray();
            if (result.ConsoleLoad?.Error is not null) failed = [.. failed, "console load"];
            if (failed.Length == 0) return 0;
            // The figures that were measured are written; the exit code still says the run is incomplete.
            error.WriteLine($"{BenchRun.Tool}: error: the service run failed for {string.Join(", ", failed)}; see bench.json (edge[].run.error, consoleLoad.error).");
            return 1;
        }));
        return command;
    }

    private static MLRFNet.Onnx.Quantization.QuantizationScheme[] ParseSchemes(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name =>
            Enum.TryParse<MLRFNet.Onnx.Quantization.QuantizationScheme>(name, ignoreCase: true, out var s) && Enum.IsDefined(s) && !char.IsDigit(name[0])
                ? s : throw new ArgumentException($"--int8-scheme '{name}' is not known; use u8s8, s8s8 or both (u8s8,s8s8)."))];

    private static KeyValuePair<string, string> ParseEnvironment(string pair)
    {
        var at = pair.IndexOf('=', StringComparison.Ordinal);
        if (at <= 0) throw new ArgumentException($"--edge-env '{pair}' is not KEY=VALUE.");
        return new(pair[..at], pair[(at + 1)..]);
    }
}
