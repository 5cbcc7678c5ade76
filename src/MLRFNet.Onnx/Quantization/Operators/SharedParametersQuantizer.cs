using Onnx;

namespace MLRFNet.Onnx.Quantization.Operators;

/// <summary>
/// Ops whose outputs only select, move or average input values (MaxPool, AveragePool, Split, Reshape, Flatten,
/// Transpose, Squeeze, Unsqueeze): the output reuses the input's scale and zero point (ORT's Direct8BitOp and
/// QDQQuantParamProvider, https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/operators/direct_q8.py; its CPU provider then drops the DQ/Q pair around MaxPool and Split entirely). Pools
/// quantize their input themselves; the pure data-movement ops only follow an input that is already quantized,
/// so they never add a Q/DQ pair of their own.
/// </summary>
public sealed class SharedParametersQuantizer(bool quantizesInput) : IOpQuantizer
{
    public void Mark(NodeProto node, QuantizationMarker marker)
    {
        var input = node.Input[0];
        if (!marker.IsFloat(input)) return;
        if (!quantizesInput && !marker.IsActivationMarked(input)) return;
        marker.Activation(input);
        foreach (var output in node.Output.Where(o => o.Length > 0))
            marker.SharedActivation(output, input);
    }
}
