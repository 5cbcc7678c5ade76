using MLRFNet.Onnx.Quantization;
using Onnx;

namespace MLRFNet.Onnx.Tests.Quantization;

public class AccuracyAwareFallbackTests(QuantizedConvStack stack) : IClassFixture<QuantizedConvStack>
{
    /// <summary>Compute nodes that read no dequantized input (kept float by the fallback).</summary>
    private static int FloatLayers(ModelProto model) =>
        model.Graph.Node.Count(n => n.OpType is "Conv" or "Add" or "GlobalAveragePool" or "Gemm"
            && n.Input.All(i => model.Producer(i)?.OpType != "DequantizeLinear"));

    [Fact]
    public void KeepsTheWorstLayersFloatUntilTheGatePasses()
    {
        // A gate that passes once two layers are float: checks the loop, the order (worst local SQNR first, as an
        // independent debugger run ranks them) and that later rounds reuse the calibration.
        Assert.Equal(0, FloatLayers(stack.S8S8.Model));
        var result = AccuracyAwareFallback.Run(stack.Float, stack.Reader(), new QuantizationOptions(), m => FloatLayers(m) >= 2);

        Assert.True(result.Passed);
        Assert.Equal(2, result.KeptInFloat.Count);
        Assert.Equal(3, result.Steps.Count);
        Assert.Equal(2, FloatLayers(result.Result.Model));
        Assert.Equal(result.KeptInFloat.Order(), result.Result.FloatNodes.Where(n => result.KeptInFloat.Contains(n)).Order());
        Assert.Equal(0, result.Result.CalibrationBatches);

        var report = QuantizationDebugger.Compare(stack.Float, stack.S8S8.Model, stack.Reader());
        var worst = report.Activations.Where(a => a.AtThisQdq is not null && a.Node is not null).MinBy(a => a.AtThisQdq)!;
        Assert.Equal(worst.Tensor, result.Steps[0].WorstTensor);
        var expectedLayer = worst.Node!.StartsWith("relu", StringComparison.Ordinal) ? "conv" + worst.Node["relu".Length..] : worst.Node;
        Assert.Equal(expectedLayer, result.KeptInFloat[0]);
    }

    [Fact]
    public void StopsAtTheLimitAndSaysItFailed()
    {
        var result = AccuracyAwareFallback.Run(stack.Float, stack.Reader(), new QuantizationOptions(), _ => false, maxFloatNodes: 1);
        Assert.False(result.Passed);
        Assert.Single(result.KeptInFloat);
        Assert.False(result.Steps[^1].Passed);
    }
}
