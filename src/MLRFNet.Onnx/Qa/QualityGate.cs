using MLRFNet.Core.Manifest;
using MLRFNet.Core.Metrics;
using MLRFNet.Inference;

namespace MLRFNet.Onnx.Qa;

/// <summary>The gate's report plus the scores behind it (for the ROC curves of the HTML report).</summary>
public sealed record QualityGateOutcome(QualityGateReport Report, MultilabelScores ReferenceScores, MultilabelScores CandidateScores);

/// <summary>
/// Decides whether a quantized (or float16) model may replace the FP32 one: scores both on the same labelled
/// images through the box's own path (<see cref="GateScoring"/>: <see cref="OnnxXrayScorer"/> and its model contract,
/// ONNX Runtime's CPU provider), compares per-class and mean AUC with paired 95% CIs
/// (<see cref="PairedMultilabelComparison"/>), the share of studies whose flagged findings change at the manifest
/// thresholds, the largest probability change and batch-1 latency, and decides with <see cref="GateDecision"/>.
/// Recording the verdict in the manifest (and signing it) is <see cref="ManifestWriter"/>'s job.
/// </summary>
public static class QualityGate
{
    /// <summary>Both models loaded with their manifests (SHA-256 checked, <see cref="ManifestPolicy.IntegrityOnly"/>).</summary>
    public static QualityGateOutcome Run(string referencePath, string candidatePath, EvaluationSet evaluation, QualityGateOptions? options = null)
    {
        foreach (var path in new[] { referencePath, candidatePath })
            if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        return Run(ManifestPolicy.IntegrityOnly.Load(referencePath), ManifestPolicy.IntegrityOnly.Load(candidatePath), evaluation, options);
    }

