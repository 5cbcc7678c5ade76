using System.Globalization;
using System.Text.Json;
using MLRFNet.Core.Manifest;

namespace MLRFNet.Benchmarks;

/// <summary>Medians over the service's own per-report timings (the <c>timings</c> block of each JSON report); inference per image.</summary>
/// <param name="ReportMs">Building the report, the HTML page and its heatmaps (before the durable writes).</param>
public sealed record ServiceStageTimes(double HashMs, double DecodeMs, double PreprocessMs, double InferenceMs, double ReportMs)
{
    public double Sum => HashMs + DecodeMs + PreprocessMs + InferenceMs + ReportMs;
}

/// <summary>One precision through the real service, from cold start to the last report.</summary>
/// <param name="ColdStartsMs">Process start to the "Watching" log line (intake open: the service is ready), per start.</param>
/// <param name="WallSeconds">First file dropped into the intake to the last "Scored" line (report durable, input archived).</param>
/// <param name="PerImageMs">Steady state: (last report − first report) / (images − 1); what a queue of films costs per film.</param>
/// <param name="PeakRssMb">VmHWM after the last report: the peak resident set of the whole run, scoring included.</param>
/// <param name="MaxSampledRssMb">Largest VmRSS sampled every ~10 ms while the images were scored.</param>
public sealed record EdgeRun
{
    public required string Precision { get; init; }
    public required string ModelSource { get; init; }
    public required string Launcher { get; init; }
    public required int Images { get; init; }
    public required int BatchSize { get; init; }
    public int? MaxHeatmaps { get; init; }
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public double[] ColdStartsMs { get; init; } = [];
    public double? ColdStartMedianMs { get; init; }
    public double? IdleRssMb { get; init; }
    public double? PeakRssMb { get; init; }
    public double? MaxSampledRssMb { get; init; }
    public double? FirstReportSeconds { get; init; }
    public double? WallSeconds { get; init; }
    public double? ImagesPerMinute { get; init; }
    public double? PerImageMs { get; init; }
    public ServiceStageTimes? Stages { get; init; }
    public int? ExitCode { get; init; }
    public string? Error { get; init; }
}

/// <summary>
/// The edge service end to end, per precision: started <see cref="BenchSettings.EdgeStarts"/> times for the cold
/// start (process start to the intake being watched), and on the last start 1024² phantom PNGs are moved into the
/// intake at once (an atomic rename each, as a modality's copy-then-rename does) and timed to the last report. Each
/// precision gets fresh folders. The service runs alone (no in-process engine is timed meanwhile).
/// </summary>
public static class EdgeServiceBenchmark
{
    private const string ReadyLine = "Watching ";
    private const string ScoredLine = "Scored ";

    public static IReadOnlyList<EdgeRun> Run(EdgeLauncher launcher, IReadOnlyList<BenchModel> models, IReadOnlyList<string> pngs,
        BenchSettings settings, string scratch, Action<string> log)
    {
        var runs = new List<EdgeRun>();
        foreach (var model in models)
        {
            var precision = model.Label;
            try
            {
                runs.Add(RunOne(launcher, model, precision, pngs, settings, Path.Combine(scratch, "edge-" + precision.ToLowerInvariant().Replace(' ', '-')), log));
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or JsonException or UnauthorizedAccessException)
            {
                log($"service {precision}: FAILED: {e.Message}");
                runs.Add(new EdgeRun
                {
                    Precision = precision, ModelSource = model.Source, Launcher = launcher.Description, Images = pngs.Count,
                    BatchSize = settings.EdgeBatch, MaxHeatmaps = settings.EdgeMaxHeatmaps, Error = e.Message,
                });
            }
        }
        return runs;
    }

