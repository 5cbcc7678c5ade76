using Onnx;

namespace MLRFNet.Onnx.Quantization.Operators;

/// <summary>
/// Decides which tensors of one node get quantized and how, by marking them on the
/// <see cref="QuantizationMarker"/>. Op quantizers never edit the graph (ORT's QDQ operator classes,
/// https://github.com/microsoft/onnxruntime/tree/main/onnxruntime/python/tools/quantization/operators).
/// </summary>
public interface IOpQuantizer
{
    void Mark(NodeProto node, QuantizationMarker marker);
}

internal static class NodeAttributes
{
    public static long Int(this NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    public static float Float(this NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;
}
