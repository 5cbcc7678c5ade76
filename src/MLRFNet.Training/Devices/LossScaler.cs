using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Training.Devices;

/// <summary>
/// Dynamic loss scaling, as PyTorch's <c>torch.amp.GradScaler</c>: the loss is multiplied by <see cref="Scale"/>
/// before backward so FP16 gradients do not underflow; <see cref="Step"/> divides the gradients back, skips the
/// optimizer step when any gradient is inf/NaN and halves the scale, and doubles the scale after
/// <see cref="GrowthInterval"/> finite steps in a row. Defaults are GradScaler's (2^16, ×2, ×0.5, 2000).
/// </summary>
public sealed class LossScaler(double initialScale = 65536, double growthFactor = 2, double backoffFactor = 0.5, int growthInterval = 2000)
{
    private int finiteSteps;

    public double Scale { get; private set; } = initialScale > 0 ? initialScale : throw new ArgumentException($"Initial scale must be positive (got {initialScale}).");

    public int GrowthInterval { get; } = growthInterval;

    /// <summary>Steps skipped so far because a gradient was not finite.</summary>
    public int Skipped { get; private set; }

    public Tensor ScaleLoss(Tensor loss) => loss * Scale;

    /// <summary>Unscales the gradients, steps <paramref name="optimizer"/> when they are all finite, updates the scale; true when it stepped.</summary>
    public bool Step(optim.Optimizer optimizer, IEnumerable<TorchSharp.Modules.Parameter> parameters)
    {
        var finite = true;
        using (torch.no_grad())
        {
            foreach (var p in parameters)
            {
                if (p.grad is not { } g) continue;
                g.div_(Scale);
                if (finite && !torch.isfinite(g).all().item<bool>()) finite = false;
            }
        }
        if (finite)
        {
            optimizer.step();
            if (++finiteSteps >= GrowthInterval) { Scale *= growthFactor; finiteSteps = 0; }
            return true;
        }
        Skipped++;
        Scale *= backoffFactor;
        finiteSteps = 0;
        return false;
    }
}
