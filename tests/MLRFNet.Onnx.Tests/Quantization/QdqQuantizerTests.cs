using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;
using Xunit.Abstractions;

namespace MLRFNet.Onnx.Tests.Quantization;

public class QdqQuantizerTests(QuantizedConvStack stack, ITestOutputHelper output) : IClassFixture<QuantizedConvStack>
{
    private static readonly string[] Convs = ["conv1", "conv2", "conv3", "conv4", "conv5"];

    [Fact]
    public void S8S8_QdqAroundEveryConv_PerChannelWeightsAndInt32Bias()
    {
        // Catches: a conv input, weight or bias left float; per-tensor instead of per-channel weights; a bias scale
        // that is not input_scale * weight_scale (ORT's QLinearConv would then compute a different bias).
        var model = stack.S8S8.Model;
        foreach (var name in Convs)
        {
            var conv = model.Node(name);
            Assert.All(conv.Input, i => Assert.Equal("DequantizeLinear", model.Producer(i)?.OpType));
            var weightDq = model.Producer(conv.Input[1])!;
            Assert.Equal(0, weightDq.Attribute.Single(a => a.Name == "axis").I);
            var weight = model.Initializer(weightDq.Input[0]);
            Assert.Equal((int)TensorProto.Types.DataType.Int8, weight.DataType);
            var weightScales = TensorData.ReadFloats(model.Initializer(weightDq.Input[1]));
            Assert.Equal(weight.Dims[0], weightScales.Length);
            Assert.All(TensorData.ReadIntegers(model.Initializer(weightDq.Input[2])), z => Assert.Equal(0, z));

            var inputDq = model.Producer(conv.Input[0])!;
            var inputScale = TensorData.ReadFloats(model.Initializer(inputDq.Input[1]))[0];
            var biasDq = model.Producer(conv.Input[2])!;
            Assert.Equal((int)TensorProto.Types.DataType.Int32, model.Initializer(biasDq.Input[0]).DataType);
            var biasScales = TensorData.ReadFloats(model.Initializer(biasDq.Input[1]));
            for (var c = 0; c < biasScales.Length; c++) Assert.Equal(inputScale * weightScales[c], biasScales[c]);

            // S8S8 keeps the Relu (zero point 0 can represent negatives): the conv output goes to QuantizeLinear only.
            Assert.All(model.Consumers(conv.Output[0]), c => Assert.Equal("QuantizeLinear", c.OpType));
        }
        Assert.Equal(5, model.Count("Relu"));
        // 15 activations with own or shared Q/DQ (input, 5 conv outputs, 5 relu outputs, add1, gap; pool1 and
        // flat sharing their input's parameters = 2 more), relu2_out feeds conv3 and add1 -> 2 dedicated pairs:
        // 16 QuantizeLinear; DequantizeLinear = 16 + 6 weights + 6 biases.
        Assert.Equal(16, model.Count("QuantizeLinear"));
        Assert.Equal(28, model.Count("DequantizeLinear"));
        Assert.All(model.Graph.Node.Where(n => n.OpType == "QuantizeLinear"),
            q => Assert.Equal((int)TensorProto.Types.DataType.Int8, model.Initializer(q.Input[2]).DataType));
    }

    [Fact]
    public void U8S8_FusesEveryReluIntoItsConv()
    {
        // Catches: Relu kept (no QLinearConv+Relu saving) or removed without its range taking over (negatives kept).
        var model = stack.U8S8.Model;
        Assert.Equal(0, model.Count("Relu"));
        Assert.Equal(["relu1", "relu2", "relu3", "relu4", "relu5"], stack.U8S8.FusedNodes);
        for (var k = 1; k <= 5; k++)
        {
            Assert.Equal($"relu{k}_out", model.Node($"conv{k}").Output[0]);
            var range = stack.U8S8.Ranges[$"relu{k}_out"];
            Assert.Equal(0f, range.Min);
            Assert.Equal(0, stack.U8S8.ActivationParameters[$"relu{k}_out"].ZeroPoint);
        }
        // input, relu1..5, add1, gap + pool1, flat shared = 10 pairs; DQ = 10 + 6 weights + 6 biases.
        Assert.Equal(10, model.Count("QuantizeLinear"));
        Assert.Equal(22, model.Count("DequantizeLinear"));
        Assert.All(model.Graph.Node.Where(n => n.OpType == "QuantizeLinear"),
            q => Assert.Equal((int)TensorProto.Types.DataType.Uint8, model.Initializer(q.Input[2]).DataType));
    }

