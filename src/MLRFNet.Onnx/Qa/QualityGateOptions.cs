using MLRFNet.Core.Manifest;
using MLRFNet.Core.Metrics;

namespace MLRFNet.Onnx.Qa;

/// <summary>Settings of <see cref="QualityGate"/>, validated before any model runs.</summary>
public sealed record QualityGateOptions
{
    /// <summary>Allowed AUC drops; null takes <see cref="GateThresholds.For"/> of the candidate's precision.</summary>
    public GateThresholds? Thresholds { get; init; }

    /// <summary>Candidate precision; null reads it from the candidate's manifest, else from its graph.</summary>
    public ModelPrecision? Precision { get; init; }

    /// <summary>Decision thresholds in label order; null takes the candidate's manifest, else the reference's, else 0.5.</summary>
    public float[]? DecisionThresholds { get; init; }

    /// <summary>Images per inference run while scoring, at most 256 (latency is measured at batch 1 separately).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Untimed runs before the latency measurement.</summary>
    public int LatencyWarmupRuns { get; init; } = 3;

    /// <summary>Timed batch-1 runs; the median is reported.</summary>
    public int LatencyRuns { get; init; } = 20;

    /// <summary>Bootstrap for the paired CI (1000 resamples, fixed seed by default) and DeLong's test level.</summary>
    public EvaluationOptions Evaluation { get; init; } = new();

    public QualityGateOptions Validate()
    {
        Thresholds?.Validate();
        if (Precision is { } p && !Enum.IsDefined(p))
            throw new ArgumentOutOfRangeException(nameof(Precision), p, "Precision must be Fp32, Fp16 or Int8.");
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchSize, Inference.XrayScorerOptions.MaxBatchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(LatencyWarmupRuns);
        ArgumentOutOfRangeException.ThrowIfLessThan(LatencyRuns, 1);
        ArgumentNullException.ThrowIfNull(Evaluation, nameof(Evaluation));
        if (DecisionThresholds is { } t && t.Any(v => !(v >= 0 && v <= 1)))
            throw new ArgumentOutOfRangeException(nameof(DecisionThresholds), "Decision thresholds are probabilities in [0, 1].");
        return this;
    }
}
