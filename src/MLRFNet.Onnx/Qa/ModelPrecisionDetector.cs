using MLRFNet.Core.Manifest;
using Onnx;

namespace MLRFNet.Onnx.Qa;

/// <summary>Tells FP32, FP16 and INT8 (QDQ or QLinear) models apart from their graphs, when no manifest says.</summary>
public static class ModelPrecisionDetector
{
    public static ModelPrecision Detect(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Graph.Node.Any(n => n.OpType is "QuantizeLinear" or "DequantizeLinear" or "QLinearConv" or "QLinearMatMul"))
            return ModelPrecision.Int8;
        if (model.Graph.Initializer.Any(t => t.DataType == (int)TensorProto.Types.DataType.Float16))
            return ModelPrecision.Fp16;
        return ModelPrecision.Fp32;
    }
}
