// Modelled on the CSRA reference code (Zhu & Wu, "Residual Attention", ICCV 2021),
// https://github.com/Kevinz-code/CSRA/blob/master/pipeline/csra.py ; the field name head matches its state_dict.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Training.Models.Heads;

/// <summary>
/// Class-specific residual attention: a bias-free 1x1 conv scores every position for every class, each class's
/// score divided by the L2 norm of that class's weights. The logit is the spatial mean (base) plus lambda times the
/// attention logit: the spatial max when T = 99, else the softmax(T x score)-weighted sum of the scores.
/// </summary>
public sealed class ClassSpecificResidualAttention : nn.Module<Tensor, Tensor>
{
    /// <summary>T = 99 selects max pooling, the T → ∞ limit of softmax weighting, as in the CSRA reference code.</summary>
    public const float MaxPoolingTemperature = 99f;

    private readonly Conv2d head;

    public ClassSpecificResidualAttention(int inputChannels, int numClasses, float temperature, float lambda)
        : base(nameof(ClassSpecificResidualAttention))
    {
        if (numClasses < 1) throw new ArgumentException($"CSRA needs at least one class (got {numClasses}).");
        if (!(temperature > 0) || !float.IsFinite(temperature))
            throw new ArgumentException($"CSRA temperature must be a positive number, 99 for max pooling (got {temperature}).");
        if (!float.IsFinite(lambda) || lambda < 0) throw new ArgumentException($"CSRA lambda must be finite and non-negative (got {lambda}).");
        Temperature = temperature;
        Lambda = lambda;
        head = nn.Conv2d(inputChannels, numClasses, 1, bias: false);
        RegisterComponents();
    }

    public float Temperature { get; }

    public float Lambda { get; }

    /// <summary>Normalised class scores per position, [B, classes, H, W]; the heatmaps.</summary>
    public Tensor ScoreMap(Tensor x)
    {
        using var scope = NewDisposeScope();
        // Weight [classes, C, 1, 1] -> norm over C -> [classes, 1, 1, 1] -> [1, classes, 1, 1].
        var norm = head.weight!.norm(1, keepdim: true).transpose(0, 1);
        return (head.call(x) / norm).MoveToOuterDisposeScope();
    }

    /// <summary>base + lambda x attention logits, [B, classes], from a <see cref="ScoreMap"/>.</summary>
    public Tensor Pool(Tensor scoreMap)
    {
        using var scope = NewDisposeScope();
        var score = scoreMap.flatten(2);                      // [B, classes, H*W]
        var baseLogit = score.mean([2]);
        var attentionLogit = Temperature == MaxPoolingTemperature
            ? score.max(2).values
            : (score * nn.functional.softmax(score * Temperature, 2)).sum(2);
        return (baseLogit + Lambda * attentionLogit).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Pool(ScoreMap(x)).MoveToOuterDisposeScope();
    }
}
