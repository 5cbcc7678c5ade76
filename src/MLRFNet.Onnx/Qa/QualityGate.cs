using MLRFNet.Core.Manifest;
using MLRFNet.Core.Metrics;
using MLRFNet.Onnx.Quantization.Proto;

namespace MLRFNet.Onnx.Qa;

/// <summary>The gate's report plus the scores behind it (for the ROC curves of the HTML report).</summary>
public sealed record QualityGateOutcome(QualityGateReport Report, MultilabelScores ReferenceScores, MultilabelScores CandidateScores);

/// <summary>
/// Decides whether a quantized (or float16) model may replace the FP32 one: scores both on the same labelled
/// images with ONNX Runtime's CPU provider, compares per-class and mean AUC with paired 95% CIs
/// (<see cref="PairedMultilabelComparison"/>), the largest probability change, decision agreement at the manifest
/// thresholds and batch-1 latency, and applies <see cref="GateThresholds"/>.
/// </summary>
public static class QualityGate
{
    public static QualityGateOutcome Run(string referencePath, string candidatePath, EvaluationSet evaluation, QualityGateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        options = (options ?? new QualityGateOptions()).Validate();
        var referenceManifest = TryLoadManifest(referencePath);
        var candidateManifest = TryLoadManifest(candidatePath);
        foreach (var manifest in new[] { referenceManifest, candidateManifest })
            if (manifest is not null && !manifest.Labels.SequenceEqual(evaluation.LabelSet.Labels))
                throw new InvalidDataException(
                    $"The manifest of model '{manifest.ModelName}' lists labels [{string.Join(", ", manifest.Labels)}] but the evaluation set has [{string.Join(", ", evaluation.LabelSet.Labels)}]; evaluate with the model's own label set.");

        var precision = options.Precision ?? candidateManifest?.Precision ?? ModelPrecisionDetector.Detect(OnnxModelFile.Load(candidatePath));
        var thresholds = (options.Thresholds ?? GateThresholds.For(precision)).Validate();
        var classes = evaluation.LabelSet.Count;
        var decision = options.DecisionThresholds ?? candidateManifest?.Thresholds ?? referenceManifest?.Thresholds ?? Enumerable.Repeat(0.5f, classes).ToArray();
        if (decision.Length != classes)
            throw new ArgumentException($"{decision.Length} decision thresholds for {classes} classes.", nameof(options));

        var (referenceScores, referenceLatency, outputName) = Score(referencePath, evaluation, options);
        var (candidateScores, candidateLatency, _) = Score(candidatePath, evaluation, options);
        var labels = evaluation.Labels();
        var reference = new MultilabelScores(referenceScores, labels, evaluation.LabelSet);
        var candidate = reference.WithScores(candidateScores);
        var comparison = PairedMultilabelComparison.Compare(reference, candidate, options.Evaluation);
        if (comparison.DefinedClasses == 0)
            throw new InvalidDataException("No class has both positive and negative images in the evaluation set; the gate cannot compare AUCs. Use a larger or more varied evaluation set.");

        var results = new List<ClassGateResult>();
        var failures = new List<string>();
        for (var c = 0; c < classes; c++)
        {
            var cmp = comparison.Classes[c];
            var drop = -(cmp.Difference ?? 0);
            var allowed = thresholds.AllowedClassDrop(cmp.Positives, cmp.Negatives);
            // A hair of float rounding on top of a whole number of swapped pairs must not fail the floor.
            var classPassed = cmp.Difference is null || drop <= allowed + 1e-12;
            if (!classPassed)
                failures.Add($"Class '{cmp.Label}': AUC drop {drop:F4} exceeds the allowed {allowed:F4} ({cmp.ReferenceAuc:F4} -> {cmp.CandidateAuc:F4}).");
            var (agreement, maxDifference) = Agreement(reference.ScoresOf(c), candidate.ScoresOf(c), decision[c]);
            results.Add(new ClassGateResult
            {
                Label = cmp.Label,
                Positives = cmp.Positives,
                Negatives = cmp.Negatives,
                ReferenceAuc = cmp.ReferenceAuc,
                CandidateAuc = cmp.CandidateAuc,
                AucDifference = cmp.Difference,
                AucDifferenceLower = cmp.DifferenceInterval?.Lower,
                AucDifferenceUpper = cmp.DifferenceInterval?.Upper,
                DeLongPValue = cmp.DeLong?.PValue,
                DecisionThreshold = decision[c],
                AllowedDrop = allowed,
                DecisionAgreement = agreement,
                MaxAbsProbabilityDifference = maxDifference,
                Passed = classPassed,
            });
        }
        var meanDrop = -comparison.MeanDifference!.Value;
        if (meanDrop > thresholds.MaxMeanAucDrop)
            failures.Insert(0, $"Mean AUC drop {meanDrop:F4} exceeds the allowed {thresholds.MaxMeanAucDrop:F4} ({comparison.ReferenceMeanAuc:F4} -> {comparison.CandidateMeanAuc:F4}).");
        var worst = results.Where(r => r.AucDifference is not null).MinBy(r => r.AucDifference!.Value)!;

        var report = new QualityGateReport
        {
            Passed = failures.Count == 0,
            Failures = failures,
            ReferencePath = Path.GetFullPath(referencePath),
            ReferenceSha256 = ModelManifest.Sha256OfFile(referencePath),
            CandidatePath = Path.GetFullPath(candidatePath),
            CandidateSha256 = ModelManifest.Sha256OfFile(candidatePath),
            CandidatePrecision = precision,
            EvaluationData = evaluation.Description,
            LabelSetName = evaluation.LabelSet.Name,
            Images = evaluation.Samples.Count,
            OutputName = outputName,
            Thresholds = thresholds,
            Classes = results,
            DefinedClasses = comparison.DefinedClasses,
            ReferenceMeanAuc = comparison.ReferenceMeanAuc!.Value,
            CandidateMeanAuc = comparison.CandidateMeanAuc!.Value,
            MeanAucDifference = comparison.MeanDifference!.Value,
            MeanAucDifferenceLower = comparison.MeanDifferenceInterval?.Lower,
            MeanAucDifferenceUpper = comparison.MeanDifferenceInterval?.Upper,
            WorstClassAucDrop = -worst.AucDifference!.Value,
            WorstClass = worst.Label,
            MaxAbsProbabilityDifference = results.Max(r => r.MaxAbsProbabilityDifference),
            DecisionAgreement = results.Average(r => r.DecisionAgreement),
            ReferenceLatencyMs = referenceLatency,
            CandidateLatencyMs = candidateLatency,
            LatencyRuns = options.LatencyRuns,
        };
        return new QualityGateOutcome(report, reference, candidate);
    }

