using MLRFNet.Training.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.Devices;

/// <summary>The GradScaler half of mixed precision, checked against plain FP32 SGD computed by hand.</summary>
public class LossScalerTests
{
    [Fact]
    public void A_finite_step_unscales_the_gradients_so_the_update_equals_the_unscaled_one()
    {
        // loss = sum(w * x) → dloss/dw = x; SGD with lr 0.1 moves w by −0.1·x whatever the scale.
        var w = new TorchSharp.Modules.Parameter(torch.tensor(new float[] { 1f, 2f, 3f }));
        var x = torch.tensor(new float[] { 0.5f, -1f, 2f });
        using var sgd = optim.SGD([w], 0.1);
        var scaler = new LossScaler(initialScale: 1024, growthInterval: 2);
        scaler.ScaleLoss((w * x).sum()).backward();
        Assert.True(scaler.Step(sgd, [w]));
        Assert.Equal(new[] { 0.95f, 2.1f, 2.8f }, w.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
        sgd.zero_grad();
        scaler.ScaleLoss((w * x).sum()).backward();
        scaler.Step(sgd, [w]);
        Assert.Equal(2048, scaler.Scale); // two finite steps in a row: the scale grows
    }

    [Fact]
    public void An_overflowing_step_is_skipped_and_the_scale_backs_off()
    {
        var w = new TorchSharp.Modules.Parameter(torch.tensor(new float[] { 1f, 2f }));
        using var sgd = optim.SGD([w], 0.1);
        var scaler = new LossScaler(initialScale: 65536);
        (w * torch.tensor(new float[] { float.PositiveInfinity, 1f })).sum().backward();
        Assert.False(scaler.Step(sgd, [w]));
        Assert.Equal(new[] { 1f, 2f }, w.data<float>().ToArray());
        Assert.Equal(32768, scaler.Scale);
        Assert.Equal(1, scaler.Skipped);
    }

    [Fact]
    public void Mixed_precision_is_refused_with_what_torchsharp_lacks()
    {
        var error = Assert.Throws<NotSupportedException>(() => new MLRFNet.Training.Training.TrainingOptions { Device = TrainingDevice.Parse("cuda"), MixedPrecision = true }.Validate());
        Assert.Contains("autocast", error.Message);
        Assert.Throws<ArgumentException>(() => new MLRFNet.Training.Training.TrainingOptions { MixedPrecision = true }.Validate());
    }
}
