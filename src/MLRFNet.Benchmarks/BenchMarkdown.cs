using System.Globalization;
using System.Text;

namespace MLRFNet.Benchmarks;

/// <summary>The Markdown of a run: <c>bench.md</c> and, with <c>--write-docs</c>, <c>docs/benchmarks.md</c> (same text).</summary>
public static class BenchMarkdown
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Document(BenchResult r)
    {
        var md = new StringBuilder();
        md.AppendLine("# MLRFNet inference benchmarks").AppendLine();
        md.AppendLine(string.Create(C, $"Latest run of `mlrfnet-bench`, {r.CreatedUtc:yyyy-MM-dd HH:mm} UTC, {r.ElapsedSeconds / 60:F1} min. Regenerate with:")).AppendLine();
        md.AppendLine("```").AppendLine(r.CommandLine).AppendLine("```").AppendLine();
        Machine(md, r);
        Model(md, r);
        md.Append(EngineTable(r)).AppendLine();
        md.Append(EdgeTables(r)).AppendLine();
        md.Append(TargetTable(r)).AppendLine();
        Notes(md, r);
        return md.ToString();
    }

    private static void Machine(StringBuilder md, BenchResult r)
    {
        var m = r.Machine;
        string Load(double[]? l) => l is { Length: > 0 } ? string.Join(" ", l.Select(v => v.ToString("0.00", C))) : "n/a";
        md.AppendLine("## Machine").AppendLine();
        md.AppendLine("| | |").AppendLine("| --- | --- |");
        md.AppendLine($"| CPU | {m.CpuModel} |");
        md.AppendLine($"| SIMD | {(m.SimdFlags.Length > 0 ? string.Join(" ", m.SimdFlags) : "n/a")} |");
        md.AppendLine($"| Cores | {m.LogicalCpus} logical" + (m.PhysicalCores is { } p ? $", {p} physical" : "") + " |");
        md.AppendLine(string.Create(C, $"| Memory | {m.MemoryGb:F1} GB |"));
        md.AppendLine($"| OS | {m.OperatingSystem} ({m.Kernel}) |");
        md.AppendLine($"| .NET | {m.DotNet} |");
        md.AppendLine($"| ONNX Runtime | {m.OnnxRuntime} (CPU execution provider, all graph optimizations) |");
        md.AppendLine($"| TorchSharp | {m.TorchSharp} (libtorch CPU, eager) |");
        md.AppendLine($"| Threads per engine | {r.Threads} |");
        md.AppendLine($"| Load average (1/5/15 min) at start | {Load(m.LoadAverageStart)} |");
        md.AppendLine($"| Load average (1/5/15 min) at end | {Load(m.LoadAverageEnd)} |");
        md.AppendLine();
    }

    private static void Model(StringBuilder md, BenchResult r)
    {
        md.AppendLine("## Model").AppendLine();
        md.AppendLine(string.Create(C, $"`{r.Checkpoint}` (SHA-256 `{r.CheckpointSha256[..12]}…`): variant `{r.Variant}`, {r.Classes} classes, input 3×{r.InputSize}×{r.InputSize}, ") +
                      string.Create(C, $"**{r.MultiplyAccumulates / 1e9:F3} G multiply-accumulates per image** (conv + linear, `ModelCost`).")).AppendLine();
        md.AppendLine("| Precision | ONNX file | Source | Size (MiB) |").AppendLine("| --- | --- | --- | --- |");
        foreach (var m in r.Models)
            md.AppendLine(string.Create(C, $"| {m.Label} | `{Path.GetFileName(m.Path)}` | {m.Source} | {m.Bytes / 1048576.0:F1} |"));
        md.AppendLine();
    }

    public static string EngineTable(BenchResult r)
    {
        var md = new StringBuilder();
        var b = r.ThroughputBatch;
        md.AppendLine("## In-process inference").AppendLine();
        md.AppendLine(string.Create(C, $"One process, {r.Repetitions} interleaved rounds after {r.Warmup} warm-up rounds; each round runs every engine once at batch 1 and once at batch {b} ") +
                      "and the matmul probe once, in an order rotated by one per round, on the same phantom inputs (1024² chest phantoms through the model's preprocessing).").AppendLine();
        md.AppendLine($"| Engine | Batch 1 median (ms) | Batch 1 p95 (ms) | Speed-up vs TorchSharp (b1) | Batch {b} (img/s) | Speed-up (b{b}) | GFLOP/s (b1) | % of peak (b1) | GFLOP/s (b{b}) | % of peak (b{b}) | Max abs Δp vs reference |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var e in r.Engines)
        {
            var t = e.Timings;
            md.AppendLine(string.Create(C,
                $"| {t.Name} | {t.Batch1.MedianMs:F1} | {t.Batch1.P95Ms:F1} | {Times(e.SpeedupBatch1)} | {t.ImagesPerSecond:F2} | {Times(e.SpeedupBatchN)} | {e.GflopsBatch1:F1} | {Percent(e.PeakFractionBatch1)} | {e.GflopsBatchN:F1} | {Percent(e.PeakFractionBatchN)} | {(t.MaxAbsDifferenceVsReference is { } d ? d.ToString("G3", C) : "n/a (other weights)")} |"));
        }
        var mm = r.Matmul;
        md.AppendLine();
        md.AppendLine(string.Create(C,
            $"Machine FP32 peak, measured in the same rounds: TorchSharp `matmul` {mm.Size}×{mm.Size} float32, {r.Threads} threads: **{mm.MedianGflops:F1} GFLOP/s median** ") +
            string.Create(C, $"(best round {mm.BestGflops:F1}; {mm.Latency.MedianMs:F1} ms median, p95 {mm.Latency.P95Ms:F1} ms). \"% of peak\" divides by the median."));
        return md.ToString();
    }

    public static string EdgeTables(BenchResult r)
    {
        var md = new StringBuilder();
        md.AppendLine("## Edge service end to end").AppendLine();
        if (r.Edge.Count == 0) return md.AppendLine("Not run (`--no-edge`).").ToString();
        var first = r.Edge[0].Run;
        md.AppendLine(string.Create(C,
            $"The real service ({first.Launcher}), one run per precision with fresh folders: {first.Images} PNG phantoms of 1024×1024 renamed into the intake at once, ") +
            $"Inference:BatchSize={first.BatchSize}, Edge:MaxHeatmaps={(first.MaxHeatmaps?.ToString(C) ?? "service default")}, Edge:StableAge=0.2 s" +
            (first.Environment is { Count: > 0 } env ? $", environment {string.Join(" ", env.Select(kv => $"`{kv.Key}={kv.Value}`"))}. " : ". ") +
            "Cold start: process start to the \"Watching\" log line (model loaded and checked, intake open). Per image: (last report − first report) / (images − 1). " +
            "Overhead: (per image − ORT batch-1 median in-process) / ORT batch-1 median.").AppendLine();
        md.AppendLine("| Precision | Cold start (s, median) | Images/min | Per image (ms) | ORT batch 1 (ms) | Overhead | Peak RSS (MB, VmHWM) | Max RSS scoring (MB) | Idle RSS (MB) | Exit |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in r.Edge)
        {
            var e = row.Run;
            if (e.Error is not null)
            {
                md.AppendLine($"| {e.Precision} | failed: {e.Error.Split('\n')[0]} | | | | | | | | |");
                continue;
            }
            md.AppendLine(string.Create(C,
                $"| {e.Precision} | {e.ColdStartMedianMs / 1000:F2} | {e.ImagesPerMinute:F1} | {e.PerImageMs:F0} | {row.OrtBatch1Ms:F0} | {Percent(row.Overhead)} | {e.PeakRssMb:F0} | {e.MaxSampledRssMb:F0} | {e.IdleRssMb:F0} | {e.ExitCode} |"));
        }
        md.AppendLine();
        md.AppendLine("Where a film's time goes: medians of the service's own per-report timings (ms). The service runs prepare (hash, decode, ")
          .AppendLine("preprocess), the model and the report as overlapping pipeline stages, so the stages can add up to more than the per-image ")
          .AppendLine("time (\"other\" is then negative); \"other\" is otherwise the time not in them (durable writes with fsync, ledger, archive ")
          .AppendLine("move, intake, logging, waiting). \"Non-model CPU ÷ cores\" spreads hash, decode, preprocess and report over ")
          .AppendLine(string.Create(C, $"the {r.Machine.LogicalCpus} logical CPUs. The stage times are taken while the stages overlap, so they include waiting for a core and "))
          .AppendLine("overstate the work; still, where this column is near the model's batch-1 time, the 15% overhead target needs the work outside ")
          .AppendLine("the model to be nearly free or more cores (on a GPU box the model runs off the CPU and the stages overlap it).").AppendLine();
        md.AppendLine("| Precision | Hash | Decode | Preprocess | Inference (service) | Report: HTML + heatmaps | Other | Per image | Overhead vs the service's own inference | Non-model CPU ÷ cores |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in r.Edge.Where(x => x.Run.Stages is not null))
        {
            var e = row.Run;
            var s = e.Stages!;
            var nonModelMs = (s.HashMs + s.DecodeMs + s.PreprocessMs + s.ReportMs) / Math.Max(1, r.Machine.LogicalCpus);
            md.AppendLine(string.Create(C,
                $"| {e.Precision} | {s.HashMs:F1} | {s.DecodeMs:F1} | {s.PreprocessMs:F1} | {s.InferenceMs:F1} | {s.ReportMs:F1} | {e.PerImageMs - s.Sum:F1} | {e.PerImageMs:F0} | {Percent((e.PerImageMs - s.InferenceMs) / s.InferenceMs)} | {nonModelMs:F1} |"));
        }
        if (r.ConsoleLoad is { } console) md.AppendLine().Append(ConsoleTable(console));
        return md.ToString();
    }

    /// <summary>The clinic console's busy/idle row (issue 16) with how it was measured.</summary>
    public static string ConsoleTable(ConsoleLoadRun c)
    {
        var md = new StringBuilder();
        md.AppendLine("### Clinic console: scoring idle vs busy").AppendLine();
        md.AppendLine(string.Create(C,
            $"The service in watch mode with the console on a loopback port and a token, {c.Images} PNGs per run, fresh folders and process per run; ") +
            string.Create(C, $"idle: console on, no clients; busy: {c.Clients} clients each alternating `GET /api/studies` and `GET /api/health` (bearer token) with {c.IntervalMs} ms between requests. ") +
            "Runs interleaved (idle, busy; busy, idle; …). Throughput: images / (first \"Took\" line to the last \"Scored\" line). Slower: 1 − busy / idle.").AppendLine();
        md.AppendLine("| Precision | Idle (images/s, median) | Busy (images/s, median) | Busy / idle | Slower | Busy / idle per round (median) | Runs each | Console requests | Failed | Errors | Request median / p95 (ms) | Clients' own CPU (cores) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var q = c.Requests;
        var latency = q?.Latency is { } l ? string.Create(C, $"{l.MedianMs:F1} / {l.P95Ms:F1}") : "n/a";
        md.AppendLine(c.Error is not null && c.Slowdown is null
            ? $"| {c.Precision} | failed: {c.Error.Split('\n')[0]} | | | | | | | | | | |"
            : string.Create(C,
                $"| {c.Precision} | {c.IdleMedian:F2} | {c.BusyMedian:F2} | {c.BusyMedian / c.IdleMedian:F3} | {Percent(c.Slowdown)} | {c.PairedRatioMedian:F3} | {c.BusyImagesPerSecond.Length} | {q?.Requests ?? 0} | {q?.Failed ?? 0} | {q?.Errors ?? 0} | {latency} | {c.ClientCpuCores:F2} |"));
        md.AppendLine().AppendLine("The clients run in the bench process on the same machine as the service, so on a box with few cores their own CPU (last column) competes with scoring; on site they run on the clinic PCs.");
        if (q?.FirstProblem is { } problem) md.AppendLine().AppendLine($"First failed request: {problem}");
        return md.ToString();
    }

    public static string TargetTable(BenchResult r)
    {
        var md = new StringBuilder();
        md.AppendLine("## Targets (issues 8 and 16)").AppendLine();
        md.AppendLine("| Target | Measured | Met |").AppendLine("| --- | --- | --- |");
        foreach (var t in r.Targets)
            md.AppendLine($"| {t.Target} | {t.Measured} | {(t.Met switch { true => "yes", false => "**no**", null => "n/a" })}{(t.Note is null ? "" : $" ({t.Note.Split('\n')[0]})")} |");
        return md.ToString();
    }

    private static string Times(double? ratio) => ratio is { } r ? r.ToString("0.00", C) + "x" : "n/a";

    public static string Percent(double? fraction) => fraction is { } f ? (100 * f).ToString("0.0", C) + "%" : "n/a";

    private static void Notes(StringBuilder md, BenchResult r)
    {
        md.AppendLine("## How to read this").AppendLine();
        md.AppendLine("- Latency is wall time of one call as a program sees it: TorchSharp `sigmoid(model(x))` under `eval()` + `no_grad` read back to an array; ");
        md.AppendLine("  ONNX Runtime through `OnnxXrayScorer` (the service's scorer) without class maps. Same images, same thread count.");
        md.AppendLine("- GFLOP/s counts 2 × multiply-accumulates of the FP32 model for every engine, so FP16/INT8 figures are FP32-equivalent work per second.");
        md.AppendLine("- Max abs Δp: largest probability difference from the reference on the batch images (same model check; FP16/INT8 show their rounding). ");
        md.AppendLine("  The reference is the first row, or ONNX Runtime FP32 when the FP32 model was not exported from the benchmarked checkpoint (TorchSharp then times the same architecture with other weights: n/a).");
        md.AppendLine("- ONNX Runtime's CPU provider has few float16 kernels: the FP16 model runs with casts around most ops and is expected to be slower on CPU; it exists for CUDA/TensorRT.");
        md.AppendLine(string.Create(C, $"- A load average above {r.Machine.LogicalCpus} (the logical CPUs) means other work competed for the cores during the run; medians resist it, p95 does not."));
        if (r.Models.Any(m => !m.Source.Equals("given", StringComparison.Ordinal)))
            md.AppendLine($"- Models not marked \"given\" were made by the benchmark itself; their manifests carry the record \"{BenchModelSet.UncheckedNotice}\" so the service would start them.");
    }
}
