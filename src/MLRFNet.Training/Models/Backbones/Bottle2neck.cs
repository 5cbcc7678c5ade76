// Modelled on timm's Res2Net block, https://github.com/huggingface/pytorch-image-models/blob/main/timm/models/res2net.py
// (itself adapted from https://github.com/gasvn/Res2Net). Field names are the state_dict keys of timm's
// res2net50_26w_4s so its checkpoint loads by key.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Training.Models.Backbones;

/// <summary>
/// Res2Net bottleneck: 1x1 conv to <c>width x scale</c> channels, split into <c>scale</c> groups; groups 1..scale-1 go
/// through their own 3x3 conv, the last group passes through. In the first block of a stage ("stage" block) the
/// groups are processed independently and the pass-through group is average-pooled to the new resolution; in later
/// blocks each 3x3 conv also receives the previous group's output (the hierarchical residual of Res2Net).
/// </summary>
public sealed class Bottle2neck : nn.Module<Tensor, Tensor>
{
    public const int Expansion = 4;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ModuleList<Conv2d> convs;
    private readonly ModuleList<BatchNorm2d> bns;
    private readonly AvgPool2d? pool;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample;

    private readonly int width;
    private readonly int scale;
    private readonly bool isFirst;

    public Bottle2neck(int inplanes, int planes, int stride, Sequential? downsample, int splitWidth, int scale)
        : base(nameof(Bottle2neck))
    {
        width = splitWidth;
        this.scale = scale;
        // timm: is_first = stride > 1 or downsample is not None.
        isFirst = stride > 1 || downsample is not null;

        conv1 = nn.Conv2d(inplanes, width * scale, 1, bias: false);
        bn1 = nn.BatchNorm2d(width * scale);
        var convList = new List<Conv2d>();
        var bnList = new List<BatchNorm2d>();
        for (var i = 0; i < scale - 1; i++)
        {
            convList.Add(nn.Conv2d(width, width, 3, stride: stride, padding: 1, bias: false));
            bnList.Add(nn.BatchNorm2d(width));
        }
        convs = nn.ModuleList(convList.ToArray());
        bns = nn.ModuleList(bnList.ToArray());
        // Padding counted in the average (count_include_pad=True): timm keeps it so the original weights still fit
        // ("FIXME this should probably have count_include_pad=False, but hurts original weights").
        if (isFirst) pool = nn.AvgPool2d(3, stride: stride, padding: 1, count_include_pad: true);
        conv3 = nn.Conv2d(width * scale, planes * Expansion, 1, bias: false);
        bn3 = nn.BatchNorm2d(planes * Expansion);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = nn.functional.relu(bn1.call(conv1.call(x)));
        var splits = output.split(width, 1);
        var outputs = new Tensor[scale];
        Tensor? branch = null;
        for (var i = 0; i < scale - 1; i++)
        {
            branch = i == 0 || isFirst ? splits[i] : branch! + splits[i];
            branch = nn.functional.relu(bns[i].call(convs[i].call(branch)));
            outputs[i] = branch;
        }
        outputs[scale - 1] = isFirst ? pool!.call(splits[scale - 1]) : splits[scale - 1];
        output = bn3.call(conv3.call(cat(outputs, 1)));
        var residual = downsample is null ? x : downsample.call(x);
        return nn.functional.relu(output + residual).MoveToOuterDisposeScope();
    }
}
