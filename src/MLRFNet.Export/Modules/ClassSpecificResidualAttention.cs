// Modelled on the CSRA reference code (https://github.com/Kevinz-code/CSRA/blob/master/pipeline/csra.py).
using MLRFNet.Export.Graph;
using MLRFNet.Training.Models.Heads;
using TorchSharp.Modules;
using static MLRFNet.Export.Modules.ModuleMappingContext;
using static MLRFNet.Export.Modules.TorchModules;

namespace MLRFNet.Export.Modules;

/// <summary>
/// One CSRA head (Zhu and Wu, "Residual Attention: A Simple but Effective Method for Multi-Label Recognition",
/// ICCV 2021). The class scores are a bias-free 1×1 conv whose output for class c is divided by ‖W_c‖; the logit is
/// base + λ·attention with base the spatial mean of the scores and attention their spatial max when
/// <see cref="Temperature"/> is 99, else the softmax(T·score)-weighted sum.
/// </summary>
/// <param name="Weight">The 1×1 conv weights [C, d, 1, 1] (or [C, d]).</param>
/// <param name="ClassMapName">When set, the score map [N, C, H, W] gets exactly this tensor name (e.g. <c>class_map_u4</c>) so the caller can expose it as a graph output.</param>
public sealed record ClassSpecificResidualAttentionSpec(FloatTensor Weight, float Temperature, float Lambda, string? ClassMapName = null) : IModuleSpec
{
    /// <summary>T = 99 means max pooling, as in the CSRA reference code.</summary>
    public const float MaxPoolingTemperature = 99f;

    public string Kind => ClassSpecificResidualAttentionExport.KindName;
    public int Classes => Weight.Shape[0];
}

/// <summary>
/// Writes a CSRA head: Conv (weights pre-divided by their class norms) → Reshape [N, C, HW] → ReduceMean, and
/// ReduceMax or Mul/Softmax/Mul/ReduceSum → base + λ·attention. Returns the logits [N, C]. Mapping: the 1×1 conv
/// <c>head</c> (bias-free) plus T and λ, which the module carries itself.
/// </summary>
public sealed class ClassSpecificResidualAttentionExport : ModuleExport<ClassSpecificResidualAttention, ClassSpecificResidualAttentionSpec>
{
    public const string KindName = "csra";

    public override string Kind => KindName;

    protected override ClassSpecificResidualAttentionSpec Map(ModuleMappingContext context, ClassSpecificResidualAttention module, string path)
    {
        var head = Child<Conv2d>(module, "head", path);
        var spec = context.Conv(head, Join(path, "head"));
        if (spec.Bias is not null || spec.Weight.Shape[2] != 1 || spec.Stride != 1 || spec.Padding != 0 || spec.Groups != 1)
            throw new NotSupportedException($"CSRA head '{path}.head' must be a bias-free 1×1 conv with stride 1 and no padding.");
        return new ClassSpecificResidualAttentionSpec(spec.Weight, module.Temperature, module.Lambda);
    }

    protected override string Emit(EmitContext context, ClassSpecificResidualAttentionSpec m, string input)
    {
        var g = context.Graph;
        var score = g.Conv(input, NormalizedWeight(m.Weight), bias: null, hint: "head");
        if (m.ClassMapName is { } mapName) score = g.Identity(score, mapName);
        var flat = g.Reshape(score, 0, 0, -1);
        var baseLogit = g.ReduceMean(flat, [2], keepDims: false);
        var attention = m.Temperature == ClassSpecificResidualAttentionSpec.MaxPoolingTemperature
            ? g.ReduceMax(flat, [2], keepDims: false)
            : g.ReduceSum(g.Mul(flat, g.Softmax(g.Scale(flat, m.Temperature, "temperature"), axis: 2)), [2], keepDims: false);
        return g.Add(baseLogit, g.Scale(attention, m.Lambda, "lambda"));
    }

    /// <summary>
    /// Folds the reference's <c>head(x) / ‖head.weight‖</c> (L2 norm over the input channels of each class) into the
    /// weights: conv(x, W)/‖W_c‖ = conv(x, W/‖W_c‖) because the conv is linear and bias-free.
    /// </summary>
    public static FloatTensor NormalizedWeight(FloatTensor weight)
    {
        var shape = weight.Rank switch
        {
            4 when weight.Shape[2] == 1 && weight.Shape[3] == 1 => weight.Shape,
            2 => [weight.Shape[0], weight.Shape[1], 1, 1],
            _ => throw new ArgumentException($"CSRA head weight must be [C, d, 1, 1] or [C, d] (got {weight})."),
        };
        var classes = shape[0];
        var d = shape[1];
        var result = new float[weight.Values.Length];
        for (var c = 0; c < classes; c++)
        {
            double sum = 0;
            for (var i = 0; i < d; i++) sum += (double)weight.Values[c * d + i] * weight.Values[c * d + i];
            var norm = Math.Sqrt(sum);
            if (!(norm > 0)) throw new ArgumentException($"CSRA head weight of class {c} is all zero; its class norm cannot divide.");
            for (var i = 0; i < d; i++) result[c * d + i] = (float)(weight.Values[c * d + i] / norm);
        }
        return new FloatTensor(result, shape);
    }
}
