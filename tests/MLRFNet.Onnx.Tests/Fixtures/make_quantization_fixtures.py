#!/usr/bin/python3
"""Small FP32 ONNX models and reference numbers for the tests of src/MLRFNet.Onnx/{Float16,Quantization,Qa}.

Run from this folder with /usr/bin/python3 (onnx 1.12, torch 1.13, numpy 1.24, scipy 1.10):
    /usr/bin/python3 make_quantization_fixtures.py
It writes, beside itself:
- conv_stack.onnx: opset 17, input "input" [N,3,H,W] (trained at 64x64; any size runs); five BN-free 3x3 convs with bias and ReLU, a max pool, a
  residual Add, a strided conv, GlobalAveragePool, Flatten, Gemm (transB=1) to 4 "logits", Sigmoid to
  "probabilities". Both "logits" and "probabilities" are graph outputs. He-normal initial weights (seeded), then
  400 Adam steps on four attributes of random smooth images (`random_image`, the family and label rules the C#
  tests draw from): a random network's outputs barely vary between images, so its logits would need a large gain
  that amplifies quantization error far beyond what a trained network shows.
- branch_ops.onnx: opset 17, input "input" [N,3,32,32]; Conv, Relu, Split (sizes as an int64 input), Mul by a
  per-channel constant, Sigmoid, Concat, AveragePool, a 1x1 Conv, Add, GlobalAveragePool, Flatten, MatMul, Add
  bias, Sigmoid to "probabilities": one node of most op types the quantizer registry handles; trained 300 steps
  on the first three attributes.
- quantization_fixtures.json:
  * "referenceImages": PyTorch (torch.nn.functional, not ONNX Runtime) outputs of both models on the analytic
    images of `reference_image` (re-created bit-for-bit in C# by the tests), to check the models and the C#
    runner independently.
  * "percentile"/"entropy"/"minMax": calibration references. The data arrays are stored; percentile thresholds
    come from numpy.histogram + numpy.cumsum + numpy.searchsorted exactly as ORT's calibrate.py and
    pytorch-quantization's histogram.py describe them; the entropy (KL) thresholds from a NumPy/SciPy
    transcription of TensorRT's pytorch-quantization `_compute_amax_entropy`
    (https://github.com/NVIDIA/TensorRT/blob/main/tools/pytorch-quantization/pytorch_quantization/calib/histogram.py),
    with scipy.stats.entropy as the KL divergence. Neither uses the C# code.
  * "scaleZeroPoint": scale/zero-point pairs from a NumPy transcription of ORT's quant_utils.compute_scale_zp
    (https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/quant_utils.py).
"""
import json
import math
import os
from collections import Counter

import numpy as np
import onnx
import scipy.stats
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 17


def reference_image(k, channels, size):
    """Analytic test image k: smooth stripes and a checker term, values in about [-1.5, 1.5].

    C# re-creates it in tests/MLRFNet.Onnx.Tests/TestModels.cs with the same double arithmetic, then casts
    to float32 (the same last step as here)."""
    a = 0.05 + 0.013 * k
    b = 0.07 + 0.011 * k
    d = 0.09 + 0.007 * k
    phase = 0.3 * k
    img = np.zeros((channels, size, size), dtype=np.float64)
    for c in range(channels):
        for y in range(size):
            for x in range(size):
                img[c, y, x] = math.sin(a * x + b * y + 0.5 * c + phase) + 0.5 * math.cos(d * (x - y) + 0.25 * c)
    return img.astype(np.float32)


def random_image(rng, channels, size):
    """One image of the family TestModels.RandomLabelledImages draws in C# (random stripes, three Gaussian blobs, a
    random contrast and per-channel gain, a little noise) and its four 0/1 attribute targets, by the same rules:
    high contrast (> 1.15), a bright blob (height > 0.6), fine stripes (a + b > 0.22), channel 0 gain above
    channel 2 gain. NumPy draws its own numbers: the rules, not the images, are shared with C#."""
    a, b = 0.02 + 0.2 * rng.random(), 0.02 + 0.2 * rng.random()
    d, phase, amplitude = 0.05 + 0.15 * rng.random(), 6.283 * rng.random(), 0.5 + rng.random()
    blobs = [(rng.random() * size, rng.random() * size, 3 + 8 * rng.random(), 2 * rng.random() - 1) for _ in range(3)]
    contrast = 0.3 + 1.7 * rng.random()
    gains = [0.7 + 0.6 * rng.random() for _ in range(channels)]
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    img = np.zeros((channels, size, size))
    for c in range(channels):
        v = amplitude * np.sin(a * x + b * y + 0.5 * c + phase) + 0.5 * np.cos(d * (x - y) + 0.25 * c)
        for bx, by, r, h in blobs:
            v += h * np.exp(-((x - bx) ** 2 + (y - by) ** 2) / (2 * r * r))
        img[c] = contrast * gains[c] * v + 0.05 * (rng.random((size, size)) - 0.5)
    targets = [float(contrast > 1.15), float(max(h for *_, h in blobs) > 0.6), float(a + b > 0.22),
               float(gains[0] > gains[2])]
    return img.astype(np.float32), np.array(targets, dtype=np.float32)


