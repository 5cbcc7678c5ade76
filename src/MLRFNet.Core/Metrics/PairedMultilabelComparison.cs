using MLRFNet.Core.Labels;

namespace MLRFNet.Core.Metrics;

/// <summary>
/// Compares a candidate model (e.g. the INT8 export) with a reference (FP32) on the same images: per class the AUC
/// difference with DeLong's test and a paired bootstrap CI, and the mean AUC difference with a paired bootstrap CI.
/// </summary>
public static class PairedMultilabelComparison
{
    /// <param name="reference">[n, C] row-major reference scores: image i, class c at <c>[i * C + c]</c>.</param>
    /// <param name="candidate">[n, C] candidate scores on the same images, same layout.</param>
    /// <param name="labels">[n, C] row-major 0/1 labels.</param>
    /// <param name="labelSet">The C classes in column order.</param>
    /// <param name="options">Bootstrap settings and DeLong CI level; <see cref="EvaluationOptions.Thresholds"/> is
    /// not used here.</param>
    public static PairedComparison Compare(ReadOnlySpan<float> reference, ReadOnlySpan<float> candidate,
        ReadOnlySpan<int> labels, LabelSet labelSet, EvaluationOptions? options = null)
    {
        var referenceData = new MultilabelScores(reference, labels, labelSet);
        if (candidate.Length != reference.Length)
            throw new ArgumentException(
                $"{candidate.Length} candidate scores but {reference.Length} reference scores: score the same images with both models.",
                nameof(candidate));
        return Compare(referenceData, referenceData.WithScores(candidate), options);
    }

    /// <param name="meanOver">Classes the mean AUC and its CI are taken over (a class must also be defined); null: every defined class.</param>
    public static PairedComparison Compare(MultilabelScores reference, MultilabelScores candidate,
        EvaluationOptions? options = null, IReadOnlyList<bool>? meanOver = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        if (!reference.LabelSet.Equals(candidate.LabelSet) || reference.Images != candidate.Images
            || !reference.Labels.SequenceEqual(candidate.Labels))
            throw new ArgumentException(
                "The candidate was not scored on the same images, labels and label set as the reference; a paired comparison needs both.",
                nameof(candidate));
        options = (options ?? new EvaluationOptions()).Validate(reference.Classes);
        var classes = reference.Classes;
        var rankedReference = new RankedScores?[classes];
        var rankedCandidate = new RankedScores?[classes];
        var defined = new bool[classes];
        var results = new ClassComparison[classes];
        for (var c = 0; c < classes; c++)
        {
            var labels = reference.LabelsOf(c);
            var referenceScores = reference.ScoresOf(c);
            var candidateScores = candidate.ScoresOf(c);
            var r = RankedScores.Create(referenceScores, labels);
            defined[c] = r.Positives > 0 && r.Negatives > 0;
            rankedReference[c] = defined[c] ? r : null;
            rankedCandidate[c] = defined[c] ? RankedScores.Create(candidateScores, labels) : null;
            var referenceAuc = r.Auc();
            var candidateAuc = rankedCandidate[c]?.Auc();
            results[c] = new ClassComparison
            {
                Label = reference.LabelSet[c],
                Positives = r.Positives,
                Negatives = r.Negatives,
                ReferenceAuc = referenceAuc,
                CandidateAuc = candidateAuc,
                Difference = candidateAuc - referenceAuc,
                DeLong = DeLongTest.Compare(referenceScores, candidateScores, labels, options.DeLongConfidenceLevel),
            };
        }

        if (meanOver is not null && meanOver.Count != classes)
            throw new ArgumentException($"meanOver has {meanOver.Count} entries for {classes} classes.", nameof(meanOver));
        for (var c = 0; c < classes; c++) defined[c] &= meanOver?[c] ?? true;
        var used = results.Where((r, c) => defined[c]).ToArray();
        var comparison = new PairedComparison
        {
            LabelSetName = reference.LabelSet.Name,
            Images = reference.Images,
            Classes = results,
            DefinedClasses = results.Count(r => r.Difference.HasValue),
            ReferenceMeanAuc = used.Length > 0 ? used.Average(r => r.ReferenceAuc!.Value) : null,
            CandidateMeanAuc = used.Length > 0 ? used.Average(r => r.CandidateAuc!.Value) : null,
            MeanDifference = used.Length > 0 ? used.Average(r => r.Difference!.Value) : null,
        };
        if (options.Bootstrap is not { } bootstrapOptions) return comparison;

        var bootstrap = JointBootstrap.Run([rankedReference, rankedCandidate], reference.Images, bootstrapOptions);
        return comparison with
        {
            Classes = results.Select((r, c) => r with { DifferenceInterval = bootstrap.ClassDifference(c) }).ToArray(),
            MeanDifferenceInterval = bootstrap.MeanDifference(defined),
        };
    }
}
