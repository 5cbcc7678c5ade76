using System.Text.Json;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Tests.TestSupport;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.Losses;

public sealed class BiasedFocalLossTests(ITestOutputHelper output)
{
    // layer_references.json "losses": per-element values, means and central-difference gradients computed with
    // Python's math module in float64 (make_layer_references.py), logits up to |z| = 100, one soft target.
    private static readonly JsonElement Losses = Fixture.Json("layer_references.json").GetProperty("losses");

    public static TheoryData<string> Cases => ["biased_focal_paper", "biased_focal_beta1_shift05", "focal_lin", "bce"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValuesAndGradients_MatchFloat64Reference(string name)
    {
        var reference = Losses.GetProperty("cases").GetProperty(name);
        using var loss = name == "bce"
            ? LossFunctions.Create(LossSettings.BinaryCrossEntropy)
            : LossFunctions.Create(new LossSettings(
                reference.GetProperty("shift").GetDouble() > 0 ? LossKind.BiasedFocal : LossKind.Focal,
                (float)reference.GetProperty("alpha").GetDouble(), (float)reference.GetProperty("beta").GetDouble(),
                (float)reference.GetProperty("shift").GetDouble()));
        using var logits = Matrix(Losses.GetProperty("logits")).requires_grad_();
        using var targets = Matrix(Losses.GetProperty("targets"));

        using var elementwise = loss.Elementwise(logits, targets);
        var elementDiff = MaxRelativeDiff(elementwise, Matrix(reference.GetProperty("elementwise")));
        using var mean = loss.call(logits, targets);
        var meanDiff = Math.Abs(mean.item<float>() - reference.GetProperty("mean").GetDouble()) / reference.GetProperty("mean").GetDouble();
        mean.backward();
        var gradDiff = Fixture.MaxAbsDiff(logits.grad!, Matrix(reference.GetProperty("grad_of_mean")));
        output.WriteLine($"{name}: max rel diff elementwise {elementDiff:E2}, mean {meanDiff:E2}; gradient max abs diff {gradDiff:E2}");

        Assert.True(elementDiff < 1e-5, $"elementwise relative diff {elementDiff}");
        Assert.True(meanDiff < 1e-5, $"mean relative diff {meanDiff}");
        Assert.True(gradDiff < 1e-6, $"gradient diff {gradDiff}");
    }

    [Fact]
    public void EasyNegatives_BelowTheShift_ContributeNothing()
    {
        // p = sigmoid(-2) = 0.119 < s = 0.2: a negative with that probability must cost exactly 0 (eq. 4's max(p - s, 0)).
        using var loss = new BiasedFocalLoss(0.4f, 2f, 0.2f);
        using var logits = tensor(new float[] { -2f, 0f }).reshape(1, 2);
        using var targets = zeros(1, 2);
        var values = loss.Elementwise(logits, targets).data<float>().ToArray();
        Assert.Equal(0f, values[0]);
        // p = 0.5: p_s = 0.3, -(0.6) 0.3^2 log(0.7) = 0.019260
        Assert.Equal(-0.6 * 0.09 * Math.Log(0.7), values[1], 5);
    }

    [Theory]
    [InlineData(0.5f)]   // beta < 1: a naive p_s^beta has an infinite derivative at p_s = 0
    [InlineData(0f)]
    [InlineData(2f)]
    public void ExtremeLogits_GiveFiniteLossAndGradient(float beta)
    {
        using var loss = new BiasedFocalLoss(0.4f, beta, 0.2f);
        using var logits = tensor(new float[] { -1000f, -100f, -1.3862944f, 0f, 100f, 1000f, -1000f, 1000f }).reshape(2, 4).requires_grad_();
        using var targets = tensor(new float[] { 0, 0, 0, 0, 0, 0, 1, 1 }).reshape(2, 4);
        using var value = loss.call(logits, targets);
        value.backward();
        Assert.True(float.IsFinite(value.item<float>()));
        Assert.True(logits.grad!.isfinite().all().item<bool>(), "gradient has NaN/inf");
    }

    [Fact]
    public void TargetsOutsideZeroOne_AreRejected()
    {
        using var loss = new BiasedFocalLoss(0.4f, 2f, 0.2f);
        using var logits = zeros(1, 2);
        using var targets = tensor(new float[] { 0f, -1f }).reshape(1, 2);
        var e = Assert.Throws<ArgumentException>(() => loss.call(logits, targets));
        Assert.Contains("[0, 1]", e.Message);
    }

    [Fact]
    public void UnknownLossName_ListsKnownOnes()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => LossFunctions.Settings("asl"));
        Assert.Contains("biased-focal", e.Message);
        Assert.Equal(LossSettings.PaperBiasedFocal, LossFunctions.Settings("biased-focal"));
    }

    private static Tensor Matrix(JsonElement rows)
    {
        var data = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray()).ToArray();
        return tensor(data.SelectMany(r => r).ToArray()).reshape(data.Length, data[0].Length);
    }

    private static double MaxRelativeDiff(Tensor actual, Tensor expected)
    {
        using var a = actual.detach().to(float64);
        using var e = expected.to(float64);
        using var d = ((a - e).abs() / (e.abs() + 1e-6)).max();
        return d.item<double>();
    }
}