    /// <summary>
    /// Writes the report into the candidate's manifest (<c>&lt;candidate&gt;.manifest.json</c>), so the edge service can
    /// refuse a model that never passed. The manifest must exist and describe this very file (same SHA-256).
    /// </summary>
    public static ModelManifest RecordInManifest(QualityGateReport report, string candidatePath)
    {
        ArgumentNullException.ThrowIfNull(report);
        var path = ModelManifest.ManifestPathFor(candidatePath);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"The candidate has no manifest at '{path}'; write it when quantizing (mlrfnet quantize does) before running the gate.", path);
        var manifest = ModelManifest.Load(path);
        if (!string.Equals(manifest.OnnxSha256, report.CandidateSha256, StringComparison.Ordinal))
            throw new InvalidDataException(
                $"'{path}' describes a file with SHA-256 {manifest.OnnxSha256}, but the gate checked {report.CandidateSha256}; the manifest belongs to another version of the model.");
        var updated = manifest with { Qa = report.ToQaResult() };
        updated.Save(path);
        return updated;
    }

    private static ModelManifest? TryLoadManifest(string onnxPath)
    {
        if (!File.Exists(onnxPath)) throw new FileNotFoundException($"ONNX model '{onnxPath}' does not exist.", onnxPath);
        var path = ModelManifest.ManifestPathFor(onnxPath);
        return File.Exists(path) ? ModelManifest.Load(path) : null;
    }

    private static (float[] Scores, double MedianLatencyMs, string OutputName) Score(string path, EvaluationSet evaluation, QualityGateOptions options)
    {
        using var runner = OrtModelRunner.Create(path);
        var input = options.InputName ?? (runner.InputNames.Count == 1 ? runner.InputNames[0]
            : throw new ArgumentException($"'{path}' has inputs {string.Join(", ", runner.InputNames)}; set InputName.", nameof(options)));
        var output = options.OutputName
            ?? (runner.OutputNames.Contains("probabilities") ? "probabilities"
                : runner.OutputNames.Count == 1 ? runner.OutputNames[0]
                : throw new ArgumentException($"'{path}' has outputs {string.Join(", ", runner.OutputNames)} and none is 'probabilities'; set OutputName.", nameof(options)));
        if (!runner.OutputNames.Contains(output))
            throw new ArgumentException($"'{path}' has no output '{output}'; its outputs are {string.Join(", ", runner.OutputNames)}.", nameof(options));

        var classes = evaluation.LabelSet.Count;
        var scores = new float[evaluation.Samples.Count * classes];
        var sampleSize = evaluation.Samples[0].Input.Length;
        for (var start = 0; start < evaluation.Samples.Count; start += options.BatchSize)
        {
            var n = Math.Min(options.BatchSize, evaluation.Samples.Count - start);
            var data = new float[n * sampleSize];
            for (var i = 0; i < n; i++) evaluation.Samples[start + i].Input.CopyTo(data, i * sampleSize);
            var result = runner.Run([new NamedTensor(input, data, [n, .. evaluation.SampleShape])], [output])[0];
            if (result.Data.Length != n * classes)
                throw new InvalidDataException($"Output '{output}' of '{path}' has {result.Data.Length / n} values per image; the label set has {classes} classes.");
            result.Data.CopyTo(scores, start * classes);
        }

        var one = new NamedTensor(input, evaluation.Samples[0].Input, [1, .. evaluation.SampleShape]);
        var times = runner.MeasureMilliseconds([one], options.LatencyWarmupRuns, options.LatencyRuns);
        Array.Sort(times);
        var median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
        return (scores, median, output);
    }

    private static (double Agreement, double MaxDifference) Agreement(float[] reference, float[] candidate, float threshold)
    {
        var agree = 0;
        var max = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            if (reference[i] >= threshold == candidate[i] >= threshold) agree++;
            max = Math.Max(max, Math.Abs((double)reference[i] - candidate[i]));
        }
        return ((double)agree / reference.Length, max);
    }
}
