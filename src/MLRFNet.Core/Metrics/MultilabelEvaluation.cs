namespace MLRFNet.Core.Metrics;

/// <summary>One class's results in a <see cref="MultilabelEvaluation"/>.</summary>
public sealed record ClassEvaluation
{
    public required string Label { get; init; }
    public required int Positives { get; init; }
    public required int Negatives { get; init; }

    /// <summary>ROC AUC; null (undefined) when the class has no positives or no negatives.</summary>
    public double? Auc { get; init; }

    /// <summary>Bootstrap CI of <see cref="Auc"/>; null when no bootstrap was asked for.</summary>
    public BootstrapInterval? AucInterval { get; init; }

    /// <summary>Threshold maximising Youden's J; null when the AUC is undefined.</summary>
    public YoudenThreshold? Youden { get; init; }

    /// <summary>Counts and metrics at the Youden threshold; null when the AUC is undefined.</summary>
    public ThresholdMetrics? AtYouden { get; init; }

    /// <summary>Counts and metrics at the threshold given in <see cref="EvaluationOptions.Thresholds"/>, if any.</summary>
    public ThresholdMetrics? AtGivenThreshold { get; init; }

    public bool IsDefined => Auc.HasValue;
}

/// <summary>Per-class and mean ROC AUC of one model on a multilabel evaluation set.</summary>
public sealed record MultilabelEvaluation
{
    public required string LabelSetName { get; init; }
    public required int Images { get; init; }
    public required IReadOnlyList<ClassEvaluation> Classes { get; init; }

    /// <summary>Mean AUC over the defined classes only; null when no class is defined.</summary>
    public double? MeanAuc { get; init; }

    /// <summary>How many classes the mean averages (classes with both positives and negatives).</summary>
    public required int DefinedClasses { get; init; }

    /// <summary>Bootstrap CI of <see cref="MeanAuc"/> (images resampled jointly across classes; a resample losing
    /// any defined class is skipped); null when no bootstrap was asked for.</summary>
    public BootstrapInterval? MeanAucInterval { get; init; }
}