    [Fact]
    public void SharedParameters_PoolAndFlattenReuseTheirInputScale()
    {
        var model = stack.S8S8.Model;
        Assert.Equal("relu1_out_scale", model.Node("pool1_out_QuantizeLinear").Input[1]);
        Assert.Equal("gap_out_scale", model.Node("flat_out_QuantizeLinear").Input[1]);
    }

    [Fact]
    public void GraphOutputs_StayFloat()
    {
        // Catches: int8 logits/probabilities (256 levels: ties that move the AUC the QA gate measures).
        foreach (var model in new[] { stack.S8S8.Model, stack.U8S8.Model })
        {
            Assert.Equal("Gemm", model.Producer("logits")!.OpType);
            Assert.Equal("Sigmoid", model.Producer("probabilities")!.OpType);
            Assert.Equal("logits", model.Node("sigmoid").Input[0]);
        }
    }

    [Fact]
    public void GraphOutputReadByAQuantizedNode_StaysFloatForTheCaller()
    {
        // relu4_out made a graph output: conv5 still reads it quantized, the caller still gets the float values.
        var model = stack.Float.Clone();
        model.Graph.Output.Add(new ValueInfoProto { Name = "relu4_out" });
        var result = QdqQuantizer.Quantize(model, stack.Reader(), new QuantizationOptions());
        Assert.Equal("Relu", result.Model.Producer("relu4_out")!.OpType);
        Assert.Equal("relu4_out_DequantizeLinear_Output", result.Model.Node("conv5").Input[0]);

        var quantizedOutputs = QdqQuantizer.Quantize(model, stack.Reader(), new QuantizationOptions { QuantizeGraphOutputs = true });
        Assert.Equal("DequantizeLinear", quantizedOutputs.Model.Producer("relu4_out")!.OpType);
        Assert.Equal("DequantizeLinear", quantizedOutputs.Model.Producer("logits")!.OpType);
    }

    [Theory]
    [InlineData(QuantizationScheme.U8S8, 0.05)]
    [InlineData(QuantizationScheme.S8S8, 0.10)]
    public void Int8Probabilities_CloseToFloat(QuantizationScheme scheme, double atol)
    {
        // ORT's quantization tests compare with rtol 1e-2, atol 0.05. S8S8 gets twice the atol: symmetric int8 spends
        // half its levels on negatives that a ReLU output never takes, doubling the step (7 effective bits).
        var reference = QuantizedConvStack.Probabilities(stack.Float);
        var candidate = QuantizedConvStack.Probabilities((scheme == QuantizationScheme.S8S8 ? stack.S8S8 : stack.U8S8).Model);
        var differences = reference.Zip(candidate, (r, c) => Math.Abs(r - c)).ToArray();
        output.WriteLine($"{scheme}: max |dp| {differences.Max():F4}, mean {differences.Average():F5}");
        for (var i = 0; i < reference.Length; i++)
            Assert.True(differences[i] <= atol + 1e-2 * Math.Abs(reference[i]), $"element {i}: float {reference[i]}, int8 {candidate[i]}");
        Assert.True(differences.Average() < 0.01, $"mean |dp| {differences.Average()}");
    }

    [Fact]
    public void ExcludedNode_KeepsFloatInputsWeightsAndOutput()
    {
        // Catches: exclusion that only skips the node's own marks while neighbours still feed it Q/DQ values.
        var result = QdqQuantizer.Quantize(stack.Float, stack.Reader(), new QuantizationOptions { ExcludedNodeNames = ["conv3"] });
        var conv3 = result.Model.Node("conv3");
        Assert.Equal(["relu2_out", "conv3.weight", "conv3.bias"], conv3.Input);
        Assert.Equal((int)TensorProto.Types.DataType.Float, result.Model.Initializer("conv3.weight").DataType);
        Assert.Contains("conv3", result.FloatNodes);
        Assert.Equal("DequantizeLinear", result.Model.Producer(result.Model.Node("conv2").Input[1])!.OpType);
    }

