using MLRFNet.Core.Labels;
using MLRFNet.Core.Manifest;
using MLRFNet.Core.Preprocessing;
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
/// The gate scores through the box's scorer, which takes only models that meet MLRFNet's contract: each model here
/// has a manifest (labels, 64 px preprocessing) and the fixture's symbolic H, W fixed to 64, as an export has.
/// </summary>
public sealed class GateModels
{
    public static readonly LabelSet Labels = new("synthetic-attributes", ["high contrast", "bright blob", "fine stripes", "channel gain"]);

    /// <summary>What the manifests say: 3 × 64 × 64 inputs (the values are fed already preprocessed).</summary>
    public static readonly PreprocessingSpec Spec = new() { ResizeSize = 64, CropSize = 64 };

    public GateModels()
    {
        Folder = TestModels.OutputFolder("qa");
        Reference = Path.Combine(Folder, "conv_stack_64.onnx");
        WithFixedSize(TestModels.ConvStack, Reference, 64);
        WriteManifest(Reference, ModelPrecision.Fp32);
        Float16 = Path.Combine(Folder, "conv_stack_fp16.onnx");
        Float16Converter.Convert(Reference, Float16);
        WriteManifest(Float16, ModelPrecision.Fp16);
        Int8 = Path.Combine(Folder, "conv_stack_int8.onnx");
        var calibration = TestModels.RandomImages(64, 3, 64, seed: 1);
        Int8Result = QdqQuantizer.Quantize(Reference, Int8, new TensorListDataReader("input", [3, 64, 64], calibration, 16));
        WriteManifest(Int8, ModelPrecision.Int8);
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

    /// <summary>The manifest a model of this set carries, for its file as it is now.</summary>
    public static ModelManifest ManifestFor(string onnx, ModelPrecision precision) => new()
    {
        ModelName = "conv-stack", ModelVersion = "test", Architecture = "conv-stack", Precision = precision,
        LabelSetName = Labels.Name, Labels = Labels.Labels.ToArray(), Preprocessing = Spec, OnnxSha256 = ModelManifest.Sha256OfFile(onnx),
    };

    public static void WriteManifest(string onnx, ModelPrecision precision) =>
        ManifestFor(onnx, precision).Save(ModelManifest.ManifestPathFor(onnx));

    /// <summary>A copy of <paramref name="source"/> whose input has fixed height and width (the batch stays symbolic).</summary>
    public static void WithFixedSize(string source, string target, int size)
    {
        var model = OnnxModelFile.Load(source);
        var dims = model.Graph.Input.Single().Type.TensorType.Shape.Dim;
        foreach (var axis in new[] { 2, 3 }) dims[axis] = new global::Onnx.TensorShapeProto.Types.Dimension { DimValue = size };
        OnnxModelFile.Save(model, target);
    }

    /// <summary>A copy of the INT8 model with one activation scale multiplied by <paramref name="factor"/>, with its manifest.</summary>
    public string Damaged(string tensor, float factor)
    {
        var model = OnnxModelFile.Load(Int8);
        var name = TensorNames.Scale(tensor);
        var index = model.Graph.Initializer.IndexOf(model.Graph.Initializer.Single(t => t.Name == name));
        var scale = TensorData.ReadFloats(model.Graph.Initializer[index])[0];
        model.Graph.Initializer[index] = TensorData.FromFloats(name, [], [scale * factor]);
        var path = Path.Combine(Folder, $"conv_stack_int8_{tensor}_x{factor}.onnx");
        OnnxModelFile.Save(model, path);
        WriteManifest(path, ModelPrecision.Int8);
        return path;
    }

    public static QualityGateOptions FastOptions => new() { LatencyRuns = 5, LatencyWarmupRuns = 1 };
}
