using MLRFNet.Core.Labels;

namespace MLRFNet.Core.Metrics;

/// <summary>
/// Evaluates one model's multilabel scores: per class the ROC AUC (undefined for classes lacking positives or
/// negatives), a bootstrap CI, the Youden threshold and the metrics there (and at given thresholds); overall the
/// mean AUC over defined classes with a jointly resampled CI. This is the entry point for the CLI and QA.
/// </summary>
public static class MultilabelEvaluator
{
    /// <param name="scores">[n, C] row-major scores: image i, class c at <c>[i * C + c]</c>.</param>
    /// <param name="labels">[n, C] row-major 0/1 labels, same layout.</param>
    /// <param name="labelSet">The C classes in column order.</param>
    /// <param name="options">Bootstrap and thresholds; null for the defaults (1000 resamples, fixed seed).</param>
    public static MultilabelEvaluation Evaluate(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels,
        LabelSet labelSet, EvaluationOptions? options = null) =>
        Evaluate(new MultilabelScores(scores, labels, labelSet), options);

    public static MultilabelEvaluation Evaluate(MultilabelScores data, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options = (options ?? new EvaluationOptions()).Validate(data.Classes);
        var classes = data.Classes;
        var ranked = new RankedScores?[classes];
        var defined = new bool[classes];
        var results = new ClassEvaluation[classes];
        for (var c = 0; c < classes; c++)
        {
            var scores = data.ScoresOf(c);
            var labels = data.LabelsOf(c);
            var r = RankedScores.Create(scores, labels);
            defined[c] = r.Positives > 0 && r.Negatives > 0;
            ranked[c] = defined[c] ? r : null;
            var youden = YoudenThreshold.Select(RocCurve.From(r, dropIntermediate: true));
            results[c] = new ClassEvaluation
            {
                Label = data.LabelSet[c],
                Positives = r.Positives,
                Negatives = r.Negatives,
                Auc = r.Auc(),
                Youden = youden,
                AtYouden = youden is null ? null : ThresholdMetrics.At(scores, labels, youden.Threshold),
                AtGivenThreshold = options.Thresholds is { } t ? ThresholdMetrics.At(scores, labels, t[c]) : null,
            };
        }

        var definedAucs = results.Where(r => r.Auc.HasValue).Select(r => r.Auc!.Value).ToArray();
        var evaluation = new MultilabelEvaluation
        {
            LabelSetName = data.LabelSet.Name,
            Images = data.Images,
            Classes = results,
            MeanAuc = definedAucs.Length > 0 ? definedAucs.Average() : null,
            DefinedClasses = definedAucs.Length,
        };
        if (options.Bootstrap is not { } bootstrapOptions) return evaluation;

        var bootstrap = JointBootstrap.Run([ranked], data.Images, bootstrapOptions);
        return evaluation with
        {
            Classes = results.Select((r, c) => r with { AucInterval = bootstrap.ClassAuc(c) }).ToArray(),
            MeanAucInterval = bootstrap.MeanAuc(defined),
        };
    }
}
