using MLRFNet.Core.Manifest;

namespace MLRFNet.Onnx.Qa;

/// <summary>One class's numbers in a <see cref="QualityGateReport"/>; differences are candidate - reference.</summary>
public sealed record ClassGateResult
{
    public required string Label { get; init; }
    public required int Positives { get; init; }
    public required int Negatives { get; init; }

    /// <summary>False when the class has fewer than <see cref="GateThresholds.MinPositives"/> positives: reported, not judged.</summary>
    public bool Judged { get; init; } = true;

    public double? ReferenceAuc { get; init; }
    public double? CandidateAuc { get; init; }
    public double? AucDifference { get; init; }
    public double? AucDifferenceLower { get; init; }
    public double? AucDifferenceUpper { get; init; }
    public double? DeLongPValue { get; init; }
    public required float DecisionThreshold { get; init; }

    /// <summary>The drop this class was allowed (<see cref="GateThresholds.AllowedClassDrop"/>).</summary>
    public double AllowedDrop { get; init; }

    /// <summary>Fraction of images on which both models take the same decision at <see cref="DecisionThreshold"/>.</summary>
    public required double DecisionAgreement { get; init; }

    public required double MaxAbsProbabilityDifference { get; init; }

    /// <summary>False when this judged class dropped more than allowed.</summary>
    public required bool Passed { get; init; }
}

/// <summary>Everything the gate measured, in the HTML report, the JSON file and (condensed) the manifest.</summary>
public sealed record QualityGateReport
{
    public required QaVerdict Verdict { get; init; }

    /// <summary>True only for <see cref="QaVerdict.Passed"/>.</summary>
    public required bool Passed { get; init; }

    /// <summary>Why the gate failed or could not judge, one line per reason; empty when it passed.</summary>
    public required IReadOnlyList<string> Failures { get; init; }

    /// <summary>Cautions that do not change the verdict (thresholds chosen on the judged images).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public required string ReferencePath { get; init; }
    public required string ReferenceSha256 { get; init; }
    public required string CandidatePath { get; init; }
    public required string CandidateSha256 { get; init; }
    public required ModelPrecision CandidatePrecision { get; init; }
    public required string EvaluationData { get; init; }

    /// <summary>Name, size and fingerprint of the evaluation set, when the caller knows the image files.</summary>
    public DataSetRecord? EvaluationSet { get; init; }

    public required string LabelSetName { get; init; }
    public required int Images { get; init; }
    public required string OutputName { get; init; }
    public required GateThresholds Thresholds { get; init; }
    public required IReadOnlyList<ClassGateResult> Classes { get; init; }
    public required int DefinedClasses { get; init; }
    public required IReadOnlyList<string> JudgedClasses { get; init; }
    public required IReadOnlyList<string> NotJudgedClasses { get; init; }
    public required double ReferenceMeanAuc { get; init; }
    public required double CandidateMeanAuc { get; init; }

    /// <summary>CandidateMeanAuc - ReferenceMeanAuc, over the judged classes (NaN when none is judged).</summary>
    public required double MeanAucDifference { get; init; }

    public double? MeanAucDifferenceLower { get; init; }
    public double? MeanAucDifferenceUpper { get; init; }

    /// <summary>Upper end of the 95% CI of the mean AUC drop: the non-inferiority figure.</summary>
    public double? MeanAucDropUpper => -MeanAucDifferenceLower;

    /// <summary>Studies whose set of flagged findings differs between the models at the deployed thresholds.</summary>
    public required int FlagChanges { get; init; }

    /// <summary><see cref="FlagChanges"/> over the images, with its Wilson 95% CI.</summary>
    public required double FlagChangeShare { get; init; }

    public required double FlagChangeShareLower { get; init; }
    public required double FlagChangeShareUpper { get; init; }

    /// <summary>Largest drop of a defined class (reference - candidate) and which class.</summary>
    public required double WorstClassAucDrop { get; init; }
    public required string WorstClass { get; init; }

    public required double MaxAbsProbabilityDifference { get; init; }
    public required double DecisionAgreement { get; init; }
    public required double ReferenceLatencyMs { get; init; }
    public required double CandidateLatencyMs { get; init; }
    public required int LatencyRuns { get; init; }
    public DateTimeOffset CheckedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The manifest's condensed form of this report.</summary>
    public QaResult ToQaResult() => new()
    {
        Passed = Passed,
        Verdict = Verdict,
        ReferenceSha256 = ReferenceSha256,
        CandidateSha256 = CandidateSha256,
        EvaluationData = EvaluationData,
        EvaluationSet = EvaluationSet,
        Images = Images,
        ReferenceMeanAuc = double.IsNaN(ReferenceMeanAuc) ? 0 : ReferenceMeanAuc,
        CandidateMeanAuc = double.IsNaN(CandidateMeanAuc) ? 0 : CandidateMeanAuc,
        MeanAucDrop = double.IsNaN(MeanAucDifference) ? 0 : -MeanAucDifference,
        WorstClassAucDrop = WorstClassAucDrop,
        WorstClass = WorstClass,
        MaxMeanAucDrop = Thresholds.MaxMeanAucDrop,
        MaxClassAucDrop = Thresholds.MaxClassAucDrop,
        ClassResolutionPairs = Thresholds.ClassResolutionPairs,
        MinPositives = Thresholds.MinPositives,
        JudgedClasses = [.. JudgedClasses],
        NotJudgedClasses = [.. NotJudgedClasses],
        MeanAucDropUpper = MeanAucDropUpper,
        FlagChangeShare = FlagChangeShare,
        FlagChangeShareUpper = FlagChangeShareUpper,
        MaxFlagChangeShare = Thresholds.MaxFlagChangeShare,
        Reasons = Failures.Count > 0 ? [.. Failures] : null,
        Warnings = Warnings.Count > 0 ? [.. Warnings] : null,
        MaxAbsProbabilityDifference = MaxAbsProbabilityDifference,
        DecisionAgreement = DecisionAgreement,
        MeanAucDifferenceLower = MeanAucDifferenceLower,
        MeanAucDifferenceUpper = MeanAucDifferenceUpper,
        ReferenceLatencyMs = ReferenceLatencyMs,
        CandidateLatencyMs = CandidateLatencyMs,
        CheckedUtc = CheckedUtc,
    };
}
