// Modelled on torchvision's ResNet basic block, https://github.com/pytorch/vision/blob/main/torchvision/models/resnet.py
// Field names are torchvision's state_dict keys.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Training.Models.Backbones;

/// <summary>ResNet-18/34 block: two 3x3 convs (the first with the stride), plus the identity or projection.</summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    public const int Expansion = 1;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;

    public BasicBlock(int inplanes, int planes, int stride, Sequential? downsample) : base(nameof(BasicBlock))
    {
        conv1 = nn.Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(planes);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = nn.functional.relu(bn1.call(conv1.call(x)));
        output = bn2.call(conv2.call(output));
        var residual = downsample is null ? x : downsample.call(x);
        return nn.functional.relu(output + residual).MoveToOuterDisposeScope();
    }
}
