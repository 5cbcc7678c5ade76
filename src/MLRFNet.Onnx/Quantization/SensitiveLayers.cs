using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Quantization;

/// <summary>
/// Layers worth keeping in float whatever the model. The convolution that reads the image itself (the stem) sees
/// the input's rounding (INT8: a step of about one grey level on a 0-255 scale; FP16: 1/8 above 128), and trained
/// stems are high-pass filters that amplify exactly that: on the shipped ChestX-ray14 model keeping only the stem in
/// float raised the INT8 output SQNR from 16.6 to 23.2 dB and halved FP16's largest probability change
/// (models/MODEL_CARD.md). It is about 6% of a ResNet-18's multiply-accumulates.
/// </summary>
public static class SensitiveLayers
{
    /// <summary>Names of the Conv nodes whose data input is a graph input (not an initializer), in graph order.</summary>
    public static IReadOnlyList<string> InputConvolutions(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var named = model.Clone();
        OnnxModelFile.NameUnnamedNodes(named.Graph);
        var initializers = named.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = named.Graph.Input.Select(i => i.Name).Where(n => !initializers.Contains(n)).ToHashSet(StringComparer.Ordinal);
        return named.Graph.Node.Where(n => n.OpType == "Conv" && n.Input.Count > 0 && inputs.Contains(n.Input[0])).Select(n => n.Name).ToArray();
    }
}
