using MLRFNet.Onnx.Float16;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;
using Xunit.Abstractions;

namespace MLRFNet.Onnx.Tests.Float16;

public class Float16ConverterTests(ITestOutputHelper output)
{
    private const int Half = (int)TensorProto.Types.DataType.Float16;
    private const int Float = (int)TensorProto.Types.DataType.Float;

    [Theory]
    [InlineData("conv_stack.onnx", 64)]
    [InlineData("branch_ops.onnx", 32)]
    public void Converted_LoadsInOrtCpuAndMatchesFloat32(string file, int size)
    {
        // Tolerance: float16 keeps 11 significant bits (relative 4.9e-4 per rounding); through ~6 layers and a
        // sigmoid (slope <= 1/4) the probabilities should move by well under 2e-3.
        var path = Path.Combine(TestModels.Fixtures, file);
        var result = Float16Converter.Convert(OnnxModelFile.Load(path));
        var images = TestModels.Batch("input", TestModels.RandomImages(32, 3, size, seed: 5), 3, size);
        using var reference = OrtModelRunner.Create(path);
        using var candidate = OrtModelRunner.Create(result.Model);
        var expected = reference.Run([images], ["probabilities"])[0].Data;
        var actual = candidate.Run([images], ["probabilities"])[0].Data;
        var max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{file}: max |dp| {max:E3}; {result.CastsInserted} casts; float32 nodes {string.Join(", ", result.Float32Nodes)}");
        Assert.True(max < 2e-3, $"max |dp| {max}");
        Assert.True(max > 0, "identical outputs: were the weights converted at all?");
        OnnxModelFile.Save(result.Model, Path.Combine(TestModels.OutputFolder("float16"), file.Replace(".onnx", "_fp16.onnx")));
    }

    [Fact]
    public void Converted_HasFloat32IoFloat16WeightsAndCastsOnlyAtBoundaries()
    {
        // Catches: float16 graph inputs/outputs (callers feed float32), float32 weights left behind, blocked ops
        // running in float16, or casts sprinkled where precisions already agree.
        var model = OnnxModelFile.Load(TestModels.ConvStack);
        var result = Float16Converter.Convert(model);
        var converted = result.Model;
        Assert.All(converted.Graph.Input, i => Assert.Equal(Float, i.Type.TensorType.ElemType));
        Assert.All(converted.Graph.Output, o => Assert.Equal(Float, o.Type.TensorType.ElemType));
        Assert.All(converted.Graph.Initializer, t => Assert.Equal(Half, t.DataType));
        Assert.Equal(model.Graph.Initializer.Count, result.ConvertedTensors);

        // input -> fp16; before GlobalAveragePool (blocked) -> fp32; after it -> fp16; Gemm's logits -> fp32 for the
        // "logits" output and for the output Sigmoid kept in float32: 4 casts.
        Assert.Equal(["gap", "sigmoid"], result.Float32Nodes);
        Assert.Equal(4, converted.Count("Cast"));
        Assert.Equal("Cast", converted.Producer(converted.Node("conv1").Input[0])!.OpType);
        Assert.Equal("Cast", converted.Producer(converted.Node("gap").Input[0])!.OpType);
        Assert.Equal("Cast", converted.Producer(converted.Node("sigmoid").Input[0])!.OpType);
        Assert.Equal("Cast", converted.Producer("logits")!.OpType);
        Assert.Equal("Gemm", converted.Producer("logits_fp16")!.OpType);
        Assert.True(converted.CalculateSize() < 0.6 * model.CalculateSize());
    }

    [Fact]
    public void WeightsOutsideFloat16Range_AreClampedWithAWarning()
    {
        // Hand-made: one weight far above 65504, one tiny non-zero weight below 2^-24 (would round to 0).
        var model = OnnxModelFile.Load(TestModels.ConvStack);
        var init = model.Graph.Initializer.Single(t => t.Name == "conv2.weight");
        var values = TensorData.ReadFloats(init);
        values[0] = 1e6f;
        values[1] = -3e-9f;
        model.Graph.Initializer[model.Graph.Initializer.IndexOf(init)] = TensorData.FromFloats(init.Name, init.Dims, values);

        var result = Float16Converter.Convert(model);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("conv2.weight", warning.Tensor);
        Assert.Equal(1, warning.ClampedToMax);
        Assert.Equal(1, warning.RaisedToMinPositive);
        Assert.Equal(1e6f, warning.LargestMagnitude);
        var converted = TensorData.ReadHalfs(result.Model.Initializer("conv2.weight"));
        Assert.Equal((Half)65504f, converted[0]);
        Assert.Equal(-(Half)5.9604645E-08f, converted[1]);
        Assert.Equal((Half)values[2], converted[2]);
        Assert.Contains("clamped", warning.ToString());
    }

    [Fact]
    public void BlockLists_KeepNamedNodesAndOpTypesInFloat32()
    {
        var model = OnnxModelFile.Load(TestModels.ConvStack);
        var result = Float16Converter.Convert(model, new Float16Options { NodeBlockList = ["conv5"], OpBlockList = ["Add"] });
        Assert.Contains("conv5", result.Float32Nodes);
        Assert.Contains("add1", result.Float32Nodes);
        Assert.DoesNotContain("gap", result.Float32Nodes);
        Assert.Equal(Float, result.Model.Initializer("conv5.weight").DataType);
        using var runner = OrtModelRunner.Create(result.Model);
        Assert.NotEmpty(runner.Run([TestModels.Batch("input", TestModels.RandomImages(2, 3, 64, 1), 3, 64)])[0].Data);
    }

    [Fact]
    public void BadInput_GivesTypedErrors()
    {
        var model = OnnxModelFile.Load(TestModels.ConvStack);
        var e = Assert.Throws<ArgumentException>(() => Float16Converter.Convert(model, new Float16Options { NodeBlockList = ["nope"] }));
        Assert.Contains("'nope'", e.Message);
        var converted = Float16Converter.Convert(model).Model;
        Assert.Throws<InvalidDataException>(() => Float16Converter.Convert(converted));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Float16Options { MaxFiniteValue = 70000 }.Validate());
    }
}
