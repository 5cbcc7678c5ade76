using MLRFNet.Export.Modules;
using MLRFNet.Export.Graph;

namespace MLRFNet.Export.Tests.Modules;

public sealed class ModuleRegistryTests
{
    [Fact]
    public void Default_registry_holds_every_built_in_kind()
    {
        Assert.Equal(
            ["avg_pool2d", "basic_block", "bottle2neck", "bottleneck", "conv2d", "csra", "eca", "global_average_pool_classifier",
             "max_pool2d", "multi_level_residual_classifier", "relu", "sequential"],
            ModuleRegistry.CreateDefault().Kinds.Order());
    }

    [Fact]
    public void Default_registry_maps_every_module_type_the_registered_variants_are_built_from()
    {
        // Catches: a module export registered for its emitter but bound to the wrong TorchSharp type (the mapping
        // side would then miss a module of every model that uses it).
        Assert.Equal(
            [typeof(TorchSharp.Modules.AvgPool2d), typeof(MLRFNet.Training.Models.Backbones.BasicBlock), typeof(MLRFNet.Training.Models.Backbones.Bottle2neck),
             typeof(MLRFNet.Training.Models.Backbones.Bottleneck), typeof(MLRFNet.Training.Models.Heads.ClassSpecificResidualAttention),
             typeof(TorchSharp.Modules.Conv2d), typeof(MLRFNet.Training.Models.EcaModule), typeof(MLRFNet.Training.Models.Heads.GlobalAveragePoolClassifier),
             typeof(TorchSharp.Modules.MaxPool2d), typeof(MLRFNet.Training.Models.Heads.MultiLevelResidualClassifier), typeof(TorchSharp.Modules.ReLU),
             typeof(TorchSharp.Modules.Sequential)],
            ModuleRegistry.CreateDefault().ModuleTypes.OrderBy(t => t.Name, StringComparer.Ordinal));
    }

    [Fact]
    public void Registering_a_kind_twice_throws()
    {
        var registry = ModuleRegistry.CreateDefault();
        var e = Assert.Throws<ArgumentException>(() => registry.Register(new ReluExport()));
        Assert.Contains("'relu' is already registered", e.Message);
    }

    [Fact]
    public void An_unknown_kind_names_the_known_ones()
    {
        var registry = new ModuleRegistry().Register(new ReluExport());
        var g = new OnnxGraphBuilder("g");
        var x = g.AddInput("x", "N", 1);
        var e = Assert.Throws<KeyNotFoundException>(() => registry.Emit(new EmitContext(g, registry), new MaxPool2dSpec(2, 2), x));
        Assert.Contains("'max_pool2d'", e.Message);
        Assert.Contains("Known kinds: relu", e.Message);
    }

    [Fact]
    public void A_module_export_refuses_a_spec_of_another_type()
    {
        var g = new OnnxGraphBuilder("g");
        var x = g.AddInput("x", "N", 1);
        var e = Assert.Throws<ArgumentException>(() =>
            new ReluExport().Emit(new EmitContext(g, ModuleRegistry.CreateDefault()), new MaxPool2dSpec(2, 2), [x]));
        Assert.Contains("ReluSpec", e.Message);
    }

