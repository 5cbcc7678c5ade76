using System.Reflection;
using MLRFNet.Core.Manifest;
using MLRFNet.Export.Graph;
using MLRFNet.Export.Modules;
using MLRFNet.Training.Models;
using static TorchSharp.torch;

namespace MLRFNet.Export;

/// <summary>
/// Writes a TorchSharp <see cref="MLRFNetModel"/> as an ONNX graph (opset 17, IR 8): the model is mapped onto module
/// specs (<see cref="MLRFNetModelMapper"/>, BatchNorms folded with their running statistics, i.e. eval-mode
/// semantics), then emitted with the I/O contract of issue 5 and the metadata of <see cref="OnnxModelMetadata"/>.
/// </summary>
/// <remarks>
/// Outputs: <c>logits</c> [N, C]; <c>probabilities</c> [N, C] = sigmoid(logits); and for each backbone level the
/// head reads, <c>class_map_u{2,3,4}</c> [N, C, h, w], the tensor <see cref="MLRFNetModel.ForwardWithScoreMaps"/>
/// returns for that level: for MRFC the CSRA score map after the division by the class weight norm (the division is
/// folded into the 1×1 weights), for the GAP+FC head its class activation map (fc at every position, plus bias;
/// only <c>class_map_u4</c>). The map sizes are taken from one TorchSharp forward of a zero image at the crop size,
/// so they are the model's, not a formula's.
/// </remarks>
public static class MLRFNetOnnxExporter
{
    public const string ProducerName = "mlrfnet";

    /// <summary>The exporting assembly's informational version (ModelProto.producer_version).</summary>
    public static string ProducerVersion { get; } =
        typeof(MLRFNetOnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(MLRFNetOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0";

    public static OnnxGraphBuilder Build(MLRFNetModel model, OnnxModelMetadata metadata, ModuleRegistry? modules = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        var preprocessing = metadata.Preprocessing.Validate();
        if (metadata.LabelSet.Count != model.NumClasses)
            throw new ArgumentException($"Label set '{metadata.LabelSet.Name}' has {metadata.LabelSet.Count} labels but the model has {model.NumClasses} outputs.");
        if (metadata.Variant != model.Variant.Name)
            throw new ArgumentException($"Metadata names variant '{metadata.Variant}' but the model is '{model.Variant.Name}'.");

        modules ??= ModuleRegistry.CreateDefault();
        var spec = MLRFNetModelMapper.Map(model, modules);
        if (spec.InputChannels != preprocessing.Channels)
            throw new ArgumentException(
                $"The preprocessing produces {preprocessing.Channels}-channel images but the model's stem takes {spec.InputChannels}; " +
                "fix the checkpoint's preprocessing (Channels) to match the model.");
        var mapShapes = ProbeClassMapShapes(model, preprocessing.Channels, preprocessing.CropSize);
        if (mapShapes.Count != spec.HeadLevels.Count)
            throw new InvalidOperationException($"The model returns {mapShapes.Count} class maps for {spec.HeadLevels.Count} head levels.");

        var classes = model.NumClasses;
        var g = new OnnxGraphBuilder($"mlrfnet:{model.Variant.Name}", ProducerName, ProducerVersion)
        {
            DocString = DocString(model.Variant, metadata, spec.HeadLevels),
        };
        var context = new EmitContext(g, modules);
        var image = g.AddInput(GraphNames.Image, GraphNames.BatchDimension, preprocessing.Channels, preprocessing.CropSize, preprocessing.CropSize);

        var levels = new string[3];
        using (g.Scope("backbone"))
        {
            // ResNetBackbone.forward: relu(bn1(conv1(x))) → maxpool → layer1..4; U2..U4 are the outputs of layer2..4.
            var x = g.Relu(context.Emit(spec.StemConv, image, "conv1"));
            x = context.Emit(spec.StemPool, x, "maxpool");
            for (var s = 0; s < spec.Stages.Count; s++)
            {
                x = context.Emit(spec.Stages[s], x, $"layer{s + 1}");
                if (s >= 1) levels[s - 1] = x;
            }
        }
        var headInputs = spec.HeadLevels.Select((level, i) =>
            spec.Attention[i] is { } attention ? context.Emit(attention, levels[level], $"eca{level + 2}") : levels[level]).ToArray();
        var logits = g.Identity(context.Emit(spec.Head, headInputs, "classifier"), GraphNames.Logits);
        g.Sigmoid(logits, GraphNames.Probabilities);

        g.AddOutput(GraphNames.Logits, GraphNames.BatchDimension, classes);
        g.AddOutput(GraphNames.Probabilities, GraphNames.BatchDimension, classes);
        for (var i = 0; i < spec.HeadLevels.Count; i++)
        {
            var name = GraphNames.ClassMap(spec.HeadLevels[i]);
            if (!g.HasTensor(name))
                throw new InvalidOperationException($"The head's emitter wrote no '{name}' tensor; every head must expose the class map of each level it reads.");
            g.AddOutput(name, GraphNames.BatchDimension, classes, mapShapes[i].Height, mapShapes[i].Width);
        }
        foreach (var (key, value) in metadata.ToProperties()) g.SetMetadata(key, value);
        return g;
    }

    /// <summary>Height and width of each class map, from one eval-mode forward of a zero image (training flag restored).</summary>
    private static IReadOnlyList<(int Height, int Width)> ProbeClassMapShapes(MLRFNetModel model, int channels, int cropSize)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var image = zeros(1, channels, cropSize, cropSize);
            using var output = model.ForwardWithScoreMaps(image);
            return output.ScoreMaps.Select(m => (checked((int)m.shape[2]), checked((int)m.shape[3]))).ToArray();
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    private static string DocString(ModelVariant variant, OnnxModelMetadata metadata, IReadOnlyList<int> headLevels)
    {
        var p = metadata.Preprocessing;
        var maps = string.Join(", ", headLevels.Select(GraphNames.ClassMap));
        return $"MLRFNet variant '{variant.Name}' ({variant.Description}), {metadata.LabelSet.Count} labels of '{metadata.LabelSet.Name}'" +
               (metadata.SourceCheckpointSha256 is { } sha ? $", exported from checkpoint sha256 {sha}" : "") + ". " +
               $"Input '{GraphNames.Image}' float32 [N, {p.Channels}, {p.CropSize}, {p.CropSize}], preprocessed as in the " +
               $"'{OnnxModelMetadata.PreprocessingKey}' metadata entry. Outputs: '{GraphNames.Logits}' [N, C], " +
               $"'{GraphNames.Probabilities}' = sigmoid(logits) (multi-label), class score maps {maps} [N, C, h, w] for heatmaps. " +
               $"Label order: the '{OnnxModelMetadata.LabelsKey}' metadata entry.";
    }
}
