using Onnx;

namespace MLRFNet.Onnx.Quantization.Operators;

/// <summary>
/// MatMul: both inputs as activations, or a constant [K, N] second input as a weight quantized per tensor (ORT
/// operators/matmul.py QDQMatMul,
/// https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/operators/matmul.py;
/// per-column MatMul weights are not fused by every ORT build, so per tensor is the safe default). The output is
/// quantized unless it must stay float.
/// </summary>
public sealed class MatMulQuantizer : IOpQuantizer
{
    public void Mark(NodeProto node, QuantizationMarker marker)
    {
        if (node.Input.Count < 2 || !marker.IsFloat(node.Input[0]) || !marker.IsFloat(node.Input[1])) return;
        marker.Activation(node.Input[0]);
        if (marker.IsInitializer(node.Input[1])) marker.Weight(node.Input[1], null);
        else marker.Activation(node.Input[1]);
        if (marker.CanQuantizeOutput(node.Output[0])) marker.Activation(node.Output[0]);
    }
}
