using MLRFNet.Onnx.Emitters;
using MLRFNet.Onnx.Mapping;
using MLRFNet.Onnx.Tests.Support;
using MLRFNet.Training.Models;
using MLRFNet.Training.Models.Heads;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Onnx.Tests.Mapping;

/// <summary>The TorchSharp side of the export: what the mappers read, and what they refuse.</summary>
public sealed class MLRFNetModelMapperTests
{
    [Fact]
    public void Folded_batchnorm_carries_the_modules_running_statistics_affine_parameters_and_epsilon()
    {
        // Catches: a fold from the wrong buffers (weight for running_var, ...) or a default epsilon instead of the module's.
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 61);
        var spec = MLRFNetModelMapper.Map(model);
        var bn = (BatchNorm2d)model.named_modules().Single(m => m.name == "backbone.bn1").module;
        var folded = spec.StemConv.BatchNorm!;
        Assert.Equal(Values(bn.running_mean!), folded.RunningMean);
        Assert.Equal(Values(bn.running_var!), folded.RunningVar);
        Assert.Equal(Values(bn.weight!), folded.Gamma);
        Assert.Equal(Values(bn.bias!), folded.Beta);
        Assert.Equal((float)bn.eps, folded.Epsilon);
        Assert.NotEqual(Values(bn.running_var!), Enumerable.Repeat(1f, 16).ToArray()); // the statistics are not the defaults
        Assert.Equal(new MaxPool2dSpec(3, 2, 1), spec.StemPool);
    }

    [Fact]
    public void Stride_and_stage_first_blocks_come_from_the_modules()
    {
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 62);
        var stages = MLRFNetModelMapper.Map(model).Stages.Cast<SequentialSpec>().ToArray();
        var first = stages.Select(s => (Res2NetBottleneckSpec)s.Modules[0]).ToArray();
        Assert.Equal([1, 2, 2, 2], first.Select(b => b.Stride));
        Assert.All(first, b => Assert.True(b.IsFirst)); // layer1.0 has a downsample (16 → 64 channels)
        Assert.All(stages, s => Assert.False(((Res2NetBottleneckSpec)s.Modules[1]).IsFirst));
        Assert.All(first, b => Assert.Equal(4, b.Scale));
    }

    [Fact]
    public void A_module_type_without_a_mapper_fails_with_its_path()
    {
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 63);
        var registry = WithoutEca().Register(new ClassSpecificResidualAttentionMapper()).Register(new MultiLevelResidualClassifierMapper());
        var e = Assert.Throws<NotSupportedException>(() => MLRFNetModelMapper.Map(model, registry));
        Assert.Contains("'eca2'", e.Message);
        Assert.Contains(nameof(EcaModule), e.Message);
    }

    [Fact]
    public void A_mapper_that_drops_weights_fails_the_coverage_check()
    {
        // Catches: a mapper that returns a spec without reading the module's tensors (the export would silently use
        // made-up weights).
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 64);
        var registry = WithoutEca().Register(new ClassSpecificResidualAttentionMapper()).Register(new MultiLevelResidualClassifierMapper())
            .Register(new IdentityEcaMapper());
        var e = Assert.Throws<NotSupportedException>(() => MLRFNetModelMapper.Map(model, registry));
        Assert.Contains("3 state_dict entries would not be exported", e.Message);
        Assert.Contains("eca2.conv.weight", e.Message);
    }

    [Fact]
    public void Csra_lambda_or_temperature_that_disagree_with_the_variant_are_refused()
    {
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 65);
        var classifier = model.named_children().Single(c => c.name == "classifier").module;
        var other = model.Variant with { Head = new HeadConfig(HeadKind.MultiLevelResidual, [0.5f, 0.3f, 0.2f], 99f) };
        var context = new ModuleMappingContext(ModuleMapperRegistry.CreateDefault(), other);
        var e = Assert.Throws<NotSupportedException>(() => context.Map(classifier, "classifier"));
        Assert.Contains("'classifier.csra.2'", e.Message);
        Assert.Contains("λ = 0.1", e.Message);
    }

    [Fact]
    public void Res2net_scale_that_disagrees_with_the_variant_is_refused()
    {
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 66);
        var block = model.named_modules().Single(m => m.name == "backbone.layer3.1").module;
        var other = model.Variant with { Backbone = model.Variant.Backbone with { Scale = 8 } };
        var e = Assert.Throws<NotSupportedException>(() =>
            new ModuleMappingContext(ModuleMapperRegistry.CreateDefault(), other).Map(block, "backbone.layer3.1"));
        Assert.Contains("scale 4 but variant 'mlrfnet-tiny' says 8", e.Message);
    }

    [Fact]
    public void Registry_refuses_a_second_mapper_for_a_type()
    {
        var e = Assert.Throws<ArgumentException>(() => ModuleMapperRegistry.CreateDefault().Register(new EcaModuleMapper()));
        Assert.Contains("EcaModule is already registered", e.Message);
    }

    private static ModuleMapperRegistry WithoutEca() => new ModuleMapperRegistry()
        .Register(new Conv2dMapper()).Register(new SequentialMapper()).Register(new MaxPool2dMapper()).Register(new AvgPool2dMapper())
        .Register(new Bottle2neckMapper());

    private static float[] Values(Tensor t) => t.detach().cpu().data<float>().ToArray();

    private sealed class IdentityEcaMapper : ModuleMapper<EcaModule>
    {
        protected override IModuleSpec Map(ModuleMappingContext context, EcaModule module, string path) => new EcaModuleSpec([0f, 1f, 0f]);
    }
}