    [Theory]
    [InlineData("conv3")] // reads relu2_out
    [InlineData("add1")]  // reads relu2_out and relu3_out
    public void U8S8_ReluReadByAnExcludedNode_IsKept(string excluded)
    {
        // Catches: a Relu fused into its producer although a float (excluded) consumer reads its output; that
        // consumer then reads the producer's output before the Relu, negatives included. On the shipped model this
        // turned every fallback or --exclude-node run into noise (SQNR below 0 dB after the excluded layer).
        var options = new QuantizationOptions { Scheme = QuantizationScheme.U8S8, ExcludedNodeNames = [excluded] };
        var result = QdqQuantizer.Quantize(stack.Float, stack.Reader(), options);
        foreach (var input in result.Model.Node(excluded).Input.Where(i => i.StartsWith("relu", StringComparison.Ordinal)))
            Assert.Equal("Relu", result.Model.Producer(input)!.OpType);
        Assert.Contains("relu1", result.FusedNodes);

        var reference = QuantizedConvStack.Probabilities(stack.Float);
        var candidate = QuantizedConvStack.Probabilities(result.Model);
        var worst = reference.Zip(candidate, (r, c) => Math.Abs(r - c)).Max();
        output.WriteLine($"{excluded} float: max |dp| {worst:F4}");
        Assert.True(worst < 0.06, $"max |dp| {worst}");
    }

    [Fact]
    public void ExcludedOpType_LeavesEveryNodeOfThatType()
    {
        var result = QdqQuantizer.Quantize(stack.Float, stack.Reader(), new QuantizationOptions { ExcludedOpTypes = ["Add"] });
        Assert.Equal(["relu3_out", "relu2_out"], result.Model.Node("add1").Input);
        Assert.DoesNotContain("add1", result.QuantizedNodes);
    }

    [Fact]
    public void UnknownExcludedNode_IsRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            QdqQuantizer.Quantize(stack.Float, stack.Reader(), new QuantizationOptions { ExcludedNodeNames = ["conv33"] }));
        Assert.Contains("'conv33'", e.Message);
    }

    [Fact]
    public void OldOpset_AlreadyQuantizedAndEmptyReader_GiveTypedErrors()
    {
        var old = stack.Float.Clone();
        old.OpsetImport[0].Version = 11;
        var e = Assert.Throws<NotSupportedException>(() => QdqQuantizer.Quantize(old, stack.Reader()));
        Assert.Contains("opset 11", e.Message);
        Assert.Throws<InvalidDataException>(() => QdqQuantizer.Quantize(stack.S8S8.Model, stack.Reader()));
        Assert.Throws<ArgumentException>(() => new TensorListDataReader("input", [3, 64, 64], []));
    }

    [Fact]
    public void RangeCache_SkipsCalibrationAndGivesTheSameModel()
    {
        var cache = new Dictionary<string, TensorRange>();
        var first = QdqQuantizer.Quantize(stack.Float, stack.Reader(), new QuantizationOptions(), cache);
        var second = QdqQuantizer.Quantize(stack.Float, stack.Reader(), new QuantizationOptions(), cache);
        Assert.True(first.CalibrationBatches > 0);
        Assert.Equal(0, second.CalibrationBatches);
        Assert.Equal(first.Model, second.Model);
        Assert.Equal(stack.S8S8.Model, first.Model);
    }

    [Theory]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    public void HistogramCalibration_NarrowsRangesAndStillRuns(CalibrationMethod method)
    {
        var result = QdqQuantizer.Quantize(stack.Float, stack.Reader(), new QuantizationOptions { Calibration = new CalibrationOptions { Method = method } });
        foreach (var (tensor, range) in result.Ranges)
            Assert.True(range.AbsoluteMax <= stack.S8S8.Ranges[tensor].AbsoluteMax, $"{tensor}: {range} wider than MinMax {stack.S8S8.Ranges[tensor]}");
        Assert.Contains(result.Ranges, kv => kv.Value.AbsoluteMax < stack.S8S8.Ranges[kv.Key].AbsoluteMax);
        var probabilities = QuantizedConvStack.Probabilities(result.Model);
        Assert.All(probabilities, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(method.ToString(), result.Model.MetadataProps.Single(p => p.Key == "mlrfnet.quantization.calibration").Value);
    }
}
