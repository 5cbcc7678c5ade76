using Onnx;

namespace MLRFNet.Onnx.Quantization.Operators;

/// <summary>
/// Conv: input and output as activations, weight per output channel (axis 0 of [M, C/group, kH, kW]), bias as
/// int32 with scale input_scale * weight_scale (ORT operators/conv.py QDQConv,
/// https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/operators/conv.py).
/// DQ(x), DQ(w), DQ(b) -> Conv -> Q is the pattern ORT fuses into QLinearConv.
/// </summary>
public sealed class ConvQuantizer : IOpQuantizer
{
    public void Mark(NodeProto node, QuantizationMarker marker)
    {
        if (node.Input.Count < 2 || !marker.IsFloat(node.Input[0])) return;
        marker.Activation(node.Input[0]);
        marker.Weight(node.Input[1], marker.Options.PerChannel ? 0 : null);
        if (node.Input.Count > 2 && node.Input[2].Length > 0) marker.Bias(node.Input[2], node.Input[0], node.Input[1]);
        if (marker.CanQuantizeOutput(node.Output[0])) marker.Activation(node.Output[0]);
    }
}
