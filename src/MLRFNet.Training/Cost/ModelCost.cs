using MLRFNet.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Training.Cost;

/// <summary>Size and compute of a variant at one input size.</summary>
/// <param name="MultiplyAccumulates">Conv and linear multiply-accumulates for one image (batch 1).</param>
/// <param name="MultiplyAccumulatesByPart">The same split by top-level module (backbone, eca2..4, classifier).</param>
public sealed record ModelCost(
    string Variant,
    int NumClasses,
    int InputSize,
    long Parameters,
    long BackboneParameters,
    long MultiplyAccumulates,
    IReadOnlyDictionary<string, long> MultiplyAccumulatesByPart)
{
    /// <summary>
    /// Counts from the module tree: parameters by summing every parameter tensor; multiply-accumulates by running one
    /// zero image through the model with a forward hook on every Conv1d/Conv2d (output elements x input channels per
    /// group x kernel size) and Linear (output elements x input features). BatchNorm, activations, pooling, the CSRA
    /// normalisation and the ECA gating are not counted: the convention of torchvision's published figures (its
    /// ResNet-50 "4.09 GFLOPS" is this count) and of the paper's "4.29 G".
    /// </summary>
    public static ModelCost Measure(ModelVariant variant, int numClasses = 14, int inputSize = 224)
    {
        if (inputSize < 32) throw new ArgumentException($"Input size must be at least 32 (five stride-2 stages); got {inputSize}.");
        using var model = new MLRFNetModel(variant, numClasses);
        model.eval();
        var byPart = new Dictionary<string, long>(StringComparer.Ordinal);
        var removers = new List<Action>();
        foreach (var (name, module) in model.named_modules())
        {
            var part = name.Split('.')[0];
            Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor> hook = (m, _, output) =>
            {
                var macs = m switch
                {
                    Conv2d c => output.numel() * (c.in_channels / c.groups) * c.kernel_size.Aggregate(1L, (a, b) => a * b),
                    Conv1d c => output.numel() * (c.in_channels / c.groups) * c.kernel_size.Aggregate(1L, (a, b) => a * b),
                    Linear l => output.numel() * l.in_features,
                    _ => 0L,
                };
                byPart[part] = byPart.GetValueOrDefault(part) + macs;
                return output;
            };
            switch (module)
            {
                case Conv2d conv: removers.Add(conv.register_forward_hook(hook).remove); break;
                case Conv1d conv: removers.Add(conv.register_forward_hook(hook).remove); break;
                case Linear linear: removers.Add(linear.register_forward_hook(hook).remove); break;
            }
        }
        using (no_grad())
        using (var input = zeros(1, 3, inputSize, inputSize))
        using (var output = model.ForwardWithScoreMaps(input)) { }
        foreach (var remove in removers) remove();

        return new ModelCost(variant.Name, numClasses, inputSize,
            model.parameters().Sum(p => p.numel()), model.Backbone.parameters().Sum(p => p.numel()),
            byPart.Values.Sum(), byPart);
    }

    /// <summary>One line per figure, for <c>mlrfnet info</c>.</summary>
    public string Describe() =>
        $"variant {Variant}: {Parameters:N0} parameters ({BackboneParameters:N0} in the backbone), " +
        $"{MultiplyAccumulates / 1e9:F3} G multiply-accumulates at {InputSize}x{InputSize} with {NumClasses} classes" +
        $" ({string.Join(", ", MultiplyAccumulatesByPart.Select(kv => $"{kv.Key} {kv.Value / 1e9:F4} G"))})";
}
