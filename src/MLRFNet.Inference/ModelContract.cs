using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLRFNet.Core.Manifest;

namespace MLRFNet.Inference;

/// <summary>One class-score-map output (<c>class_map_u2</c>, ...): [N, C, Height, Width].</summary>
internal sealed record ClassMapOutput(string Name, int Height, int Width);

/// <summary>
/// The model's I/O read from the session and checked against the manifest and MLRFNet's contract (issue 5): one
/// float input [N, channels, crop, crop] with a symbolic N, outputs <c>logits</c> and <c>probabilities</c> [N, C],
/// optional <c>class_map_*</c> [N, C, h, w] with fixed h and w. Names come from the model, not from code.
/// </summary>
internal sealed record ModelContract(
    string InputName, int Channels, int Height, int Width, int Classes, IReadOnlyList<ClassMapOutput> ClassMaps)
{
    public const string LogitsName = "logits";
    public const string ProbabilitiesName = "probabilities";
    public const string ClassMapPrefix = "class_map_";

    public int ImageLength => Channels * Height * Width;

    public static ModelContract Read(InferenceSession session, ModelManifest manifest, string modelPath)
    {
        ModelContractException Fail(string what) => new(modelPath,
            $"Model '{modelPath}' does not follow MLRFNet's I/O contract: {what}. Re-export it with `mlrfnet export`.");

        if (session.InputMetadata.Count != 1)
            throw Fail($"it has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}), expected one image input");
        var (inputName, input) = session.InputMetadata.First();
        var dims = input.IsTensor ? input.Dimensions : [];
        if (input.ElementDataType != TensorElementType.Float || dims.Length != 4)
            throw Fail($"input '{inputName}' must be a float32 tensor [N, C, H, W] (got {Describe(input)})");
        if (dims[0] > 0)
            throw Fail($"input '{inputName}' has a fixed batch dimension {dims[0]}; the scorer needs a symbolic one to batch");
        var spec = manifest.Preprocessing;
        if (dims[1] != spec.Channels || dims[2] != spec.CropSize || dims[3] != spec.CropSize)
            throw Fail($"input '{inputName}' is {Describe(input)} but the manifest's preprocessing produces " +
                       $"[N, {spec.Channels}, {spec.CropSize}, {spec.CropSize}]");

        var classes = manifest.Labels.Length;
        foreach (var name in new[] { LogitsName, ProbabilitiesName })
        {
            if (!session.OutputMetadata.TryGetValue(name, out var output))
                throw Fail($"output '{name}' is missing (outputs: {string.Join(", ", session.OutputMetadata.Keys)})");
            if (output.ElementDataType != TensorElementType.Float || output.Dimensions.Length != 2 || output.Dimensions[1] != classes)
                throw Fail($"output '{name}' must be float32 [N, {classes}] for the manifest's {classes} labels (got {Describe(output)})");
        }

        var maps = new List<ClassMapOutput>();
        foreach (var (name, output) in session.OutputMetadata.Where(o => o.Key.StartsWith(ClassMapPrefix, StringComparison.Ordinal))
                     .OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var d = output.Dimensions;
            if (output.ElementDataType != TensorElementType.Float || d.Length != 4 || d[1] != classes || d[2] <= 0 || d[3] <= 0)
                throw Fail($"output '{name}' must be float32 [N, {classes}, h, w] with fixed h and w (got {Describe(output)})");
            maps.Add(new ClassMapOutput(name, d[2], d[3]));
        }
        return new ModelContract(inputName, dims[1], dims[2], dims[3], classes, maps);
    }

    private static string Describe(NodeMetadata m) =>
        m.IsTensor
            ? $"{m.ElementDataType} [{string.Join(", ", m.Dimensions.Select((d, i) => d > 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : SymbolOf(m, i)))}]"
            : m.OnnxValueType.ToString();

    private static string SymbolOf(NodeMetadata m, int axis) =>
        m.SymbolicDimensions is { } s && axis < s.Length && !string.IsNullOrEmpty(s[axis]) ? s[axis] : "?";
}
