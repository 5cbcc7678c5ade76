namespace MLRFNet.Core.Metrics;

/// <summary>
/// Checks the inputs of every metric up front, so bad data fails with a message naming the sample and the fix
/// rather than as a silently wrong AUC. Labels are 0 (negative) or 1 (positive); scores are finite (like
/// scikit-learn, which rejects NaN and infinity).
/// </summary>
internal static class MetricInput
{
    /// <summary>Validates one class's scores and labels and returns its positive and negative counts.</summary>
    public static (int Positives, int Negatives) Validate(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels,
        string scoresName = "scores")
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException(
                $"{scores.Length} {scoresName} but {labels.Length} labels: give one score per labelled sample.", scoresName);
        if (scores.Length == 0)
            throw new ArgumentException("No samples: a metric needs at least one scored, labelled sample.", scoresName);
        var positives = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var y = labels[i];
            if (y is not (0 or 1))
                throw new ArgumentException(
                    $"Label {i} is {y}; labels must be 0 (negative) or 1 (positive). Map uncertain labels first (UncertaintyPolicy).",
                    nameof(labels));
            positives += y;
        }
        CheckFinite(scores, scoresName);
        return (positives, labels.Length - positives);
    }

    public static void CheckFinite(ReadOnlySpan<float> scores, string scoresName)
    {
        for (var i = 0; i < scores.Length; i++)
            if (!float.IsFinite(scores[i]))
                throw new ArgumentException(
                    $"{scoresName}[{i}] is {scores[i]}; scores must be finite (check the model output for NaN/overflow).",
                    scoresName);
    }

    /// <summary>Validates a paired comparison: two score sets for the same samples.</summary>
    public static (int Positives, int Negatives) ValidatePaired(ReadOnlySpan<float> reference,
        ReadOnlySpan<float> candidate, ReadOnlySpan<int> labels)
    {
        if (reference.Length != candidate.Length)
            throw new ArgumentException(
                $"{reference.Length} reference scores but {candidate.Length} candidate scores: a paired comparison needs both models' scores on the same samples.",
                nameof(candidate));
        Validate(candidate, labels, "candidate");
        return Validate(reference, labels, "reference");
    }
}
