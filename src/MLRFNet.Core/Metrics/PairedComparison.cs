namespace MLRFNet.Core.Metrics;

/// <summary>One class's reference-vs-candidate comparison in a <see cref="PairedComparison"/>.</summary>
public sealed record ClassComparison
{
    public required string Label { get; init; }
    public required int Positives { get; init; }
    public required int Negatives { get; init; }

    /// <summary>Reference model's AUC; null when the class has no positives or no negatives.</summary>
    public double? ReferenceAuc { get; init; }

    public double? CandidateAuc { get; init; }

    /// <summary>CandidateAuc - ReferenceAuc (negative: the candidate ranks worse); null when undefined.</summary>
    public double? Difference { get; init; }

    /// <summary>DeLong's test of the difference; null with fewer than 2 positives or 2 negatives.</summary>
    public DeLongResult? DeLong { get; init; }

    /// <summary>Paired bootstrap CI of <see cref="Difference"/>; null when no bootstrap was asked for.</summary>
    public BootstrapInterval? DifferenceInterval { get; init; }
}

/// <summary>
/// Two models' scores on the same images compared class by class and on the mean AUC, for quantization QA.
/// Differences are always candidate minus reference.
/// </summary>
public sealed record PairedComparison
{
    public required string LabelSetName { get; init; }
    public required int Images { get; init; }
    public required IReadOnlyList<ClassComparison> Classes { get; init; }

    /// <summary>Classes with both positives and negatives; the means average these only.</summary>
    public required int DefinedClasses { get; init; }

    public double? ReferenceMeanAuc { get; init; }
    public double? CandidateMeanAuc { get; init; }

    /// <summary>CandidateMeanAuc - ReferenceMeanAuc.</summary>
    public double? MeanDifference { get; init; }

    /// <summary>Paired bootstrap CI of <see cref="MeanDifference"/> (images resampled jointly across classes and
    /// models; resamples losing any defined class are skipped); null when no bootstrap was asked for.</summary>
    public BootstrapInterval? MeanDifferenceInterval { get; init; }
}
