namespace MLRFNet.Core.Metrics;

/// <summary>DeLong's test of AUC(candidate) - AUC(reference) for one class (see <see cref="DeLongTest"/>).</summary>
public sealed record DeLongResult
{
    public required int Positives { get; init; }
    public required int Negatives { get; init; }
    public required double ReferenceAuc { get; init; }
    public required double CandidateAuc { get; init; }

    /// <summary>CandidateAuc - ReferenceAuc: negative when the candidate ranks worse.</summary>
    public required double Difference { get; init; }

    /// <summary>DeLong's estimate of Var(Difference).</summary>
    public required double Variance { get; init; }

    public required double StandardError { get; init; }

    /// <summary>Difference / StandardError; 0 when both are zero; null when the variance is zero but the AUCs
    /// differ (no finite z; <see cref="PValue"/> is then 0).</summary>
    public double? Z { get; init; }

    /// <summary>Two-sided p-value of "equal AUCs" under the normal approximation.</summary>
    public required double PValue { get; init; }

    public required double ConfidenceLevel { get; init; }

    /// <summary>Difference - z(1 - alpha/2) StandardError (Wald interval).</summary>
    public required double DifferenceLower { get; init; }

    /// <summary>Difference + z(1 - alpha/2) StandardError.</summary>
    public required double DifferenceUpper { get; init; }
}
