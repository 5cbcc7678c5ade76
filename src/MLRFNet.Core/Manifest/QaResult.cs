using System.Text.Json.Serialization;

namespace MLRFNet.Core.Manifest;

/// <summary>What the accuracy gate decided about a candidate.</summary>
public enum QaVerdict
{
    /// <summary>Shown non-inferior: every judged rule holds with enough evidence.</summary>
    Passed,

    /// <summary>A rule was broken on the evidence there is.</summary>
    Failed,

    /// <summary>Nothing broke, but the evaluation set is too small (or has too few positives) to show non-inferiority.</summary>
    Inconclusive,
}

/// <summary>
/// The outcome of the quantization accuracy gate (<c>mlrfnet qa</c>), recorded in the candidate's manifest and
/// covered by its signature. Data sets are recorded by name and fingerprint, never by a folder path.
/// </summary>
public sealed record QaResult
{
    /// <summary>True only for <see cref="QaVerdict.Passed"/> (kept for readers of schema-1 manifests).</summary>
    public required bool Passed { get; init; }

    /// <summary>The gate's decision; null in manifests written before verdicts (read as Passed/Failed from <see cref="Passed"/>).</summary>
    public QaVerdict? Verdict { get; init; }

    public required string ReferenceSha256 { get; init; }

    /// <summary>SHA-256 of the candidate file the gate scored.</summary>
    public string? CandidateSha256 { get; init; }

    /// <summary>The evaluation set's name and size, e.g. "validation.csv, 84 images".</summary>
    public required string EvaluationData { get; init; }

    /// <summary>The evaluation set: name, image count and fingerprint (image SHA-256s and labels).</summary>
    public DataSetRecord? EvaluationSet { get; init; }

    public int Images { get; init; }
    public double ReferenceMeanAuc { get; init; }
    public double CandidateMeanAuc { get; init; }
    public double MeanAucDrop { get; init; }

    /// <summary>Upper end of the paired 95% CI of the mean AUC drop over judged classes: the non-inferiority figure.</summary>
    public double? MeanAucDropUpper { get; init; }

    public double WorstClassAucDrop { get; init; }
    public string? WorstClass { get; init; }
    public double MaxMeanAucDrop { get; init; }
    public double MaxClassAucDrop { get; init; }

    /// <summary>Swapped positive/negative pairs a class could always lose (the gate's AUC-resolution floor; 0 = none).</summary>
    public int ClassResolutionPairs { get; init; }

    /// <summary>Positives a class needs to be judged.</summary>
    public int MinPositives { get; init; }

    /// <summary>Classes judged (at least <see cref="MinPositives"/> positives and one negative), and those that were not.</summary>
    public string[]? JudgedClasses { get; init; }

    public string[]? NotJudgedClasses { get; init; }

    /// <summary>Share of studies whose set of flagged findings differs between the models at the deployed thresholds.</summary>
    public double? FlagChangeShare { get; init; }

    /// <summary>Upper end of the Wilson 95% CI of <see cref="FlagChangeShare"/>.</summary>
    public double? FlagChangeShareUpper { get; init; }

    public double? MaxFlagChangeShare { get; init; }

    /// <summary>Why the verdict is failed or inconclusive, one line per reason.</summary>
    public string[]? Reasons { get; init; }

    /// <summary>Cautions that do not change the verdict (e.g. thresholds chosen on the judged images).</summary>
    public string[]? Warnings { get; init; }

    public double MaxAbsProbabilityDifference { get; init; }
    public double DecisionAgreement { get; init; }

    /// <summary>Paired bootstrap 95% CI of the mean AUC difference (candidate - reference); null without a bootstrap.</summary>
    public double? MeanAucDifferenceLower { get; init; }

    public double? MeanAucDifferenceUpper { get; init; }

    /// <summary>Median batch-1 latency of each model on the machine that ran the gate, in milliseconds.</summary>
    public double? ReferenceLatencyMs { get; init; }

    public double? CandidateLatencyMs { get; init; }

    public DateTimeOffset CheckedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The verdict, also for manifests written before verdicts existed.</summary>
    [JsonIgnore]
    public QaVerdict EffectiveVerdict => Verdict ?? (Passed ? QaVerdict.Passed : QaVerdict.Failed);
}
