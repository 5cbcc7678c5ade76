using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Operators;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Tests.Quantization.Operators;

/// <summary>The op quantizers, exercised on branch_ops.onnx (one node of most registered op types).</summary>
public class QuantizerRegistryTests
{
    private static readonly Lazy<ModelProto> branchS8S8 = new(() => Quantize(QuantizationScheme.S8S8));
    private static readonly Lazy<ModelProto> branchU8S8 = new(() => Quantize(QuantizationScheme.U8S8));

    private static ModelProto Quantize(QuantizationScheme scheme)
    {
        var reader = new TensorListDataReader("input", [3, 32, 32], TestModels.RandomImages(32, 3, 32, seed: 1), batchSize: 8);
        var model = QdqQuantizer.Quantize(OnnxModelFile.Load(TestModels.BranchOps), reader, new QuantizationOptions { Scheme = scheme }).Model;
        OnnxModelFile.Save(model, Path.Combine(TestModels.OutputFolder("branch"), $"branch_ops_{scheme}.onnx"));
        return model;
    }

    [Fact]
    public void Registry_RejectsASecondQuantizerForAnOpType()
    {
        var registry = new QuantizerRegistry().Add("Conv", new ConvQuantizer());
        var e = Assert.Throws<ArgumentException>(() => registry.Add("Conv", new ConvQuantizer()));
        Assert.Contains("already has a quantizer", e.Message);
        Assert.True(QuantizerRegistry.Default.TryGet("Concat", out _));
        Assert.False(QuantizerRegistry.Default.TryGet("Resize", out _));
    }

    [Fact]
    public void Split_OutputsShareTheInputParameters()
    {
        // ORT's SplitSelector fuses only when all outputs share the input's scale and zero point.
        var model = branchS8S8.Value;
        Assert.Equal("stem_relu_scale", model.Node("split_a_QuantizeLinear").Input[1]);
        Assert.Equal("stem_relu_scale", model.Node("split_b_QuantizeLinear").Input[1]);
        Assert.Equal("DequantizeLinear", model.Producer(model.Node("split").Input[0])!.OpType);
        Assert.Equal("split_sizes", model.Node("split").Input[1]);
    }

    [Fact]
    public void BinaryOp_QuantizesAConstantOperandAsAnInitializer()
    {
        var model = branchS8S8.Value;
        var gate = model.Node("gate");
        Assert.Equal("gate.scale_DequantizeLinear_Output", gate.Input[1]);
        Assert.Equal((int)TensorProto.Types.DataType.Int8, model.Initializer("gate.scale_quantized").DataType);
        Assert.Equal("QuantizeLinear", model.Consumers(gate.Output[0]).Single().OpType);
    }

    [Fact]
    public void ConcatSigmoidAndPools_AreQuantizedAsUnits()
    {
        var model = branchU8S8.Value;
        Assert.All(model.Node("concat").Input, i => Assert.Equal("DequantizeLinear", model.Producer(i)!.OpType));
        Assert.Equal("DequantizeLinear", model.Producer(model.Node("squash").Input[0])!.OpType);
        Assert.Equal("QuantizeLinear", model.Consumers("squashed").Single().OpType);
        Assert.Equal("joined_scale", model.Node("pooled_QuantizeLinear").Input[1]);
        Assert.Equal("QuantizeLinear", model.Consumers("gap_out").Single().OpType);
    }

    [Fact]
    public void MatMul_WeightPerTensor_AndTheFloatHeadIsNotFedInt8()
    {
        // The head's Add produces "logits", read only by the output Sigmoid kept float: its Q/DQ would give the
        // probabilities 256 levels, so it is pruned, and with it the Add's unit (head_mm and head.bias stay float).
        var model = branchS8S8.Value;
        var weightDq = model.Producer(model.Node("head_matmul").Input[1])!;
        Assert.Empty(weightDq.Attribute);
        Assert.Empty(model.Initializer(weightDq.Input[1]).Dims);
        Assert.Equal(["head_mm", "head.bias"], model.Node("head_bias").Input);
        Assert.Equal("head_bias", model.Producer("logits")!.Name);
        Assert.Equal("logits", model.Node("sigmoid").Input[0]);
    }

    [Fact]
    public void BranchModels_RunAndStayCloseToFloat()
    {
        var images = TestModels.Batch("input", TestModels.RandomImages(32, 3, 32, seed: 9), 3, 32);
        using var reference = OrtModelRunner.Create(TestModels.BranchOps);
        var expected = reference.Run([images], ["probabilities"])[0].Data;
        foreach (var model in new[] { branchS8S8.Value, branchU8S8.Value })
        {
            using var runner = OrtModelRunner.Create(model);
            var actual = runner.Run([images], ["probabilities"])[0].Data;
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 0.05 + 1e-2 * expected[i], $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }
}
