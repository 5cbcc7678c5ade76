using MLRFNet.Core.Labels;
using MLRFNet.Onnx.Float16;
using MLRFNet.Onnx.Qa;
using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Proto;

namespace MLRFNet.Onnx.Tests.Qa;

/// <summary>
/// The conv stack as FP32 reference, FP16 and INT8 (S8S8, MinMax) candidates on disk, and an evaluation set of 400
/// held-out random images labelled with the synthetic attributes the model was trained on (so FP32 separates them).
/// 400, because with no changed study the Wilson 95% upper bound of the flag-change share is then 0.95%, under FP16's
/// 1% limit; at 240 it would be 1.6% and no FP16 candidate could pass.
/// </summary>
public sealed class GateModels
{
    public static readonly LabelSet Labels = new("synthetic-attributes", ["high contrast", "bright blob", "fine stripes", "channel gain"]);

    public GateModels()
    {
        Folder = TestModels.OutputFolder("qa");
        Reference = TestModels.ConvStack;
        Float16 = Path.Combine(Folder, "conv_stack_fp16.onnx");
        Float16Converter.Convert(Reference, Float16);
        Int8 = Path.Combine(Folder, "conv_stack_int8.onnx");
        var calibration = TestModels.RandomImages(64, 3, 64, seed: 1);
        Int8Result = QdqQuantizer.Quantize(Reference, Int8, new TensorListDataReader("input", [3, 64, 64], calibration, 16));
        var samples = TestModels.RandomLabelledImages(400, 3, 64, seed: 11)
            .Select((p, i) => new EvaluationSample($"image{i:D3}", p.Image, p.Targets)).ToList();
        Evaluation = new EvaluationSet("synthetic held-out images (seed 11)", Labels, [3, 64, 64], samples);
    }

    public string Folder { get; }
    public string Reference { get; }
    public string Float16 { get; }
    public string Int8 { get; }
    public QuantizationResult Int8Result { get; }
    public EvaluationSet Evaluation { get; }

    /// <summary>A copy of the INT8 model with one activation scale multiplied by <paramref name="factor"/>.</summary>
    public string Damaged(string tensor, float factor)
    {
        var model = OnnxModelFile.Load(Int8);
        var name = TensorNames.Scale(tensor);
        var index = model.Graph.Initializer.IndexOf(model.Graph.Initializer.Single(t => t.Name == name));
        var scale = TensorData.ReadFloats(model.Graph.Initializer[index])[0];
        model.Graph.Initializer[index] = TensorData.FromFloats(name, [], [scale * factor]);
        var path = Path.Combine(Folder, $"conv_stack_int8_{tensor}_x{factor}.onnx");
        OnnxModelFile.Save(model, path);
        return path;
    }

    public static QualityGateOptions FastOptions => new() { LatencyRuns = 5, LatencyWarmupRuns = 1 };
}
