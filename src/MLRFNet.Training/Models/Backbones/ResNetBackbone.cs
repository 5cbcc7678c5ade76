// Stem and stage layout modelled on timm's ResNet, https://github.com/huggingface/pytorch-image-models/blob/main/timm/models/resnet.py
// and torchvision's, https://github.com/pytorch/vision/blob/main/torchvision/models/resnet.py (identical key names for
// the plain 7x7 stem: conv1, bn1, layer1..layer4; the classifier fc is not part of the backbone).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Training.Models.Backbones;

/// <summary>Stage outputs used by the heads: U2, U3, U4 (stages 2-4; 28x28, 14x14, 7x7 at a 224x224 input).</summary>
public sealed record BackboneFeatures(Tensor U2, Tensor U3, Tensor U4) : IDisposable
{
    public IReadOnlyList<Tensor> Levels => [U2, U3, U4];

    public void Dispose()
    {
        U2.Dispose();
        U3.Dispose();
        U4.Dispose();
    }
}

/// <summary>
/// A ResNet-family feature extractor: conv1 7x7/2 (pad 3) + bn1 + ReLU + max pool 3x3/2 (pad 1), then
/// <c>layer1..layer4</c>. Its state_dict is the reference model's minus <c>fc.*</c>, so ImageNet checkpoints load by key.
/// </summary>
public sealed class ResNetBackbone : nn.Module<Tensor, BackboneFeatures>
{
    private sealed record BlockArgs(BackboneConfig Config, int Stage, int Inplanes, int Stride, Sequential? Downsample);

    // One factory per block kind (registry over switch); each block keeps its reference's field names.
    private static readonly IReadOnlyDictionary<ResidualBlockKind, Func<BlockArgs, nn.Module<Tensor, Tensor>>> BlockFactories =
        new Dictionary<ResidualBlockKind, Func<BlockArgs, nn.Module<Tensor, Tensor>>>
        {
            [ResidualBlockKind.Bottle2neck] = a => new Bottle2neck(a.Inplanes, a.Config.Planes[a.Stage], a.Stride, a.Downsample,
                a.Config.SplitWidth(a.Stage), a.Config.Scale),
            [ResidualBlockKind.Bottleneck] = a => new Bottleneck(a.Inplanes, a.Config.Planes[a.Stage], a.Stride, a.Downsample),
            [ResidualBlockKind.BasicBlock] = a => new BasicBlock(a.Inplanes, a.Config.Planes[a.Stage], a.Stride, a.Downsample),
        };

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    // The max pool has no weights; timm: "The name 'maxpool' remains for weight compatibility".
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;

    public ResNetBackbone(BackboneConfig config) : base(nameof(ResNetBackbone))
    {
        Config = config.Validate();
        conv1 = nn.Conv2d(3, config.StemWidth, 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(config.StemWidth);
        maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        var inplanes = config.StemWidth;
        layer1 = MakeStage(config, 0, ref inplanes);
        layer2 = MakeStage(config, 1, ref inplanes);
        layer3 = MakeStage(config, 2, ref inplanes);
        layer4 = MakeStage(config, 3, ref inplanes);
        RegisterComponents();
        InitializeWeights();
    }

    public BackboneConfig Config { get; }

    /// <summary>Channels of U2, U3, U4.</summary>
    public IReadOnlyList<int> LevelChannels => [Config.StageChannels(1), Config.StageChannels(2), Config.StageChannels(3)];

    public override BackboneFeatures forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var u1 = layer1.call(maxpool.call(nn.functional.relu(bn1.call(conv1.call(x)))));
        var u2 = layer2.call(u1);
        var u3 = layer3.call(u2);
        var u4 = layer4.call(u3);
        return new BackboneFeatures(u2.MoveToOuterDisposeScope(), u3.MoveToOuterDisposeScope(), u4.MoveToOuterDisposeScope());
    }

    private static Sequential MakeStage(BackboneConfig config, int stage, ref int inplanes)
    {
        // Stride 2 in the first block of stages 2-4 (in the 3x3 convs of Res2Net/ResNet v1.5 blocks).
        var stride = stage == 0 ? 1 : 2;
        var outChannels = config.StageChannels(stage);
        var blocks = new List<nn.Module<Tensor, Tensor>>();
        for (var b = 0; b < config.Depths[stage]; b++)
        {
            var blockStride = b == 0 ? stride : 1;
            Sequential? downsample = null;
            if (b == 0 && (blockStride != 1 || inplanes != outChannels))
                downsample = nn.Sequential(
                    nn.Conv2d(inplanes, outChannels, 1, stride: blockStride, bias: false),
                    nn.BatchNorm2d(outChannels));
            blocks.Add(BlockFactories[config.Block](new BlockArgs(config, stage, inplanes, blockStride, downsample)));
            inplanes = outChannels;
        }
        return nn.Sequential(blocks);
    }

    // He-normal (fan_out, ReLU) convs and unit/zero BatchNorm affine, as timm's and torchvision's ResNet init.
    private void InitializeWeights()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            if (module is Conv2d conv)
                nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            else if (module is BatchNorm2d bn)
            {
                nn.init.ones_(bn.weight);
                nn.init.zeros_(bn.bias);
            }
        }
    }
}
