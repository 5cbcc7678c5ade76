using Onnx;

namespace MLRFNet.Onnx.Quantization.Operators;

/// <summary>
/// Relu and Clip after a quantized tensor (ORT operators/activation.py QDQRemovableActivation,
/// https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/operators/activation.py). With asymmetric
/// activations (U8S8) the node is fused away: its output range [0, max] becomes the producer's quantization range,
/// and QuantizeLinear's saturation at the zero point does the clipping exactly. Symmetric activations (S8S8,
/// zero point 0) can represent negatives, so the node stays, with its input and output quantized. An activation
/// whose input is not quantized stays float.
/// </summary>
public sealed class RemovableActivationQuantizer : IOpQuantizer
{
    public void Mark(NodeProto node, QuantizationMarker marker)
    {
        var input = node.Input[0];
        if (!marker.IsActivationMarked(input)) return;
        if (marker.Options.ActivationsSymmetric || !marker.TryFuseIntoUpstream(node))
            marker.Activation(input);
        if (marker.CanQuantizeOutput(node.Output[0])) marker.Activation(node.Output[0]);
    }
}
