// Modelled on torchvision's ResNet bottleneck, https://github.com/pytorch/vision/blob/main/torchvision/models/resnet.py
// (ResNet v1.5: the stride sits in the 3x3 conv). Field names are torchvision's state_dict keys.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Training.Models.Backbones;

/// <summary>ResNet-50 bottleneck: 1x1 reduce, 3x3 (with the stride), 1x1 expand x4, plus the identity or projection.</summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    public const int Expansion = 4;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample;

    public Bottleneck(int inplanes, int planes, int stride, Sequential? downsample) : base(nameof(Bottleneck))
    {
        conv1 = nn.Conv2d(inplanes, planes, 1, bias: false);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(planes);
        conv3 = nn.Conv2d(planes, planes * Expansion, 1, bias: false);
        bn3 = nn.BatchNorm2d(planes * Expansion);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = nn.functional.relu(bn1.call(conv1.call(x)));
        output = nn.functional.relu(bn2.call(conv2.call(output)));
        output = bn3.call(conv3.call(output));
        var residual = downsample is null ? x : downsample.call(x);
        return nn.functional.relu(output + residual).MoveToOuterDisposeScope();
    }
}