    [Fact]
    public void Invalid_module_specs_fail_with_the_reason()
    {
        var g = new OnnxGraphBuilder("g");
        var context = new EmitContext(g, ModuleRegistry.CreateDefault());
        var x = g.AddInput("x", "N", 8, 4, 4);
        Conv2dSpec Conv(int o, int i, int k = 1, int stride = 1) => new(new FloatTensor(new float[o * i * k * k], o, i, k, k)) { Stride = stride, Padding = k / 2 };

        var twoConvs = new Bottle2neckSpec(Conv(8, 8), [Conv(2, 2, 3), Conv(2, 2, 3)], Conv(8, 8), null, Scale: 4);
        Assert.Contains("needs 3", Assert.Throws<ArgumentException>(() => context.Emit(twoConvs, x, "b")).Message);
        var changesShape = new Bottle2neckSpec(Conv(8, 8), [Conv(2, 2, 3), Conv(2, 2, 3), Conv(2, 2, 3)], Conv(16, 8), null, Scale: 4);
        Assert.Contains("without downsample", Assert.Throws<ArgumentException>(() => context.Emit(changesShape, x, "b")).Message);
        Assert.Contains("odd", Assert.Throws<ArgumentException>(() => context.Emit(new EcaModuleSpec([1f, 2f]), x, "e")).Message);
        Assert.Contains("all zero", Assert.Throws<ArgumentException>(() =>
            context.Emit(new ClassSpecificResidualAttentionSpec(new FloatTensor(new float[16], 2, 8, 1, 1), 99, 0.1f), x, "h")).Message);
    }

    [Fact]
    public void Multi_input_kinds_need_the_list_overload_and_single_input_kinds_take_exactly_one_input()
    {
        var g = new OnnxGraphBuilder("g");
        var registry = ModuleRegistry.CreateDefault();
        var context = new EmitContext(g, registry);
        var x = g.AddInput("x", "N", 8, 4, 4);
        var y = g.AddInput("y", "N", 8, 2, 2);
        var head = new ClassSpecificResidualAttentionSpec(new FloatTensor(Enumerable.Range(1, 16).Select(v => (float)v).ToArray(), 2, 8, 1, 1), 99, 0.1f);
        var mrfc = new MultiLevelResidualClassifierSpec([head, head]);

        Assert.Contains("reads several inputs", Assert.Throws<ArgumentException>(() => context.Emit(mrfc, x, "m")).Message);
        Assert.Contains("reads one input but was given 2", Assert.Throws<ArgumentException>(() => context.Emit(new ReluSpec(), [x, y], "r")).Message);
        Assert.Contains("2 CSRA heads but was given 1", Assert.Throws<ArgumentException>(() => context.Emit(mrfc, [x], "m")).Message);
        Assert.Contains("'multi_level_residual_classifier' is already registered",
            Assert.Throws<ArgumentException>(() => registry.Register(new MultiLevelResidualClassifierExport())).Message);
    }

    [Fact]
    public void Residual_block_specs_refuse_convs_that_do_not_chain()
    {
        var g = new OnnxGraphBuilder("g");
        var context = new EmitContext(g, ModuleRegistry.CreateDefault());
        var x = g.AddInput("x", "N", 8, 4, 4);
        Conv2dSpec Conv(int o, int i, int k = 1, int stride = 1) => new(new FloatTensor(new float[o * i * k * k], o, i, k, k)) { Stride = stride, Padding = k / 2 };

        var broken = new BottleneckSpec(Conv(4, 8), Conv(4, 5, 3), Conv(8, 4), null);
        Assert.Contains("conv2 takes 5 channels but conv1 produces 4", Assert.Throws<ArgumentException>(() => context.Emit(broken, x, "b")).Message);
        var strided = new BasicBlockSpec(Conv(8, 8, 3, stride: 2), Conv(8, 8, 3), null);
        Assert.Contains("without downsample must keep shape", Assert.Throws<ArgumentException>(() => context.Emit(strided, x, "c")).Message);
    }

    [Theory]
    [InlineData(64, 3)]    // |(6 + 1) / 2| = 3
    [InlineData(128, 5)]   // |(7 + 1) / 2| = 4 → next odd 5
    [InlineData(512, 5)]   // (9 + 1) / 2 = 5
    [InlineData(1024, 5)]  // 5.5 → 5
    [InlineData(2048, 7)]  // 6 → 7
    public void Eca_adaptive_kernel_size_follows_the_paper(int channels, int k) =>
        Assert.Equal(k, EcaModuleSpec.AdaptiveKernelSize(channels));
}
