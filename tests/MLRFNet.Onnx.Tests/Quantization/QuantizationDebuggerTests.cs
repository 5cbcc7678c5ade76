using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Proto;
using Xunit.Abstractions;

namespace MLRFNet.Onnx.Tests.Quantization;

public class QuantizationDebuggerTests(QuantizedConvStack stack, ITestOutputHelper output) : IClassFixture<QuantizedConvStack>
{
    [Fact]
    public void Report_PairsEveryQuantizedActivationAndSortsWorstFirst()
    {
        var report = QuantizationDebugger.Compare(stack.Float, stack.S8S8.Model, stack.Reader());
        output.WriteLine(report.ToTable(20));
        var tensors = report.Activations.Select(a => a.Tensor).ToHashSet();
        foreach (var t in new[] { "input", "conv1_out", "relu1_out", "pool1_out", "relu2_out", "conv3_out", "add1_out", "gap_out", "flat_out", "logits", "probabilities" })
            Assert.Contains(t, tensors);
        Assert.Equal(report.Activations.OrderBy(a => a.AgainstFloatModel).Select(a => a.Tensor), report.Activations.Select(a => a.Tensor));
        Assert.Null(report.Activations.Single(a => a.Tensor == "logits").AtThisQdq);
        Assert.Equal("conv3", report.Activations.Single(a => a.Tensor == "conv3_out").Node);
        // int8 with calibrated ranges: roughly 6 dB per bit, so tens of dB at a tensor's own Q/DQ...
        Assert.All(report.Activations.Where(a => a.AtThisQdq is not null), a => Assert.True(a.AtThisQdq > 20, $"{a.Tensor}: {a.AtThisQdq} dB"));
        Assert.InRange(report.Activations.Single(a => a.Tensor == "conv3_out").AtThisQdq!.Value, 20, 60);
        // ...except where the pair re-quantizes values already on its grid: pool1/flat share their input's scale,
        // and a Relu of int8 values with a symmetric scale is exact; those pairs lose nothing (float rounding only).
        foreach (var lossless in new[] { "pool1_out", "flat_out" })
            Assert.True(report.Activations.Single(a => a.Tensor == lossless).AtThisQdq > 100, lossless);
        Assert.Equal(6, report.Weights.Count);
        Assert.All(report.Weights, w => Assert.InRange(w.Sqnr, 30, 60));
        Assert.Equal(16, report.Weights.Single(w => w.Weight == "conv1.weight").Channels);
    }

    [Fact]
    public void FusedRelu_OwnPairIsMeasuredAfterTheRelu_NotAgainstTheConvOutput()
    {
        // U8S8 removes the Relus: the QuantizeLinear reads the conv output (negatives included) and its saturation at
        // zero point 0 does the Relu. Counting that clipping as noise put every fused Relu near 0 dB on the real
        // model, and the fallback then kept the wrong layers in float.
        Assert.Contains("relu2", stack.U8S8.FusedNodes);
        var report = QuantizationDebugger.Compare(stack.Float, stack.U8S8.Model, stack.Reader());
        output.WriteLine(report.ToTable(20));
        foreach (var fused in new[] { "relu2_out", "relu3_out" })
            Assert.True(report.Activations.Single(a => a.Tensor == fused).AtThisQdq > 20, fused);

        // The same pair by hand: in the QDQ model conv2 now writes "relu2_out" (its Relu removed); clip those values
        // at 0, quantize them with relu2_out's uint8 parameters, compare.
        var parameters = stack.U8S8.ActivationParameters["relu2_out"];
        using var runner = OrtModelRunner.Create(ActivationCollector.WithOutputs(stack.U8S8.Model, ["relu2_out"]), new OrtRunnerOptions { Optimize = false });
        double signal = 0, noise = 0;
        foreach (var batch in stack.Reader().ReadBatches())
            foreach (var x in runner.Run(batch, ["relu2_out"])[0].Data)
            {
                var clipped = Math.Max(x, 0f);
                var q = QuantizationParameters.Dequantize(QuantizationParameters.Quantize(clipped, parameters, (0, 255)), parameters);
                signal += (double)clipped * clipped;
                noise += ((double)clipped - q) * ((double)clipped - q);
            }
        Assert.Equal(20 * Math.Log10(Math.Sqrt(signal) / Math.Sqrt(noise)), report.Activations.Single(a => a.Tensor == "relu2_out").AtThisQdq!.Value, 3);
    }

    [Fact]
    public void InputSqnr_EqualsAHandComputedQuantizationOfTheInput()
    {
        // Independent of ORT: quantize the calibration images with the model's input scale (round half to even,
        // saturate to [-128, 127]) and compute 20 log10(||x|| / ||x - x_q||) directly.
        var scale = TensorData.ReadFloats(stack.S8S8.Model.Initializer("input_scale"))[0];
        double signal = 0, noise = 0;
        foreach (var image in stack.Calibration)
            foreach (var x in image)
            {
                var q = Math.Clamp(MathF.Round(x / scale, MidpointRounding.ToEven), -128, 127) * scale;
                signal += (double)x * x;
                noise += ((double)x - q) * ((double)x - q);
            }
        var expected = 20 * Math.Log10(Math.Sqrt(signal) / Math.Sqrt(noise));

        var report = QuantizationDebugger.Compare(stack.Float, stack.S8S8.Model, stack.Reader());
        var input = report.Activations.Single(a => a.Tensor == "input");
        Assert.Equal(expected, input.AtThisQdq!.Value, 3);
        Assert.Equal(expected, input.AgainstFloatModel, 3);
        Assert.Equal(64L * 3 * 64 * 64, input.Values);
    }

    [Fact]
    public void DamagedScale_ShowsUpAsTheWorstLocalSqnr()
    {
        // A scale 100x too large rounds most of conv3's output to 0: its Q/DQ pair must rank worst.
        var damaged = stack.S8S8.Model.Clone();
        var name = TensorNames.Scale("conv3_out");
        var index = damaged.Graph.Initializer.IndexOf(damaged.Initializer(name));
        damaged.Graph.Initializer[index] = TensorData.FromFloats(name, [], [TensorData.ReadFloats(damaged.Graph.Initializer[index])[0] * 100]);

        var report = QuantizationDebugger.Compare(stack.Float, damaged, stack.Reader());
        var worstLocal = report.Activations.Where(a => a.AtThisQdq is not null).MinBy(a => a.AtThisQdq)!;
        Assert.Equal("conv3_out", worstLocal.Tensor);
        Assert.True(worstLocal.AtThisQdq < 15, $"{worstLocal.AtThisQdq} dB");
    }
}
