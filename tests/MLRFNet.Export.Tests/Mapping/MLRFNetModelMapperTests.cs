using MLRFNet.Export.Modules;
using MLRFNet.Export.Tests.Support;
using MLRFNet.Training.Models;
using MLRFNet.Training.Models.Heads;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Export.Tests.Mapping;

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
        var first = stages.Select(s => (Bottle2neckSpec)s.Modules[0]).ToArray();
        Assert.Equal([1, 2, 2, 2], first.Select(b => b.Stride));
        Assert.All(first, b => Assert.True(b.IsFirst)); // layer1.0 has a downsample (16 → 64 channels)
        Assert.All(stages, s => Assert.False(((Bottle2neckSpec)s.Modules[1]).IsFirst));
        Assert.All(first, b => Assert.Equal(4, b.Scale));
    }

    [Fact]
    public void A_module_type_without_an_export_fails_with_its_path()
    {
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 63);
        var registry = WithoutEca().Register(new ClassSpecificResidualAttentionExport()).Register(new MultiLevelResidualClassifierExport());
        var e = Assert.Throws<NotSupportedException>(() => MLRFNetModelMapper.Map(model, registry));
        Assert.Contains("'eca2'", e.Message);
        Assert.Contains(nameof(EcaModule), e.Message);
    }

    [Fact]
    public void A_mapping_that_drops_weights_fails_the_coverage_check()
    {
        // Catches: a mapping that returns a spec without reading the module's tensors (the export would silently use
        // made-up weights).
        using var model = RandomModels.Create("mlrfnet-tiny", 14, seed: 64);
        var registry = WithoutEca().Register(new ClassSpecificResidualAttentionExport()).Register(new MultiLevelResidualClassifierExport())
            .Register(new IdentityEcaExport());
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
        var context = new ModuleMappingContext(ModuleRegistry.CreateDefault(), other);
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
            new ModuleMappingContext(ModuleRegistry.CreateDefault(), other).Map(block, "backbone.layer3.1"));
        Assert.Contains("scale 4 but variant 'mlrfnet-tiny' says 8", e.Message);
    }

    [Fact]
    public void Registry_refuses_a_second_export_for_a_module_type()
    {
        var e = Assert.Throws<ArgumentException>(() => ModuleRegistry.CreateDefault().Register(new IdentityEcaExport("identity_eca")));
        Assert.Contains("EcaModule is already registered", e.Message);
    }

    private static ModuleRegistry WithoutEca() => new ModuleRegistry()
        .Register(new Conv2dExport()).Register(new SequentialExport()).Register(new MaxPool2dExport()).Register(new AvgPool2dExport())
        .Register(new Bottle2neckExport());

    private static float[] Values(Tensor t) => t.detach().cpu().data<float>().ToArray();

    /// <summary>Maps every ECA to an identity-like kernel without reading its weights.</summary>
    private sealed class IdentityEcaExport(string kind = EcaModuleExport.KindName) : ModuleExport<EcaModule, EcaModuleSpec>
    {
        public override string Kind => kind;

        protected override EcaModuleSpec Map(ModuleMappingContext context, EcaModule module, string path) => new([0f, 1f, 0f]);

        protected override string Emit(EmitContext context, EcaModuleSpec spec, string input) => throw new NotSupportedException("mapping only");
    }
}
