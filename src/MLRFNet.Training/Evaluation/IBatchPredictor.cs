using MLRFNet.Core.Labels;
using MLRFNet.Core.Preprocessing;

namespace MLRFNet.Training.Evaluation;

/// <summary>
/// Anything that turns preprocessed images into per-class probabilities: a TorchSharp checkpoint
/// (<see cref="CheckpointPredictor"/>) or an ONNX model through ONNX Runtime (the CLI's adapter over
/// <c>IXrayScorer</c>), so <c>mlrfnet evaluate</c> judges both the same way.
/// </summary>
public interface IBatchPredictor : IDisposable
{
    /// <summary>What was loaded, for reports ("best.ckpt (mlrfnet-tiny)", "model.onnx (int8, CPU)").</summary>
    string Description { get; }

    LabelSet Labels { get; }

    /// <summary>The model's own preprocessing; the evaluator feeds it images prepared this way.</summary>
    PreprocessingSpec Preprocessing { get; }

    /// <summary>Per-class decision thresholds, or null for 0.5.</summary>
    float[]? Thresholds { get; }

    /// <summary>Probabilities, row-major [count, classes], for <paramref name="count"/> C×H×W images in <paramref name="images"/>.</summary>
    float[] Predict(float[] images, int count);
}
