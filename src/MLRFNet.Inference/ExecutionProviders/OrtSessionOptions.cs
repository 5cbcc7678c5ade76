using Microsoft.ML.OnnxRuntime;

namespace MLRFNet.Inference.ExecutionProviders;

/// <summary>
/// The session settings every ONNX Runtime session of the toolchain shares (the edge service's scorer, and the
/// calibration, debugging and QA runs of MLRFNet.Onnx), so they cannot drift apart: graph optimization level, intra-op
/// threads, and whether the intra-op pool busy-waits between runs.
/// </summary>
public static class OrtSessionOptions
{
    /// <summary>
    /// New options; the caller owns (disposes) them and adds what is specific to it (providers, log settings).
    /// <paramref name="intraOpThreads"/> 0 lets ONNX Runtime pick (physical cores). <paramref name="allowSpinning"/>
    /// off: between runs the pool sleeps instead of spinning, leaving the cores to other work of the process (the
    /// service's decode and report stages, another model being timed); see <see cref="XrayScorerOptions.AllowSpinning"/>.
    /// </summary>
    public static SessionOptions Create(GraphOptimizationLevel optimization, int intraOpThreads, bool allowSpinning)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        var options = new SessionOptions { GraphOptimizationLevel = optimization };
        if (intraOpThreads > 0) options.IntraOpNumThreads = intraOpThreads;
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
        return options;
    }
}
