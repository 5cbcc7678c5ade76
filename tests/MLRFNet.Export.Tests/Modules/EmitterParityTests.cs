using MLRFNet.Export.Tests.Support;
using Xunit.Abstractions;

namespace MLRFNet.Export.Tests.Modules;

/// <summary>
/// Each emitter's graph, run in ONNX Runtime with all optimizations, against the PyTorch module it replaces
/// (make_graph_references.py; same seeded weights, eval-mode BatchNorms with random running statistics).
/// </summary>
public sealed class EmitterParityTests(ITestOutputHelper output)
{
    // timm/torchvision golden-tensor tolerance for FP32 (atol 1e-4); both sides compute in float32.
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("res2net_first")]   // stride 2, downsample, pooled last group (count_include_pad on a 15×15 map)
    [InlineData("res2net_normal")]  // stride 1, hierarchical adds between groups, identity residual
    [InlineData("eca")]             // kernel 5 across 32 channels
    [InlineData("csra_max")]        // T = 99: spatial max attention
    [InlineData("csra_softmax")]    // T = 2: softmax-weighted attention
    [InlineData("gap_fc")]          // ablation head
    [InlineData("resnet_bottleneck_first")]   // torchvision Bottleneck: stride in conv2, projection shortcut
    [InlineData("resnet_bottleneck_normal")]  // identity shortcut
    [InlineData("basic_block_first")]         // torchvision BasicBlock: stride in conv1, projection shortcut
    [InlineData("basic_block_normal")]        // identity shortcut
    [InlineData("gap_fc_cam", "output", "class_map")]  // GAP+FC logits and its class activation map
    public void Emitted_graph_matches_pytorch(string caseName, params string[] outputNames)
    {
        var reference = GraphReferences.Instance[caseName];
        var model = ReferenceGraphs.Build(caseName).ToBytes();
        var results = OrtRunner.Run(model, reference.Input, reference.InputShape);
        foreach (var name in outputNames.Length == 0 ? ["output"] : outputNames)
        {
            var result = results[name];
            var expected = reference.Output(name);
            Assert.Equal(expected.Shape.Select(d => (long)d), result.Shape);
            var diff = OrtRunner.MaxAbsDifference(result.Values, expected.Values);
            output.WriteLine($"{caseName}/{name}: max |ORT - PyTorch| = {diff:E2} over {expected.Values.Length} values");
            Assert.InRange(diff, 0, Tolerance);
        }
    }

    [Fact]
    public void Batch_dimension_is_symbolic_one_and_three_images_run_through_the_same_graph()
    {
        // Catches: a Reshape that bakes in the batch size (e.g. [2, C, -1] instead of [0, C, -1]).
        var reference = GraphReferences.Instance["csra_softmax"];
        var model = ReferenceGraphs.Build("csra_softmax").ToBytes();
        var s = reference.InputShape;
        var one = reference.Input.AsSpan(0, s[1] * s[2] * s[3]).ToArray();
        var single = OrtRunner.Run(model, one, [1, s[1], s[2], s[3]])["output"];
        Assert.Equal([1L, 14], single.Shape);
        Assert.InRange(OrtRunner.MaxAbsDifference(single.Values, reference.Output().Values[..14]), 0, Tolerance);

        float[] three = [.. reference.Input, .. one];
        var triple = OrtRunner.Run(model, three, [3, s[1], s[2], s[3]])["output"];
        Assert.Equal([3L, 14], triple.Shape);
        Assert.InRange(OrtRunner.MaxAbsDifference(triple.Values[28..], reference.Output().Values[..14]), 0, Tolerance);
    }
}
