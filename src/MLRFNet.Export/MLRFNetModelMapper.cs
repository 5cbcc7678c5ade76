using MLRFNet.Training.Models;
using MLRFNet.Training.Models.Backbones;
using MLRFNet.Training.Models.Heads;
using TorchSharp;
using static TorchSharp.torch;
using TorchSharp.Modules;
using MLRFNet.Export.Modules;
using static MLRFNet.Export.Modules.TorchModules;

namespace MLRFNet.Export;

/// <summary>
/// Walks an <see cref="MLRFNetModel"/> by its registered children (the state_dict layout: <c>backbone.conv1/bn1/
/// maxpool/layer1..4</c>, <c>eca2..4</c>, <c>classifier</c>) and maps every module through the registry. It knows
/// only the model's dataflow (MLRFNetModel.ForwardWithScoreMaps and ResNetBackbone.forward); blocks, attention and
/// heads are whatever module exports are registered for their types. Afterwards every state_dict entry must have been read
/// (BatchNorm batch counters aside), so a module no mapper knows about fails the export instead of vanishing.
/// </summary>
public static class MLRFNetModelMapper
{
    public static MLRFNetGraphSpec Map(MLRFNetModel model, ModuleRegistry? modules = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var context = new ModuleMappingContext(modules ?? ModuleRegistry.CreateDefault(), model.Variant);

        const string b = "backbone";
        var backbone = Child<ResNetBackbone>(model, b, "");
        var stemConv = Child<Conv2d>(backbone, "conv1", b);
        var stem = context.ConvBatchNorm(stemConv, $"{b}.conv1", Child<BatchNorm2d>(backbone, "bn1", b), $"{b}.bn1");
        var pool = context.Map(Child<MaxPool2d>(backbone, "maxpool", b), $"{b}.maxpool");
        var stages = Enumerable.Range(1, 4).Select(s => context.Map(Child<Sequential>(backbone, $"layer{s}", b), $"{b}.layer{s}")).ToArray();

        var classifier = Child<nn.Module>(model, "classifier", "");
        if (classifier is not IMultiLevelHead head)
            throw new NotSupportedException($"The classifier is a {classifier.GetType().Name}, which does not say which backbone levels it reads (IMultiLevelHead).");
        var levels = head.Levels.ToArray();
        var attention = levels.Select(level =>
        {
            var name = $"eca{level + 2}";
            return OptionalChild<EcaModule>(model, name, "") is { } eca ? context.Map(eca, name) : null;
        }).ToArray();
        if (attention.Any(a => (a is not null) != model.Variant.UseEca))
            throw new NotSupportedException(
                $"Variant '{model.Variant.Name}' has UseEca = {model.Variant.UseEca}, but the model has ECA on " +
                $"{attention.Count(a => a is not null)} of its {levels.Length} head levels.");
        var headSpec = context.Map(classifier, "classifier");

        var unexported = context.UnexportedEntries(model);
        if (unexported.Count > 0)
            throw new NotSupportedException(
                $"{unexported.Count} state_dict entries would not be exported (e.g. {string.Join(", ", unexported.Take(5))}): " +
                "the model has modules the exporter's dataflow does not include. Extend MLRFNetModelMapper for them.");

        return new MLRFNetGraphSpec(checked((int)stemConv.in_channels), stem, pool, stages, levels, attention, headSpec).Validate();
    }
}