    private static EdgeRun RunOne(EdgeLauncher launcher, BenchModel model, string precision, IReadOnlyList<string> pngs,
        BenchSettings settings, string root, Action<string> log)
    {
        string F(string name) => Path.Combine(root, name);
        var (arguments, staged) = Prepare(model, pngs, settings, root);

        var cold = new List<double>();
        for (var start = 1; start < settings.EdgeStarts; start++)
        {
            using var warm = EdgeProcess.Start(launcher, arguments, settings.EdgeEnvironment);
            cold.Add(warm.WaitFor(ReadyLine, 1, settings.EdgeTimeout)[0]);
            warm.Stop(TimeSpan.FromSeconds(60));
            log($"service {precision}: start {start}: ready after {cold[^1]:F0} ms");
        }

        using var service = EdgeProcess.Start(launcher, arguments, settings.EdgeEnvironment);
        cold.Add(service.WaitFor(ReadyLine, 1, settings.EdgeTimeout)[0]);
        log($"service {precision}: start {settings.EdgeStarts}: ready after {cold[^1]:F0} ms; dropping {staged.Length} PNGs");
        var idle = ProcStatus.Read(service.ProcessId);
        var dropped = service.NowMs;
        foreach (var file in staged) File.Move(file, Path.Combine(F("intake"), Path.GetFileName(file)));
        var maxRss = 0.0;
        var scored = service.WaitFor(ScoredLine, staged.Length, settings.EdgeTimeout,
            () => maxRss = Math.Max(maxRss, ProcStatus.Read(service.ProcessId)?.VmRssMb ?? 0));
        var peak = ProcStatus.Read(service.ProcessId);
        var exitCode = service.Stop(TimeSpan.FromSeconds(60));

        var archived = Directory.GetFiles(F("archive")).Length;
        var reports = Directory.GetFiles(F("reports"), "*.json");
        var quarantined = Directory.GetFiles(F("quarantine")).Length;
        if (archived != staged.Length || reports.Length != staged.Length || quarantined != 0)
            throw new InvalidOperationException(
                $"The service logged {scored.Count} reports but left {archived} archived, {reports.Length} JSON reports and {quarantined} quarantined files for {staged.Length} inputs.");
        var first = scored.Take(staged.Length).Min();
        var last = scored.Take(staged.Length).Max();
        var wall = (last - dropped) / 1000.0;
        var run = new EdgeRun
        {
            Precision = precision, ModelSource = model.Source, Launcher = launcher.Description, Images = staged.Length,
            BatchSize = settings.EdgeBatch, MaxHeatmaps = settings.EdgeMaxHeatmaps,
            Environment = settings.EdgeEnvironment.Count > 0 ? settings.EdgeEnvironment : null,
            ColdStartsMs = [.. cold], ColdStartMedianMs = LatencyStatistics.Of(cold).MedianMs,
            IdleRssMb = idle?.VmRssMb, PeakRssMb = peak?.VmHwmMb, MaxSampledRssMb = maxRss,
            FirstReportSeconds = (first - dropped) / 1000.0, WallSeconds = wall, ImagesPerMinute = staged.Length / wall * 60,
            PerImageMs = (last - first) / (staged.Length - 1), Stages = StageMedians(reports), ExitCode = exitCode,
        };
        log(string.Create(CultureInfo.InvariantCulture,
            $"service {precision}: {run.Images} images in {wall:F1} s ({run.ImagesPerMinute:F1}/min, {run.PerImageMs:F0} ms per image steady), peak RSS {run.PeakRssMb:F0} MB, exit {exitCode}"));
        return run;
    }

    /// <summary>
    /// Fresh service folders under <paramref name="root"/>, the PNGs staged beside the intake (so the drop is a rename
    /// and the service never sees a half-written file), and the service's command line for them.
    /// </summary>
    internal static (List<string> Arguments, string[] Staged) Prepare(BenchModel model, IReadOnlyList<string> pngs, BenchSettings settings, string root)
    {
        string F(string name) => Path.Combine(root, name);
        foreach (var name in new[] { "intake", "work", "reports", "archive", "quarantine", "staging" }) Directory.CreateDirectory(F(name));
        var staged = pngs.Select(p => { var to = Path.Combine(F("staging"), Path.GetFileName(p)); File.Copy(p, to); return to; }).ToArray();
        var arguments = new List<string>
        {
            $"--Edge:IntakeFolder={F("intake")}", $"--Edge:WorkFolder={F("work")}", $"--Edge:ReportsFolder={F("reports")}",
            $"--Edge:ArchiveFolder={F("archive")}", $"--Edge:QuarantineFolder={F("quarantine")}", $"--Edge:HealthFile={F("health.json")}",
            // Files are renamed in complete, so a short stable age only shortens the wait before the first claim.
            "--Edge:StableAge=00:00:00.200", "--Edge:MinFreeDiskMegabytes=0",
            $"--Inference:ModelPath={model.Path}", $"--Inference:TrustedKeysFolder={BenchModelSet.TrustedKeysFolder(model.Path)}",
            $"--Inference:Threads={settings.Threads}", $"--Inference:BatchSize={settings.EdgeBatch}",
        };
        if (settings.EdgeMaxHeatmaps is { } heatmaps) arguments.Add($"--Edge:MaxHeatmaps={heatmaps}");
        return (arguments, staged);
    }

    /// <summary>Medians of each stage over the reports' <c>timings</c> blocks.</summary>
    public static ServiceStageTimes StageMedians(IEnumerable<string> reportPaths)
    {
        var columns = new[] { "hashMs", "decodeMs", "preprocessMs", "inferenceMs", "reportMs" }.ToDictionary(k => k, _ => new List<double>());
        foreach (var path in reportPaths)
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var timings = document.RootElement.GetProperty("timings");
            // One model run serves the whole batch: its time per image is inferenceMs / batchSize.
            var batch = Math.Max(1, timings.GetProperty("batchSize").GetInt32());
            foreach (var (key, values) in columns) values.Add(timings.GetProperty(key).GetDouble() / (key == "inferenceMs" ? batch : 1));
        }
        double Median(string key) => LatencyStatistics.Of(columns[key]).MedianMs;
        return new ServiceStageTimes(Median("hashMs"), Median("decodeMs"), Median("preprocessMs"), Median("inferenceMs"), Median("reportMs"));
    }
}
