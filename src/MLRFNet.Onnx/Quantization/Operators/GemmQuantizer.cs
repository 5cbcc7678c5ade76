using Onnx;

namespace MLRFNet.Onnx.Quantization.Operators;

/// <summary>
/// Gemm Y = alpha A B + beta C: A as activation, B per output column (axis 0 when transB = 1, else axis 1), C as
/// int32 bias when alpha = beta = 1 (otherwise the bias scale would need beta, so C stays float), Y as activation
/// unless it must stay float (ORT operators/gemm.py QDQGemm,
/// https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/operators/gemm.py). ORT fuses the pattern into QGemm.
/// </summary>
public sealed class GemmQuantizer : IOpQuantizer
{
    public void Mark(NodeProto node, QuantizationMarker marker)
    {
        if (node.Input.Count < 2 || !marker.IsFloat(node.Input[0])) return;
        // A transposed A would put the reduction axis first; ORT's QGemm handles transA, the marks do not change.
        var transB = node.Int("transB", 0) != 0;
        marker.Activation(node.Input[0]);
        marker.Weight(node.Input[1], marker.Options.PerChannel ? (transB ? 0 : 1) : null);
        var unitScaled = node.Float("alpha", 1f) == 1f && node.Float("beta", 1f) == 1f;
        if (node.Input.Count > 2 && node.Input[2].Length > 0 && unitScaled && marker.IsInitializer(node.Input[2])
            && marker.Graph.Initializers[node.Input[2]].Dims.Count == 1)
            marker.Bias(node.Input[2], node.Input[0], node.Input[1]);
        if (marker.CanQuantizeOutput(node.Output[0])) marker.Activation(node.Output[0]);
    }
}
