using MLRFNet.Onnx.Qa;

namespace MLRFNet.Onnx.Quantization.Jobs;

/// <summary>How a job event should be shown: progress, a warning, or an error the job carries on after.</summary>
public enum JobEventLevel
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// Progress of a <see cref="QuantizeJob"/> or <see cref="QaJob"/>, reported through <see cref="IProgress{T}"/> as it
/// happens: a line of text for people, and for the events a caller may act on, a typed subclass with the values.
/// </summary>
public record JobEvent(JobEventLevel Level, string Message)
{
    public static JobEvent Info(string message) => new(JobEventLevel.Info, message);

    public static JobEvent Warning(string message) => new(JobEventLevel.Warning, message);
}

/// <summary>One gate decision of the accuracy-aware fallback (round 0 is the fully quantized model).</summary>
public sealed record FallbackRoundEvent(int Round, QualityGateReport Report, string Message) : JobEvent(JobEventLevel.Info, Message);

/// <summary>The fallback kept in float the layer whose Q/DQ pair at <paramref name="Tensor"/> was the worst (<paramref name="Sqnr"/> dB).</summary>
public sealed record FallbackStepEvent(string Tensor, double Sqnr, string Message) : JobEvent(JobEventLevel.Info, Message);

