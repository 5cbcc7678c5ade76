using MLRFNet.Core.Labels;

namespace MLRFNet.Core.Metrics;

/// <summary>
/// Scores and 0/1 labels of n images for the C classes of a <see cref="LabelSet"/>, as two row-major [n, C]
/// arrays: the value of image i, class c is at <c>[i * C + c]</c>, classes in label-set order (the model's output
/// order). Validated on construction; the arrays are copied, so later changes by the caller do not leak in.
/// </summary>
public sealed class MultilabelScores
{
    private readonly float[] scores;
    private readonly int[] labels;

    /// <param name="scores">[n, C] row-major scores (probabilities or logits), finite.</param>
    /// <param name="labels">[n, C] row-major labels, 1 positive and 0 negative (map uncertain labels first).</param>
    /// <param name="labelSet">The C classes, in column order.</param>
    public MultilabelScores(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, LabelSet labelSet)
    {
        ArgumentNullException.ThrowIfNull(labelSet);
        var classes = labelSet.Count;
        if (labels.Length == 0 || labels.Length % classes != 0)
            throw new ArgumentException(
                $"{labels.Length} labels is not a whole number of images times {classes} classes of '{labelSet.Name}'; lay labels out as [image * {classes} + class].",
                nameof(labels));
        if (scores.Length != labels.Length)
            throw new ArgumentException(
                $"{scores.Length} scores but {labels.Length} labels: give one score per label, laid out [image * {classes} + class].",
                nameof(scores));
        for (var k = 0; k < labels.Length; k++)
            if (labels[k] is not (0 or 1))
                throw new ArgumentException(
                    $"Label of image {k / classes}, class '{labelSet[k % classes]}' is {labels[k]}; labels must be 0 or 1 (map uncertain labels with an UncertaintyPolicy first).",
                    nameof(labels));
        for (var k = 0; k < scores.Length; k++)
            if (!float.IsFinite(scores[k]))
                throw new ArgumentException(
                    $"Score of image {k / classes}, class '{labelSet[k % classes]}' is {scores[k]}; scores must be finite.",
                    nameof(scores));
        this.scores = scores.ToArray();
        this.labels = labels.ToArray();
        LabelSet = labelSet;
    }

    public LabelSet LabelSet { get; }

    /// <summary>Number of images n.</summary>
    public int Images => labels.Length / Classes;

    /// <summary>Number of classes C.</summary>
    public int Classes => LabelSet.Count;

    /// <summary>The [n, C] scores, row-major.</summary>
    public ReadOnlySpan<float> Scores => scores;

    /// <summary>The [n, C] labels, row-major.</summary>
    public ReadOnlySpan<int> Labels => labels;

    /// <summary>Class <paramref name="c"/>'s scores, one per image.</summary>
    public float[] ScoresOf(int c) => Column(scores, c);

    /// <summary>Class <paramref name="c"/>'s labels, one per image.</summary>
    public int[] LabelsOf(int c) => Column(labels, c);

    /// <summary>The same images and labels with another model's [n, C] scores (for a paired comparison).</summary>
    public MultilabelScores WithScores(ReadOnlySpan<float> otherScores) => new(otherScores, labels, LabelSet);

    private T[] Column<T>(T[] values, int c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(c, Classes);
        var column = new T[Images];
        for (var i = 0; i < column.Length; i++) column[i] = values[i * Classes + c];
        return column;
    }
}
