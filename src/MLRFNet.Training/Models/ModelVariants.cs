using MLRFNet.Core.Preprocessing;
using MLRFNet.Training.Models.Backbones;
using MLRFNet.Training.Models.Heads;

namespace MLRFNet.Training.Models;

/// <summary>
/// Name-keyed table of the architecture variants (torchvision's model registry: a duplicate name throws, an unknown
/// name throws with the list of known ones).
/// </summary>
public static class ModelVariants
{
    public const string Default = "mlrfnet";

    /// <summary>Res2Net-50 26w x 4s as timm's res2net50_26w_4s (paper section III-A).</summary>
    public static BackboneConfig Res2Net50 { get; } = new(ResidualBlockKind.Bottle2neck, [3, 4, 6, 3], [64, 128, 256, 512]);

    /// <summary>torchvision resnet50 (v1.5).</summary>
    public static BackboneConfig ResNet50 { get; } = new(ResidualBlockKind.Bottleneck, [3, 4, 6, 3], [64, 128, 256, 512]);

    /// <summary>torchvision resnet18.</summary>
    public static BackboneConfig ResNet18 { get; } = new(ResidualBlockKind.BasicBlock, [2, 2, 2, 2], [64, 128, 256, 512]);

    /// <summary>
    /// torchvision's BasicBlock ResNet at the depths of the CNTK ImageNet "ResNet18.onnx" in
    /// Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1: its graph has 22 Conv + 22 BatchNormalization and 9 residual
    /// Adds, i.e. stage 4 holds three blocks, not torchvision's two. Keys are torchvision's plus <c>layer4.2.*</c>.
    /// </summary>
    public static BackboneConfig ResNet18Cntk { get; } = new(ResidualBlockKind.BasicBlock, [2, 2, 2, 3], [64, 128, 256, 512]);

    /// <summary>Res2Net of the same structure at a quarter of the width and two blocks per stage, for tests and CI.</summary>
    public static BackboneConfig Res2NetTiny { get; } = new(ResidualBlockKind.Bottle2neck, [2, 2, 2, 2], [16, 32, 64, 128], StemWidth: 16);

    /// <summary>
    /// Input convention of the ImageNet ResNet-18 in Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1
    /// (ResNetPrepOnnx/ResNetPreprocess.onnx): BGR, 0-255, minus a 224x224 mean image, no division. Mean is the
    /// per-channel average of that mean image in B, G, R order (computed by
    /// tests/MLRFNet.Training.Tests/Fixtures/make_resnet18_onnx_reference.py; re-checked from the file by the tests).
    /// A gray X-ray is replicated into all three channels, so the channel order only matters for these means.
    /// </summary>
    public static PreprocessingSpec ResNet18OnnxPreprocessing { get; } = new()
    {
        PixelScale = 1f,
        Mean = [103.06262f, 115.90288f, 123.15163f],
        Std = [1f, 1f, 1f],
    };

    private static readonly Dictionary<string, ModelVariant> Table = new(StringComparer.Ordinal);

    static ModelVariants()
    {
        var imageNet = PreprocessingSpec.ImageNet;
        Register(new(Default, "MLRFNet: Res2Net-50 26w x 4s + ECA on U2-U4 + MRFC (3 CSRA heads)",
            Res2Net50, UseEca: true, HeadConfig.PaperMrfc, imageNet, "timm res2net50_26w_4s"));
        Register(new("mlrfnet-no-eca", "MLRFNet without ECA (ablation, paper Table 9)",
            Res2Net50, UseEca: false, HeadConfig.PaperMrfc, imageNet, "timm res2net50_26w_4s"));
        Register(new("mlrfnet-gap-fc", "Res2Net-50 + ECA on U4 + global average pool + linear (ablation, paper Table 10)",
            Res2Net50, UseEca: true, HeadConfig.GapLinear, imageNet, "timm res2net50_26w_4s"));
        Register(new("resnet50-mrfc", "ResNet-50 + ECA + MRFC (backbone ablation, paper Table 9)",
            ResNet50, UseEca: true, HeadConfig.PaperMrfc, imageNet, "torchvision resnet50"));
        Register(new("mlrfnet-tiny", "MLRFNet structure at reduced width/depth (tests, CI)",
            Res2NetTiny, UseEca: true, HeadConfig.PaperMrfc, imageNet, "timm-style Res2Net (reduced)"));
        Register(new("mlrfnet-r18", "Edge variant: ResNet-18 (CNTK depths 2-2-2-3) + ECA + MRFC, ImageNet init from the ML.NET ResNet18 ONNX",
            ResNet18Cntk, UseEca: true, HeadConfig.PaperMrfc, ResNet18OnnxPreprocessing, "torchvision ResNet(BasicBlock, [2, 2, 2, 3])"));
    }

    public static IReadOnlyCollection<string> Names => Table.Keys;

    /// <summary>Adds a variant; throws on a duplicate name (torchvision's registry does the same).</summary>
    public static void Register(ModelVariant variant)
    {
        variant.Validate();
        lock (Table)
        {
            if (!Table.TryAdd(variant.Name, variant))
                throw new ArgumentException($"A model variant named '{variant.Name}' is already registered.");
        }
    }

    /// <summary>The variant called <paramref name="name"/>; throws naming the known variants when there is none.</summary>
    public static ModelVariant Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (Table)
        {
            if (Table.TryGetValue(name, out var variant)) return variant;
        }
        throw new KeyNotFoundException($"Unknown model variant '{name}'. Known variants: {string.Join(", ", Names.Order(StringComparer.Ordinal))}.");
    }
}