    /// <summary>
    /// Scores <paramref name="referenceModel"/> and <paramref name="candidateModel"/> (already verified; the candidate may exist
    /// only in memory, as during the fallback) with <see cref="OnnxXrayScorer"/>, exactly as the edge service would.
    /// </summary>
    public static QualityGateOutcome Run(VerifiedModelFile referenceModel, VerifiedModelFile candidateModel, EvaluationSet evaluation, QualityGateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(referenceModel);
        ArgumentNullException.ThrowIfNull(candidateModel);
        ArgumentNullException.ThrowIfNull(evaluation);
        options = (options ?? new QualityGateOptions()).Validate();
        var referenceManifest = referenceModel.Manifest;
        var candidateManifest = candidateModel.Manifest;
        foreach (var manifest in new[] { referenceManifest, candidateManifest })
            if (!manifest.Labels.SequenceEqual(evaluation.LabelSet.Labels))
                throw new InvalidDataException(
                    $"The manifest of model '{manifest.ModelName}' lists labels [{string.Join(", ", manifest.Labels)}] but the evaluation set has [{string.Join(", ", evaluation.LabelSet.Labels)}]; evaluate with the model's own label set.");

        var precision = options.Precision ?? candidateManifest.Precision;
        var thresholds = (options.Thresholds ?? GateThresholds.For(precision)).Validate();
        var classes = evaluation.LabelSet.Count;
        var decision = options.DecisionThresholds ?? candidateManifest.Thresholds ?? referenceManifest.Thresholds ?? Enumerable.Repeat(0.5f, classes).ToArray();
        if (decision.Length != classes)
            throw new ArgumentException($"{decision.Length} decision thresholds for {classes} classes.", nameof(options));

        var (referenceScores, referenceLatency) = GateScoring.Score(referenceModel, evaluation, options);
        var (candidateScores, candidateLatency) = GateScoring.Score(candidateModel, evaluation, options);
        var labels = evaluation.Labels();
        var reference = new MultilabelScores(referenceScores, labels, evaluation.LabelSet);
        var candidate = reference.WithScores(candidateScores);
        var positives = Enumerable.Range(0, classes).Select(c => reference.LabelsOf(c).Sum()).ToArray();
        var judged = positives.Select(p => p >= thresholds.MinPositives && p < evaluation.Samples.Count).ToArray();
        var comparison = PairedMultilabelComparison.Compare(reference, candidate, options.Evaluation, judged);
        if (comparison.DefinedClasses == 0)
            throw new InvalidDataException("No class has both positive and negative images in the evaluation set; the gate cannot compare AUCs. Use a larger or more varied evaluation set.");

        var results = new List<ClassGateResult>();
        for (var c = 0; c < classes; c++)
        {
            var cmp = comparison.Classes[c];
            var drop = -(cmp.Difference ?? 0);
            var allowed = thresholds.AllowedClassDrop(cmp.Positives, cmp.Negatives);
            // A hair of float rounding on top of a whole number of swapped pairs must not fail the floor.
            var classPassed = !judged[c] || cmp.Difference is null || drop <= allowed + 1e-12;
            var (agreement, maxDifference) = Agreement(reference.ScoresOf(c), candidate.ScoresOf(c), decision[c]);
            results.Add(new ClassGateResult
            {
                Label = cmp.Label,
                Positives = cmp.Positives,
                Negatives = cmp.Negatives,
                Judged = judged[c],
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
        var flagChanges = FlagChanges(reference, candidate, decision);
        var flagInterval = WilsonInterval.Of(flagChanges, evaluation.Samples.Count);
        var judgedResults = results.Where(r => r.Judged && r.AucDifference is not null).ToArray();
        var worst = (judgedResults.Length > 0 ? judgedResults : results.Where(r => r.AucDifference is not null)).MinBy(r => r.AucDifference!.Value)!;
        var warnings = ThresholdWarnings(evaluation.Record, candidateManifest, referenceManifest, decision);
        var (verdict, reasons) = GateDecision.Decide(thresholds, evaluation.Samples.Count, results, comparison, flagChanges);

        var report = new QualityGateReport
        {
            Verdict = verdict,
            Passed = verdict == QaVerdict.Passed,
            Failures = reasons,
            Warnings = warnings,
            ReferencePath = Path.GetFullPath(referenceModel.ModelPath),
            ReferenceSha256 = referenceModel.Sha256,
            CandidatePath = Path.GetFullPath(candidateModel.ModelPath),
            CandidateSha256 = candidateModel.Sha256,
            CandidatePrecision = precision,
            EvaluationData = evaluation.Description,
            EvaluationSet = evaluation.Record,
            LabelSetName = evaluation.LabelSet.Name,
            Images = evaluation.Samples.Count,
            OutputName = GateScoring.OutputName,
            Thresholds = thresholds,
            Classes = results,
            DefinedClasses = comparison.DefinedClasses,
            JudgedClasses = results.Where(r => r.Judged).Select(r => r.Label).ToArray(),
            NotJudgedClasses = results.Where(r => !r.Judged).Select(r => r.Label).ToArray(),
            ReferenceMeanAuc = comparison.ReferenceMeanAuc ?? double.NaN,
            CandidateMeanAuc = comparison.CandidateMeanAuc ?? double.NaN,
            MeanAucDifference = comparison.MeanDifference ?? double.NaN,
            MeanAucDifferenceLower = comparison.MeanDifferenceInterval?.Lower,
            MeanAucDifferenceUpper = comparison.MeanDifferenceInterval?.Upper,
            FlagChanges = flagChanges,
            FlagChangeShare = (double)flagChanges / evaluation.Samples.Count,
            FlagChangeShareLower = flagInterval.Lower,
            FlagChangeShareUpper = flagInterval.Upper,
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

    /// <summary>Images whose set of flagged classes (score at or above the class threshold) differs between the models.</summary>
    internal static int FlagChanges(MultilabelScores reference, MultilabelScores candidate, float[] thresholds)
    {
        var changed = 0;
        for (var i = 0; i < reference.Images; i++)
        {
            for (var c = 0; c < reference.Classes; c++)
            {
                var k = i * reference.Classes + c;
                if (reference.Scores[k] >= thresholds[c] != candidate.Scores[k] >= thresholds[c])
                {
                    changed++;
                    break;
                }
            }
        }
        return changed;
    }

    /// <summary>A caution when the deployed thresholds were chosen (Youden's J) on the very images the gate judges.</summary>
    private static string[] ThresholdWarnings(DataSetRecord? judgedOn, ModelManifest candidate, ModelManifest reference, float[] decision)
    {
        if (judgedOn is null) return [];
        var chosenOn = candidate.ThresholdsChosenOn
            ?? (reference is { Thresholds: { } t, ThresholdsChosenOn: { } r } && t.AsSpan().SequenceEqual(decision) ? r : null);
        if (chosenOn is null || !string.Equals(chosenOn.Fingerprint, judgedOn.Fingerprint, StringComparison.OrdinalIgnoreCase)) return [];
        return [$"The decision thresholds were chosen on the same images the gate judges ({chosenOn.Name}, fingerprint {chosenOn.Fingerprint[..16]}). " +
                "Youden thresholds sit on these images' own scores (at least one image per class lies exactly on its threshold), so the " +
                "flag-change share and decision agreement here are not representative of new studies. Judge on held-out images where you can."];
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
