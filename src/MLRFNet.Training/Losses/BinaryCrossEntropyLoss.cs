using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Training.Losses;

/// <summary>Binary cross-entropy on logits (the paper's Table 11 baseline), via libtorch's stable implementation.</summary>
public sealed class BinaryCrossEntropyLoss() : MultiLabelLoss(nameof(BinaryCrossEntropyLoss))
{
    public override Tensor Elementwise(Tensor logits, Tensor targets) =>
        nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction: nn.Reduction.None);
}
