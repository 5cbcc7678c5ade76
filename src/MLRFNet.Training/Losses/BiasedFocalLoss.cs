using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Training.Losses;

/// <summary>
/// The paper's biased focal loss (MLRFNet eqs. 3-4), with p = sigmoid(z):
/// <code>
///   positives:  -alpha (1 - p)^beta log p
///   negatives:  -(1 - alpha) p_s^beta log(1 - p_s),   p_s = max(p - s, 0)
/// </code>
/// The shift s discards easy negatives (p ≤ s contribute nothing), like the probability margin of Ridnik et al.'s
/// asymmetric loss (ICCV 2021). With s = 0 it is Lin et al.'s alpha-balanced focal loss; with beta = 0 and
/// alpha = 0.5 it is half the binary cross-entropy.
/// </summary>
/// <remarks>
/// Computed from logits without log(0) or 0^negative: log p and log(1 - p) are log-sigmoids of ±z, powers are
/// exp(beta x log), and 1 - p_s = sigmoid(-z) + s ≥ s &gt; 0. Where p ≤ s the negative term is masked to 0 on a
/// placeholder value so no NaN reaches the gradient (a plain where() would still back-propagate inf x 0).
/// </remarks>
public sealed class BiasedFocalLoss : MultiLabelLoss
{
    public BiasedFocalLoss(float alpha, float beta, float shift) : base(nameof(BiasedFocalLoss))
    {
        new LossSettings(shift > 0 ? LossKind.BiasedFocal : LossKind.Focal, alpha, beta, shift).Validate();
        Alpha = alpha;
        Beta = beta;
        Shift = shift;
    }

    public float Alpha { get; }

    public float Beta { get; }

    public float Shift { get; }

    public override Tensor Elementwise(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var logP = nn.functional.logsigmoid(logits);          // log p
        var logQ = nn.functional.logsigmoid(-logits);         // log(1 - p)
        var positive = -Alpha * exp(Beta * logQ) * logP;
        Tensor negative;
        if (Shift > 0)
        {
            var p = sigmoid(logits);
            var active = p > Shift;
            var shifted = where(active, p - Shift, ones_like(p));             // p_s where it is positive
            var logOneMinusShifted = log(exp(logQ) + Shift);                  // log((1 - p) + s)
            negative = where(active, -(1 - Alpha) * exp(Beta * log(shifted)) * logOneMinusShifted, zeros_like(p));
        }
        else
        {
            negative = -(1 - Alpha) * exp(Beta * logP) * logQ;
        }
        return (targets * positive + (1 - targets) * negative).MoveToOuterDisposeScope();
    }
}
