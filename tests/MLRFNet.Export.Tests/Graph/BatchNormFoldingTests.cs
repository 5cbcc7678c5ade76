using Microsoft.ML.OnnxRuntime;
using MLRFNet.Export.Graph;
using MLRFNet.Export.Tests.Support;
using static MLRFNet.Export.Graph.OnnxAttributes;

namespace MLRFNet.Export.Tests.Graph;

public sealed class BatchNormFoldingTests
{
    private static readonly float[] Gamma = [1.5f, 0.5f, -0.8f];
    private static readonly float[] Beta = [0.1f, -0.2f, 0.3f];
    private static readonly float[] Mean = [0.4f, -0.1f, 0.05f];
    private static readonly float[] Var = [0.9f, 2.0f, 0.25f];
    private const float Eps = 1e-3f;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Folded_conv_equals_conv_then_batchnorm_by_explicit_math(bool withBias)
    {
        // 1×1 conv, 2 → 3 channels, on one pixel x = (0.7, −1.3): conv_o = Σ_i W[o,i]·x_i + b_o, then
        // BN_o(v) = γ_o (v − μ_o)/√(σ²_o + ε) + β_o, all written out in double here.
        float[] w = [0.2f, -0.4f, 1.0f, 0.3f, -0.6f, 0.9f];
        float[]? b = withBias ? [0.05f, -0.15f, 0.25f] : null;
        double[] x = [0.7, -1.3];
        var (fw, fb) = BatchNormFolding.FoldBatchNorm(w, b, Gamma, Beta, Mean, Var, Eps);
        for (var o = 0; o < 3; o++)
        {
            var conv = w[2 * o] * x[0] + w[2 * o + 1] * x[1] + (b?[o] ?? 0);
            var expected = Gamma[o] * (conv - Mean[o]) / Math.Sqrt(Var[o] + (double)Eps) + Beta[o];
            var folded = fw[2 * o] * x[0] + fw[2 * o + 1] * x[1] + fb[o];
            Assert.Equal(expected, folded, 1e-6);
        }
    }

    [Fact]
    public void Folded_conv_matches_onnx_runtimes_own_batchnormalization()
    {
        // Independent evaluator: ORT's BatchNormalization kernel (optimizations off, so ORT does not fold it itself).
        var rng = new Random(3);
        var w = new FloatTensor(Enumerable.Range(0, 3 * 2 * 3 * 3).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray(), 3, 2, 3, 3);
        var input = Enumerable.Range(0, 2 * 2 * 5 * 5).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

        var plain = new OnnxGraphBuilder("bn");
        var x = plain.AddInput("x", "N", 2, 5, 5);
        var conv = plain.Conv2d(x, w, null, stride: 1, padding: 1);
        plain.AddNode("BatchNormalization",
            [conv, plain.AddInitializer("g", Gamma, 3), plain.AddInitializer("b", Beta, 3), plain.AddInitializer("m", Mean, 3), plain.AddInitializer("v", Var, 3)],
            outputNames: ["y"], attributes: [Float("epsilon", Eps)]);
        plain.AddOutput("y", "N", 3, 5, 5);

        var folded = new OnnxGraphBuilder("folded");
        var fx = folded.AddInput("x", "N", 2, 5, 5);
        folded.Identity(folded.Conv2dBatchNorm(fx, w, null, new BatchNormParameters(Gamma, Beta, Mean, Var, Eps), padding: 1), "y");
        folded.AddOutput("y", "N", 3, 5, 5);

        var expected = OrtRunner.Run(plain.ToBytes(), input, [2, 2, 5, 5], GraphOptimizationLevel.ORT_DISABLE_ALL)["y"].Values;
        var actual = OrtRunner.Run(folded.ToBytes(), input, [2, 2, 5, 5])["y"].Values;
        Assert.InRange(OrtRunner.MaxAbsDifference(actual, expected), 0, 1e-5);
        Assert.DoesNotContain(folded.Build().Graph.Node, n => n.OpType == "BatchNormalization");
    }

    [Fact]
    public void Mismatched_or_invalid_parameters_are_refused()
    {
        Assert.Throws<ArgumentException>(() => BatchNormFolding.FoldBatchNorm(new float[7], null, Gamma, Beta, Mean, Var, Eps));
        Assert.Throws<ArgumentException>(() => BatchNormFolding.FoldBatchNorm(new float[6], new float[2], Gamma, Beta, Mean, Var, Eps));
        Assert.Throws<ArgumentException>(() => BatchNormFolding.FoldBatchNorm(new float[6], null, Gamma, Beta, Mean, [1f, 1f], Eps));
        Assert.Contains("not positive", Assert.Throws<ArgumentException>(() =>
            BatchNormFolding.FoldBatchNorm(new float[6], null, Gamma, Beta, Mean, [1f, -1f, 1f], 0f)).Message);
    }
}