def train(forward, w, size, classes, steps, seed):
    """Adam on binary cross-entropy (labels smoothed to 0.05/0.95) over freshly drawn random images: a few hundred
    steps give a model whose outputs separate the attributes (a random network's outputs would be noise around a
    constant) without the +-30 logits of an over-confident one."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    params = {k: torch.tensor(v, requires_grad=True) for k, v in w.items() if v.dtype == np.float32}
    optimizer = torch.optim.Adam(params.values(), lr=3e-3)
    for step in range(steps):
        batch = [random_image(rng, 3, size) for _ in range(32)]
        x = torch.from_numpy(np.stack([b[0] for b in batch]))
        # Label smoothing (0.05 / 0.95) keeps the logits within about +-3: a calibrated, not over-confident model.
        y = torch.from_numpy(np.stack([b[1][:classes] for b in batch])) * 0.9 + 0.05
        logits = forward(params, x)
        loss = F.binary_cross_entropy_with_logits(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    for k, v in params.items():
        w[k] = v.detach().numpy().astype(np.float32)
    return float(loss)


def he(rng, shape):
    fan_in = int(np.prod(shape[1:]))
    return (rng.standard_normal(shape) * math.sqrt(2.0 / fan_in)).astype(np.float32)


def small_bias(rng, n):
    return (rng.standard_normal(n) * 0.05).astype(np.float32)


# ----------------------------------------------------------------------------------------------- conv stack
def conv_stack_weights(rng):
    w = {}
    w["conv1.weight"] = he(rng, (16, 3, 3, 3)); w["conv1.bias"] = small_bias(rng, 16)
    w["conv2.weight"] = he(rng, (32, 16, 3, 3)); w["conv2.bias"] = small_bias(rng, 32)
    w["conv3.weight"] = he(rng, (32, 32, 3, 3)); w["conv3.bias"] = small_bias(rng, 32)
    w["conv4.weight"] = he(rng, (64, 32, 3, 3)); w["conv4.bias"] = small_bias(rng, 64)
    w["conv5.weight"] = he(rng, (64, 64, 3, 3)); w["conv5.bias"] = small_bias(rng, 64)
    w["fc.weight"] = he(rng, (4, 64)); w["fc.bias"] = np.zeros(4, dtype=np.float32)
    return w


def torch_weights(w):
    return {k: torch.from_numpy(v) for k, v in w.items() if v.dtype == np.float32}


def conv_stack_torch(t, x, upto_features=False):
    h = F.relu(F.conv2d(x, t["conv1.weight"], t["conv1.bias"], padding=1))
    h = F.max_pool2d(h, 2, 2)
    h2 = F.relu(F.conv2d(h, t["conv2.weight"], t["conv2.bias"], padding=1))
    h3 = F.relu(F.conv2d(h2, t["conv3.weight"], t["conv3.bias"], padding=1))
    h = h3 + h2
    h = F.relu(F.conv2d(h, t["conv4.weight"], t["conv4.bias"], stride=2, padding=1))
    h = F.relu(F.conv2d(h, t["conv5.weight"], t["conv5.bias"], padding=1))
    feats = h.mean(dim=(2, 3))
    if upto_features:
        return feats
    return feats @ t["fc.weight"].T + t["fc.bias"]


def conv_stack_model(w):
    def init(name):
        return numpy_helper.from_array(w[name], name)

    nodes = [
        helper.make_node("Conv", ["input", "conv1.weight", "conv1.bias"], ["conv1_out"], name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["conv1_out"], ["relu1_out"], name="relu1"),
        helper.make_node("MaxPool", ["relu1_out"], ["pool1_out"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["pool1_out", "conv2.weight", "conv2.bias"], ["conv2_out"], name="conv2", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["conv2_out"], ["relu2_out"], name="relu2"),
        helper.make_node("Conv", ["relu2_out", "conv3.weight", "conv3.bias"], ["conv3_out"], name="conv3", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["conv3_out"], ["relu3_out"], name="relu3"),
        helper.make_node("Add", ["relu3_out", "relu2_out"], ["add1_out"], name="add1"),
        helper.make_node("Conv", ["add1_out", "conv4.weight", "conv4.bias"], ["conv4_out"], name="conv4", pads=[1, 1, 1, 1], kernel_shape=[3, 3], strides=[2, 2]),
        helper.make_node("Relu", ["conv4_out"], ["relu4_out"], name="relu4"),
        helper.make_node("Conv", ["relu4_out", "conv5.weight", "conv5.bias"], ["conv5_out"], name="conv5", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["conv5_out"], ["relu5_out"], name="relu5"),
        helper.make_node("GlobalAveragePool", ["relu5_out"], ["gap_out"], name="gap"),
        helper.make_node("Flatten", ["gap_out"], ["flat_out"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat_out", "fc.weight", "fc.bias"], ["logits"], name="fc", transB=1),
        helper.make_node("Sigmoid", ["logits"], ["probabilities"], name="sigmoid"),
    ]
    graph = helper.make_graph(
        nodes, "conv_stack",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, "H", "W"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 4]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 4])],
        [init(k) for k in w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="make_quantization_fixtures")
    model.ir_version = 8
    return model


# ----------------------------------------------------------------------------------------------- branch ops
def branch_weights(rng):
    w = {}
    w["stem.weight"] = he(rng, (16, 3, 3, 3)); w["stem.bias"] = small_bias(rng, 16)
    w["split_sizes"] = np.array([8, 8], dtype=np.int64)
    w["gate.scale"] = (0.5 + rng.random((1, 8, 1, 1))).astype(np.float32)
    w["mix.weight"] = he(rng, (16, 16, 1, 1)); w["mix.bias"] = small_bias(rng, 16)
    w["head.weight"] = he(rng, (16, 3))
    w["head.bias"] = np.zeros(3, dtype=np.float32)
    return w


def branch_torch(t, x, upto_features=False):
    h = F.relu(F.conv2d(x, t["stem.weight"], t["stem.bias"], padding=1))
    a, b = torch.split(h, [8, 8], dim=1)
    a = a * t["gate.scale"]
    b = torch.sigmoid(b)
    h = torch.cat([a, b], dim=1)
    h = F.avg_pool2d(h, 2, 2)
    m = F.conv2d(h, t["mix.weight"], t["mix.bias"])
    h = m + h
    feats = h.mean(dim=(2, 3))
    if upto_features:
        return feats
    return feats @ t["head.weight"] + t["head.bias"]


def branch_model(w):
    nodes = [
        helper.make_node("Conv", ["input", "stem.weight", "stem.bias"], ["stem_out"], name="stem", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Relu", ["stem_out"], ["stem_relu"], name="stem_relu"),
        helper.make_node("Split", ["stem_relu", "split_sizes"], ["split_a", "split_b"], name="split", axis=1),
        helper.make_node("Mul", ["split_a", "gate.scale"], ["gated"], name="gate"),
        helper.make_node("Sigmoid", ["split_b"], ["squashed"], name="squash"),
        helper.make_node("Concat", ["gated", "squashed"], ["joined"], name="concat", axis=1),
        helper.make_node("AveragePool", ["joined"], ["pooled"], name="avgpool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["pooled", "mix.weight", "mix.bias"], ["mixed"], name="mix", kernel_shape=[1, 1]),
        helper.make_node("Add", ["mixed", "pooled"], ["summed"], name="residual"),
        helper.make_node("GlobalAveragePool", ["summed"], ["gap_out"], name="gap"),
        helper.make_node("Flatten", ["gap_out"], ["flat_out"], name="flatten", axis=1),
        helper.make_node("MatMul", ["flat_out", "head.weight"], ["head_mm"], name="head_matmul"),
        helper.make_node("Add", ["head_mm", "head.bias"], ["logits"], name="head_bias"),
        helper.make_node("Sigmoid", ["logits"], ["probabilities"], name="sigmoid"),
    ]
    graph = helper.make_graph(
        nodes, "branch_ops",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 32, 32])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 3])],
        [numpy_helper.from_array(v, k) for k, v in w.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="make_quantization_fixtures")
    model.ir_version = 8
    return model


# ----------------------------------------------------------------------------------------------- calibration refs
def percentile_symmetric(values, bins, percentile):
    """ORT calibrate.py compute_percentile (symmetric): histogram of |x| over [0, max|x|], first edge whose
    cumulative fraction reaches the percentile, clipped to max|x|."""
    absx = np.abs(values)
    hist, edges = np.histogram(absx, bins=bins, range=(0.0, float(absx.max())))
    cdf = np.cumsum(hist / hist.sum())
    idx = int(np.searchsorted(cdf, percentile / 100.0))
    return float(min(edges[idx], absx.max()))


def percentile_asymmetric(values, bins, percentile):
    """ORT calibrate.py compute_percentile (asymmetric): histogram over [-t, t], t = max|x|, cut (100-p)/200 on
    each side, clipped to [min, max]."""
    t = float(np.abs(values).max())
    hist, edges = np.histogram(values, bins=bins, range=(-t, t))
    cdf = np.cumsum(hist / hist.sum())
    cut = (100.0 - percentile) / 200.0
    lo = float(edges[int(np.searchsorted(cdf, cut))])
    hi = float(edges[int(np.searchsorted(cdf, 1.0 - cut))])
    return max(lo, float(values.min())), min(hi, float(values.max()))


def entropy_amax(hist, edges, num_bits=8, unsigned=False, stride=1, start_bin=128):
    """pytorch-quantization _compute_amax_entropy, transcribed (NumPy digitize + scipy.stats.entropy)."""
    bins = np.array(hist, dtype=np.int64).copy()
    bins[0] = bins[1]
    total = bins.sum()
    nbins = 1 << (num_bits - 1 + int(unsigned))
    divergences = []
    for i in range(start_bin, len(bins) + 1, stride):
        new_density_counts = np.zeros(nbins, dtype=np.float64)
        space = np.linspace(0, i, num=nbins + 1)
        digitized = np.digitize(range(i), space) - 1
        digitized[bins[:i] == 0] = -1
        for idx, dg in enumerate(digitized):
            if dg != -1:
                new_density_counts[dg] += bins[idx]
        counter = Counter(digitized)
        for key, val in counter.items():
            if key != -1:
                new_density_counts[key] = new_density_counts[key] / val
        new_density = np.zeros(i, dtype=np.float64)
        for idx, dg in enumerate(digitized):
            if dg != -1:
                new_density[idx] = new_density_counts[dg]
        reference = np.array(bins[:i], dtype=np.float64)
        reference[-1] += bins[i:].sum()
        assert round(reference.sum()) == total
        divergences.append(scipy.stats.entropy(reference, new_density))
    divergences = np.array(divergences)
    last_argmin = len(divergences) - 1 - int(np.argmin(divergences[::-1]))
    # JSON has no infinity: an infinite divergence (q = 0 where p > 0) is written as null.
    return float(edges[last_argmin * stride + start_bin]), [None if math.isinf(v) else v for v in divergences.tolist()]


def compute_scale_zp(rmin, rmax, qmin, qmax, symmetric):
    """ORT quant_utils.compute_scale_zp (float32 inputs, float64 arithmetic, float32 scale)."""
    rmin = min(np.float32(rmin), np.float32(0))
    rmax = max(np.float32(rmax), np.float32(0))
    if symmetric:
        absmax = max(abs(rmin), abs(rmax))
        rmin, rmax = -absmax, absmax
    scale = np.float64(rmax - rmin) / (np.float64(qmax) - np.float64(qmin))
    if scale < np.finfo(np.float32).tiny:
        return 1.0, 0
    if symmetric:
        zp = int(np.round((qmin + qmax) / 2.0))
    else:
        zp = int(np.round(qmin - np.float64(rmin) / scale))
    return float(np.float32(scale)), zp


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(20230412)

    ref_images64 = np.stack([reference_image(k, 3, 64) for k in range(8)])
    ref_images32 = np.stack([reference_image(k, 3, 32) for k in range(8)])

    w = conv_stack_weights(rng)
    conv_loss = train(conv_stack_torch, w, 64, 4, steps=400, seed=1)
    model = conv_stack_model(w)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, os.path.join(HERE, "conv_stack.onnx"))
    with torch.no_grad():
        logits = conv_stack_torch(torch_weights(w), torch.from_numpy(ref_images64))
        probs = torch.sigmoid(logits)

    bw = branch_weights(rng)
    branch_loss = train(branch_torch, bw, 32, 3, steps=300, seed=2)
    bmodel = branch_model(bw)
    onnx.checker.check_model(bmodel, full_check=True)
    onnx.save(bmodel, os.path.join(HERE, "branch_ops.onnx"))
    with torch.no_grad():
        bprobs = torch.sigmoid(branch_torch(torch_weights(bw), torch.from_numpy(ref_images32)))

    # Calibration references. A skewed, heavy-tailed sample (ReLU-like with outliers) and a signed one.
    crng = np.random.default_rng(7)
    relu_like = np.maximum(crng.standard_normal(4000).astype(np.float32), 0) * 2.0
    relu_like[:5] = np.array([9.0, 11.5, 14.0, 7.5, 8.25], dtype=np.float32)
    signed = (crng.standard_t(3, 3000) * 0.7).astype(np.float32)

    percentile_cases = []
    for name, data in (("reluLike", relu_like), ("signed", signed)):
        for bins, pct in ((2048, 99.999), (2048, 99.9), (128, 99.0), (16, 90.0)):
            lo, hi = percentile_asymmetric(data, bins, pct)
            percentile_cases.append({
                "data": name, "bins": bins, "percentile": pct,
                "symmetricAmax": percentile_symmetric(data, bins, pct),
                "asymmetricMin": lo, "asymmetricMax": hi,
            })

    # Entropy: the full TensorRT setting (2048 bins, 128 quantized bins) on the two samples, and a tiny
    # histogram (12 bins, num_bits=3 -> 4 quantized bins, start_bin 4) small enough to check by hand.
    entropy_cases = []
    for name, data in (("reluLike", relu_like), ("signed", signed)):
        absx = np.abs(data)
        hist, edges = np.histogram(absx, bins=2048, range=(0.0, float(absx.max())))
        amax, _ = entropy_amax(hist, edges)
        entropy_cases.append({"data": name, "bins": 2048, "numBits": 8, "startBin": 128, "amax": amax})
    tiny_hist = np.array([50, 30, 22, 15, 9, 6, 0, 3, 2, 0, 0, 1], dtype=np.int64)
    tiny_edges = np.linspace(0.0, 1.2, 13)
    tiny_amax, tiny_div = entropy_amax(tiny_hist, tiny_edges, num_bits=3, start_bin=4)
    tiny = {"hist": tiny_hist.tolist(), "edges": tiny_edges.tolist(), "numBits": 3, "startBin": 4,
            "amax": tiny_amax, "divergences": tiny_div}

    scale_cases = []
    for rmin, rmax in ((-1.0, 3.0), (0.0, 6.0), (-0.25, 0.0), (0.5, 2.0), (-5.0, 5.0), (0.0, 0.0)):
        for qtype, (qmin, qmax) in (("int8Symmetric", (-127, 127)), ("uint8Asymmetric", (0, 255)),
                                    ("int8Asymmetric", (-128, 127))):
            symmetric = qtype == "int8Symmetric"
            scale, zp = compute_scale_zp(rmin, rmax, qmin, qmax, symmetric)
            scale_cases.append({"rmin": rmin, "rmax": rmax, "type": qtype, "scale": scale, "zeroPoint": zp})

    # numpy.histogram counts, to check the C# binning bin for bin (16 bins of |x| over [0, max|x|]).
    absx = np.abs(signed)
    h16, e16 = np.histogram(absx, bins=16, range=(0.0, float(absx.max())))
    histogram16 = {"data": "signed", "counts": h16.tolist(), "edges": e16.astype(np.float64).tolist()}

    fixture = {
        "generator": "make_quantization_fixtures.py",
        "versions": {"onnx": onnx.__version__, "torch": torch.__version__, "numpy": np.__version__,
                     "scipy": scipy.__version__},
        "referenceImages": {
            "convStack": {"count": 8, "channels": 3, "size": 64,
                          "logits": logits.numpy().tolist(), "probabilities": probs.numpy().tolist()},
            "branchOps": {"count": 8, "channels": 3, "size": 32, "probabilities": bprobs.numpy().tolist()},
        },
        "calibrationData": {"reluLike": relu_like.tolist(), "signed": signed.tolist()},
        "minMax": {name: {"min": float(d.min()), "max": float(d.max())}
                   for name, d in (("reluLike", relu_like), ("signed", signed))},
        "percentile": percentile_cases,
        "entropy": entropy_cases,
        "entropyTiny": tiny,
        "histogram16": histogram16,
        "scaleZeroPoint": scale_cases,
    }
    with open(os.path.join(HERE, "quantization_fixtures.json"), "w") as f:
        json.dump(fixture, f, indent=1)
    print("conv_stack.onnx", os.path.getsize(os.path.join(HERE, "conv_stack.onnx")), "bytes")
    print("branch_ops.onnx", os.path.getsize(os.path.join(HERE, "branch_ops.onnx")), "bytes")
    print("final training loss: conv stack", conv_loss, "branch ops", branch_loss)
    print("tiny entropy amax", tiny_amax, "divergences", tiny_div)
    print("entropy", entropy_cases)


if __name__ == "__main__":
    main()
