using Onnx;

namespace MLRFNet.Onnx.Quantization.Operators;

/// <summary>
/// Ops ORT's CPU provider runs as one quantized kernel when every float input and the output carry Q/DQ: Add, Mul
/// (QLinearAdd/QLinearMul), Concat (QLinearConcat), Sigmoid, GlobalAveragePool (QLinearSigmoid,
/// QLinearGlobalAveragePool). Each input and the output get their own parameters; constant inputs are quantized
/// like activations (ORT's default QDQOperatorBase,
/// https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/operators/qdq_base_operator.py). If the output must stay float (a graph output) the node is
/// left alone entirely: quantizing only its inputs would add rounding without an integer kernel to gain.
/// </summary>
public sealed class UnitOpQuantizer : IOpQuantizer
{
    public void Mark(NodeProto node, QuantizationMarker marker)
    {
        var inputs = node.Input.Where(i => i.Length > 0).ToArray();
        if (inputs.Length == 0 || !inputs.All(marker.IsFloat) || !marker.CanQuantizeOutputs(node)) return;
        marker.MarkAsUnit();
        foreach (var input in inputs) marker.Activation(input);
        foreach (var output in node.Output.Where(o => o.Length > 0)) marker.Activation(output);
    }
}
