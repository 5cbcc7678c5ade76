"""Writes layer_references.json: ECA, CSRA heads (T = 99 and softmax temperatures), MRFC and the loss functions on
small seeded tensors. Run from this folder with Debian's torch: /usr/bin/python3 make_layer_references.py

Layers use the reference implementations in reference_models.py (ECA-Net / CSRA reference code). The losses are
computed elementwise with Python's math module in float64 from the formulas written out below, not with torch, so
they are independent of any tensor library.
"""
import json
import math

import torch

from reference_models import Csra, Eca, Mrfc


def t(x):
    return {"shape": list(x.shape), "data": [float(v) for v in x.detach().double().flatten()]}


def log_sigmoid(z):
    # log(1 / (1 + e^-z)) without overflow or log(0)
    return -math.log1p(math.exp(-z)) if z >= 0 else z - math.log1p(math.exp(z))


def biased_focal(z, y, alpha, beta, shift):
    """MLRFNet eqs. 3-4 as implemented: p = sigmoid(z);
    positives: -alpha (1-p)^beta log p; negatives: p_s = max(p - s, 0), -(1-alpha) p_s^beta log(1 - p_s).
    With shift = 0 this is Lin et al.'s alpha-balanced focal loss."""
    p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    log_p = log_sigmoid(z)
    one_minus_p = 1.0 / (1.0 + math.exp(z)) if z <= 0 else math.exp(-z) / (1.0 + math.exp(-z))
    positive = -alpha * one_minus_p ** beta * log_p
    if shift > 0:
        p_s = max(p - shift, 0.0)
        negative = -(1 - alpha) * p_s ** beta * math.log(1.0 - p_s)   # 1 - p_s >= shift > 0
    else:
        negative = -(1 - alpha) * p ** beta * log_sigmoid(-z)
    return y * positive + (1 - y) * negative


def bce(z, y):
    return -(y * log_sigmoid(z) + (1 - y) * log_sigmoid(-z))


def main():
    torch.manual_seed(20230423)
    out = {}

    eca = Eca()
    x = torch.randn(2, 10, 4, 5)
    out["eca"] = {"input": t(x), "conv_weight": t(eca.conv.weight), "output": t(eca(x))}

    x = torch.randn(2, 12, 3, 4)
    csra = Csra(12, 3, 99, 0.5)
    heads = {}
    for T in [99, 1, 2.5]:
        csra.T = T
        heads[str(T)] = t(csra(x))
    out["csra"] = {"input": t(x), "head_weight": t(csra.head.weight), "lambda": 0.5,
                   "score_map": t(csra.score_map(x)), "logits_by_temperature": heads}

    levels = [torch.randn(2, 6, 4, 4), torch.randn(2, 8, 2, 2), torch.randn(2, 10, 1, 3)]
    mrfc = Mrfc([6, 8, 10], 3)
    logits, _ = mrfc(levels)
    out["mrfc"] = {"levels": [t(u) for u in levels], "head_weights": [t(h.head.weight) for h in mrfc.csra],
                   "lambdas": [0.5, 0.3, 0.1], "temperature": 99, "logits": t(logits)}

    # Logits include extremes (|z| = 30, 100) where a naive log(sigmoid) gives log(0); targets include a soft label.
    z = [[-100.0, -30.0, -3.0, -0.5, 0.0], [0.0, 0.5, 3.0, 30.0, 100.0],
         [-1.386, -1.0, 1.0, 2.0, -2.0], [0.2, -0.2, 1.5, -4.0, 4.0]]
    y = [[1, 0, 1, 0, 1], [0, 1, 0, 1, 0], [0, 0, 1, 0, 1], [0.5, 1, 0, 0, 1]]
    cases = {
        "biased_focal_paper": dict(alpha=0.4, beta=2.0, shift=0.2),
        "biased_focal_beta1_shift05": dict(alpha=0.4, beta=1.0, shift=0.05),
        "focal_lin": dict(alpha=0.25, beta=2.0, shift=0.0),
    }
    losses = {}
    h = 1e-6
    for name, c in cases.items():
        f = lambda zi, yi: biased_focal(zi, yi, c["alpha"], c["beta"], c["shift"])
        elems = [[f(zi, yi) for zi, yi in zip(zr, yr)] for zr, yr in zip(z, y)]
        # d(mean)/dz by central differences in float64 (the mean over 20 elements divides each gradient by 20)
        grads = [[(f(zi + h, yi) - f(zi - h, yi)) / (2 * h) / 20.0 for zi, yi in zip(zr, yr)] for zr, yr in zip(z, y)]
        losses[name] = {**c, "elementwise": elems, "mean": sum(map(sum, elems)) / 20.0, "grad_of_mean": grads}
    elems = [[bce(zi, yi) for zi, yi in zip(zr, yr)] for zr, yr in zip(z, y)]
    torch_bce = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor(z, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)).item()
    assert abs(torch_bce - sum(map(sum, elems)) / 20.0) < 1e-12, "math BCE disagrees with torch"
    grads = [[(bce(zi + h, yi) - bce(zi - h, yi)) / (2 * h) / 20.0 for zi, yi in zip(zr, yr)] for zr, yr in zip(z, y)]
    losses["bce"] = {"elementwise": elems, "mean": sum(map(sum, elems)) / 20.0, "grad_of_mean": grads}
    out["losses"] = {"logits": z, "targets": y, "cases": losses}

    with open("layer_references.json", "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
