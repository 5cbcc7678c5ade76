using System.CommandLine;
using MLRFNet.Cli.Printing;
using MLRFNet.Core.Manifest;
using MLRFNet.Onnx.Qa;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet qa --reference fp32.onnx --candidate int8.onnx --labels CSV --images DIR --report DIR
/// [--max-mean-drop X] [--max-class-drop Y] [--run RUN_DIR]</c>: parses, runs <see cref="QaJob"/> (lineage, scoring through the box's
/// own scorer, the gate, report.html/report.json, the verdict recorded in the candidate's manifest, signed with
/// --sign-key) and prints a summary. Exit code 0 when the gate passes, 1 when it fails, 2 for input errors (the
/// manifest is then left untouched), 3 when it is inconclusive (too few images or positives to judge).
/// </summary>
internal static class QaCommand
{
    public const int GateFailed = 1;
    public const int GateInconclusive = 3;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var data = new DatasetOptions(purpose: "Gate images (held out from training and calibration)");
        var reference = new Option<FileInfo>("--reference") { Description = "The FP32 model the candidate was made from.", Required = true };
        var candidate = new Option<FileInfo>("--candidate") { Description = "The FP16 or INT8 model, with the manifest `mlrfnet quantize` wrote.", Required = true };
        var report = new Option<DirectoryInfo>("--report") { Description = "Folder for report.html and report.json (created; existing reports are not overwritten).", Required = true };
        var thresholds = new GateThresholdOptions("");
        var batch = new Option<int>("--batch-size") { Description = "Images per inference run while scoring.", DefaultValueFactory = _ => 16 };
        var latencyRuns = new Option<int>("--latency-runs") { Description = "Timed batch-1 runs per model (the median is reported).", DefaultValueFactory = _ => 20 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Paired bootstrap resamples for the ΔAUC CIs (0 = none).", DefaultValueFactory = _ => 1000 };
        var run = new Option<DirectoryInfo?>("--run") { Description = "The training run folder (split.json) the reference came from: gate images from its train or validation part are refused." };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "Preprocessed-image cache folder (default: the system temp folder)." };
        var signKey = SignKeyOption.Create();
        var command = new Command("qa", "Accuracy gate: compare a quantized model with its FP32 reference on labelled X-rays; exit 0 pass, 1 fail, 3 inconclusive.");
        data.AddTo(command);
        foreach (var o in (Option[])[reference, candidate, report, .. thresholds.All, batch, latencyRuns, bootstrap, run, cache, signKey]) command.Options.Add(o);

        command.SetAction(parse => CliRun.Guard("qa", error, () =>
        {
            using var key = SignKeyOption.Load(parse, signKey);
            var limits = thresholds.Parse(parse);
            var job = new QaJob(new QaJobOptions
            {
                ReferencePath = parse.GetValue(reference)!.FullName,
                CandidatePath = parse.GetValue(candidate)!.FullName,
                ReportFolder = parse.GetValue(report)!.FullName,
                Images = data.Load(parse, output),
                ImagesName = parse.GetValue(data.Labels)!.Name,
                Thresholds = limits,
                BatchSize = parse.GetValue(batch),
                LatencyRuns = parse.GetValue(latencyRuns),
                Bootstrap = parse.GetValue(bootstrap),
                CacheFolder = parse.GetValue(cache)?.FullName,
                RunFolder = parse.GetValue(run)?.FullName,
                SignKey = key,
            }, new JobEventPrinter("qa", output, error));
            var result = job.Run();
            QaSummary.Print(result.Report, output);
            output.WriteLine($"report {result.HtmlPath}");
            output.WriteLine($"       {result.JsonPath}");
            output.WriteLine($"recorded in {result.ManifestPath}, {SignKeyOption.Describe(result.Written)}");
            return result.Report.Verdict switch
            {
                QaVerdict.Passed => 0,
                QaVerdict.Inconclusive => GateInconclusive,
                _ => GateFailed,
            };
        }));
        return command;
    }
}
