using MLRFNet.Core.Manifest;

namespace MLRFNet.Onnx.Qa;

/// <summary>One class's numbers in a <see cref="QualityGateReport"/>; differences are candidate - reference.</summary>
public sealed record ClassGateResult
{
    public required string Label { get; init; }
    public required int Positives { get; init; }
    public required int Negatives { get; init; }
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

    /// <summary>False when this class dropped more than allowed.</summary>
    public required bool Passed { get; init; }
}

/// <summary>Everything the gate measured, in the HTML report, the JSON file and (condensed) the manifest.</summary>
public sealed record QualityGateReport
{
    public required bool Passed { get; init; }

    /// <summary>Why the gate failed, one line per violated rule; empty when it passed.</summary>
    public required IReadOnlyList<string> Failures { get; init; }

    public required string ReferencePath { get; init; }
    public required string ReferenceSha256 { get; init; }
    public required string CandidatePath { get; init; }
    public required string CandidateSha256 { get; init; }
    public required ModelPrecision CandidatePrecision { get; init; }
    public required string EvaluationData { get; init; }
    public required string LabelSetName { get; init; }
    public required int Images { get; init; }
    public required string OutputName { get; init; }
    public required GateThresholds Thresholds { get; init; }
    public required IReadOnlyList<ClassGateResult> Classes { get; init; }
    public required int DefinedClasses { get; init; }
    public required double ReferenceMeanAuc { get; init; }
    public required double CandidateMeanAuc { get; init; }

    /// <summary>CandidateMeanAuc - ReferenceMeanAuc.</summary>
    public required double MeanAucDifference { get; init; }

    public double? MeanAucDifferenceLower { get; init; }
    public double? MeanAucDifferenceUpper { get; init; }

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
        ReferenceSha256 = ReferenceSha256,
        EvaluationData = EvaluationData,
        Images = Images,
        ReferenceMeanAuc = ReferenceMeanAuc,
        CandidateMeanAuc = CandidateMeanAuc,
        MeanAucDrop = -MeanAucDifference,
        WorstClassAucDrop = WorstClassAucDrop,
        WorstClass = WorstClass,
        MaxMeanAucDrop = Thresholds.MaxMeanAucDrop,
        MaxClassAucDrop = Thresholds.MaxClassAucDrop,
        ClassResolutionPairs = Thresholds.ClassResolutionPairs,
        MaxAbsProbabilityDifference = MaxAbsProbabilityDifference,
        DecisionAgreement = DecisionAgreement,
        MeanAucDifferenceLower = MeanAucDifferenceLower,
        MeanAucDifferenceUpper = MeanAucDifferenceUpper,
        ReferenceLatencyMs = ReferenceLatencyMs,
        CandidateLatencyMs = CandidateLatencyMs,
        CheckedUtc = CheckedUtc,
    };
}
