using System.CommandLine;
using MLRFNet.Cli.Quantizing;
using MLRFNet.Core.Manifest;
using MLRFNet.Core.Metrics;
using MLRFNet.Onnx.Qa;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet qa --reference fp32.onnx --candidate int8.onnx --labels CSV --images DIR --report DIR
/// [--max-mean-drop X] [--max-class-drop Y]</c>: scores both models on the same labelled images (through the
/// candidate's preprocessing), applies the accuracy gate (<see cref="QualityGate"/>), writes report.html and
/// report.json into --report, records the verdict in the candidate's manifest (signed with --sign-key) and prints a
/// summary. Exit code 0 when the gate passes, 1 when it fails, 2 for input errors (the manifest is then left
/// untouched), 3 when it is inconclusive (too few images or positives to judge; recorded like the others).
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
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "Preprocessed-image cache folder (default: the system temp folder)." };
        var signKey = SignKeyOption.Create();
        var command = new Command("qa", "Accuracy gate: compare a quantized model with its FP32 reference on labelled X-rays; exit 0 pass, 1 fail, 3 inconclusive.");
        data.AddTo(command);
        foreach (var o in (Option[])[reference, candidate, report, .. thresholds.All, batch, latencyRuns, bootstrap, cache, signKey]) command.Options.Add(o);

        command.SetAction(parse => CliRun.Guard("qa", error, () =>
        {
            var referencePath = parse.GetValue(reference)!.FullName;
            var candidatePath = parse.GetValue(candidate)!.FullName;
            using var key = SignKeyOption.Load(parse, signKey);
            var candidateFile = ManifestPolicy.IntegrityOnly.Load(candidatePath);
            var (candidateManifest, candidateSha) = (candidateFile.Manifest, candidateFile.Sha256);
            var referenceSha = File.Exists(referencePath) ? ModelManifest.Sha256OfFile(referencePath)
                : throw new FileNotFoundException($"--reference file not found: {referencePath}", referencePath);
            if (candidateManifest.ReferenceModelSha256 is { } madeFrom && !string.Equals(madeFrom, referenceSha, StringComparison.Ordinal))
                throw new InvalidDataException(
                    $"--candidate was made from a model with SHA-256 {madeFrom} (its manifest says), but --reference {referencePath} has {referenceSha}; compare it with the FP32 model it was quantized from.");
            if (File.Exists(ModelManifest.ManifestPathFor(referencePath)))
            {
                var referenceManifest = ManifestPolicy.IntegrityOnly.Load(referencePath).Manifest;
                if (!referenceManifest.Preprocessing.Equals(candidateManifest.Preprocessing))
                    throw new InvalidDataException("--reference and --candidate have different preprocessing in their manifests; they are not two precisions of one model.");
                if (!referenceManifest.Labels.SequenceEqual(candidateManifest.Labels))
                    throw new InvalidDataException("--reference and --candidate predict different labels according to their manifests.");
            }

            var folder = parse.GetValue(report)!.FullName;
            foreach (var file in new[] { "report.html", "report.json" }.Select(f => Path.Combine(folder, f)))
                if (File.Exists(file)) throw new IOException($"{file} already exists; choose another --report folder (nothing is overwritten).");
            var iterations = parse.GetValue(bootstrap);
            if (iterations < 0) throw new ArgumentException($"--bootstrap must be 0 or more (got {iterations}).");
            if (parse.GetValue(batch) < 1) throw new ArgumentException($"--batch-size must be at least 1 (got {parse.GetValue(batch)}).");
            if (parse.GetValue(latencyRuns) < 1) throw new ArgumentException($"--latency-runs must be at least 1 (got {parse.GetValue(latencyRuns)}).");
            var options = new QualityGateOptions
            {
                Precision = candidateManifest.Precision,
                Thresholds = thresholds.Resolve(parse, candidateManifest.Precision),
                BatchSize = parse.GetValue(batch),
                LatencyRuns = parse.GetValue(latencyRuns),
                Evaluation = new EvaluationOptions { Bootstrap = iterations == 0 ? null : new BootstrapOptions { Iterations = iterations } },
            }.Validate();

            var dataset = data.Load(parse, output);
            if (!dataset.Labels.Labels.SequenceEqual(candidateManifest.Labels))
                throw new InvalidDataException(
                    $"--labels has classes [{string.Join(", ", dataset.Labels.Labels)}] but the model predicts [{string.Join(", ", candidateManifest.Labels)}]; judge it on data with its own label set.");
            var spec = candidateManifest.Preprocessing;
            var evaluation = DatasetTensors.LoadEvaluationSet(dataset, spec, DatasetTensors.Cache(spec, parse.GetValue(cache)?.FullName),
                parse.GetValue(data.Labels)!.Name, output);

            var outcome = QualityGate.Run(referencePath, candidatePath, evaluation, options);
            var (html, json) = QaReportWriter.Write(outcome, folder);
            var written = ManifestWriter.Update(candidateFile.ManifestPath, candidateSha, m => m with { Qa = outcome.Report.ToQaResult() }, key);
            QaSummary.Print(outcome.Report, output);
            output.WriteLine($"report {html}");
            output.WriteLine($"       {json}");
            output.WriteLine($"recorded in {candidateFile.ManifestPath}, {SignKeyOption.Describe(written)}");
            return outcome.Report.Verdict switch
            {
                QaVerdict.Passed => 0,
                QaVerdict.Inconclusive => GateInconclusive,
                _ => GateFailed,
            };
        }));
        return command;
    }
}
