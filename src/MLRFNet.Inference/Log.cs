using Microsoft.Extensions.Logging;

namespace MLRFNet.Inference;

/// <summary>Every log message of MLRFNet.Inference, source-generated (no boxing, no string interpolation at call sites).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Loaded model {ModelName} {ModelVersion} ({Precision}, {Classes} classes, SHA-256 {Sha256}) from {ModelPath} on execution provider {ExecutionProvider}")]
    public static partial void ModelLoaded(ILogger logger, string modelName, string modelVersion, string precision, int classes,
        string sha256, string modelPath, string executionProvider);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "Execution provider {Provider} could not be registered, trying the next one: {Reason}. It {Remedy}")]
    public static partial void ProviderUnavailable(ILogger logger, string provider, string reason, string remedy);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "Execution provider {Provider} was registered but the session could not be created on it, trying the next one: {Reason}. It {Remedy}")]
    public static partial void ProviderSessionFailed(ILogger logger, string provider, string reason, string remedy);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug,
        Message = "CPU was not in the execution provider list {Providers}; it is tried last as the fallback ONNX Runtime always has")]
    public static partial void CpuFallbackAppended(ILogger logger, string providers);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information,
        Message = "Execution provider {Provider} selected (preference list: {Providers})")]
    public static partial void ProviderSelected(ILogger logger, string provider, string providers);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning,
        Message = "Model {ModelPath} is {Precision} without a passed QA verdict; loaded because this scorer's ManifestPolicy does not require one (the edge service does)")]
    public static partial void ReducedPrecisionWithoutQa(ILogger logger, string modelPath, string precision);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information,
        Message = "ONNX Runtime native library bound to {Path}")]
    public static partial void CustomNativeLibrary(ILogger logger, string path);
}
