using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Suitability;
using MLRFNet.Imaging;
using MLRFNet.Inference;

namespace MLRFNet.Edge.Scoring;

/// <summary>A claimed input, hashed, decoded and preprocessed: ready for the model.</summary>
internal sealed record PreparedStudy(WorkItem Item, string Sha256, long Bytes, XrayImage Image, float[] Tensor, double HashMs,
    double DecodeMs, double PreprocessMs, SuitabilityVerdict Suitability)
{
    /// <summary>Set when the model already scored this study and only its report write is retried.</summary>
    public HeldStudy? Held { get; init; }
}

/// <summary>A scored study whose report write failed: its result, kept so the retry does not run the model again.</summary>
internal sealed record HeldStudy(PreparedStudy Study, ScoringResult Result, double InferenceMs, int BatchSize);

/// <summary>
/// The studies of one model run that got a result (those it failed on are already in quarantine), the run's time and
/// how many images it scored together.
/// </summary>
internal sealed record ScoredBatch(IReadOnlyList<(PreparedStudy Study, ScoringResult Result)> Studies, double InferenceMs, int BatchSize)
{
    public static readonly ScoredBatch Empty = new([], 0, 0);
}
