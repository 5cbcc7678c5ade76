using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Training.Losses;

/// <summary>
/// A multi-label loss on logits [B, classes] and targets in [0, 1] of the same shape (soft targets allowed, e.g. for
/// CheXpert's uncertainty policies). The value is the mean of the per-element losses.
/// </summary>
public abstract class MultiLabelLoss(string name) : nn.Module<Tensor, Tensor, Tensor>(name)
{
    /// <summary>Per-element losses, same shape as <paramref name="logits"/>.</summary>
    public abstract Tensor Elementwise(Tensor logits, Tensor targets);

    public override Tensor forward(Tensor logits, Tensor targets)
    {
        if (!logits.shape.SequenceEqual(targets.shape))
            throw new ArgumentException($"Loss targets [{string.Join(", ", targets.shape)}] must have the logits' shape [{string.Join(", ", logits.shape)}].");
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            if ((targets < 0).any().item<bool>() || (targets > 1).any().item<bool>())
                throw new ArgumentException("Loss targets must lie in [0, 1]; map uncertain labels with an UncertaintyPolicy first.");
        }
        return Elementwise(logits, targets.to(logits.dtype)).mean().MoveToOuterDisposeScope();
    }
}
