#!/usr/bin/python3
"""Builds tiny_mlrfnet.onnx, its manifest and numpy-computed expected outputs for the OnnxXrayScorer tests.

The model has the product's I/O contract (issue 5) but almost no weights, so it can live in the repository:
  image          float32 [N, 3, 224, 224]  (symbolic N)
  class_map_u2   [N, 14, 28, 28] = Conv1x1(AveragePool8(image))
  class_map_u3   [N, 14, 14, 14] = Conv1x1(AveragePool16(image))
  class_map_u4   [N, 14, 7, 7]   = Conv1x1(AveragePool32(image))
  logits         [N, 14] = spatial mean(u2) + spatial max(u3) + spatial mean(u4)
  probabilities  [N, 14] = sigmoid(logits)
Mean and max mimic the CSRA base/attention pair, so ReduceMax and GlobalAveragePool are both exercised.

The expected outputs are computed here in float64 numpy from the same weights, without ONNX or ONNX Runtime,
so the C# parity test compares ONNX Runtime against an independent evaluator.

Inputs are not stored: both sides generate them with the same 32-bit LCG (Numerical Recipes constants), whose
values k / 2^23 - 1 are exact in float32, so C# and Python see bit-identical images.

Run: /usr/bin/python3 tests/MLRFNet.Inference.Tests/Fixtures/make_tiny_model.py   (needs onnx 1.12, numpy)
"""
import hashlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "tiny_mlrfnet.onnx")
MANIFEST = os.path.join(HERE, "tiny_mlrfnet.manifest.json")
EXPECTED = os.path.join(HERE, "tiny_mlrfnet.expected.json")

CLASSES = 14
LABELS = ["Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
          "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia"]
LEVELS = [("u2", 8, 28), ("u3", 16, 14), ("u4", 32, 7)]  # name, pooling stride, output side
SEEDS = [1, 2, 3, 20230101]
LCG_A, LCG_C = 1664525, 1013904223


def lcg_image(seed):
    """3x224x224 float32 image from the LCG; mirrored in the C# tests (TinyModelFixture.Image)."""
    n = 3 * 224 * 224
    out = np.empty(n, dtype=np.float64)
    s = seed & 0xFFFFFFFF
    for i in range(n):
        s = (LCG_A * s + LCG_C) & 0xFFFFFFFF
        out[i] = (s >> 8) / 16777216.0 * 2.0 - 1.0
    img = out.astype(np.float32)
    assert np.array_equal(img.astype(np.float64), out), "LCG values must be exact in float32"
    return img.reshape(3, 224, 224)


def weights():
    rng = np.random.default_rng(5)
    w = {}
    for name, _, _ in LEVELS:
        w[name + "_w"] = (rng.standard_normal((CLASSES, 3, 1, 1)) * 0.5).astype(np.float32)
        w[name + "_b"] = (rng.standard_normal(CLASSES) * 0.1).astype(np.float32)
    return w


def build_model(w):
    nodes, inits = [], []
    for name, k, _ in LEVELS:
        nodes.append(helper.make_node("AveragePool", ["image"], ["pool_" + name],
                                      kernel_shape=[k, k], strides=[k, k], name="pool_" + name))
        nodes.append(helper.make_node("Conv", ["pool_" + name, name + "_w", name + "_b"], ["class_map_" + name],
                                      kernel_shape=[1, 1], name="conv_" + name))
        inits += [numpy_helper.from_array(w[name + "_w"], name + "_w"),
                  numpy_helper.from_array(w[name + "_b"], name + "_b")]
    # base (spatial mean) on u2 and u4, attention (spatial max) on u3. ReduceMax takes axes as an attribute in opset 17.
    nodes += [
        helper.make_node("GlobalAveragePool", ["class_map_u2"], ["gap_u2"]),
        helper.make_node("Flatten", ["gap_u2"], ["mean_u2"], axis=1),
        helper.make_node("ReduceMax", ["class_map_u3"], ["max_u3"], axes=[2, 3], keepdims=0),
        helper.make_node("GlobalAveragePool", ["class_map_u4"], ["gap_u4"]),
        helper.make_node("Flatten", ["gap_u4"], ["mean_u4"], axis=1),
        helper.make_node("Add", ["mean_u2", "max_u3"], ["sum_23"]),
        helper.make_node("Add", ["sum_23", "mean_u4"], ["logits"]),
        helper.make_node("Sigmoid", ["logits"], ["probabilities"]),
    ]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", CLASSES]),
               helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", CLASSES])]
    outputs += [helper.make_tensor_value_info("class_map_" + n, TensorProto.FLOAT, ["N", CLASSES, s, s])
                for n, _, s in LEVELS]
    graph = helper.make_graph(nodes, "tiny_mlrfnet",
                              [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, 224, 224])],
                              outputs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="make_tiny_model.py", producer_version="1")
    model.ir_version = 8
    model.doc_string = "Tiny deterministic stand-in with MLRFNet's I/O contract, for inference tests only."
    return model


def reference(img, w):
    """float64 numpy forward pass of the same function."""
    x = img.astype(np.float64)
    maps = {}
    for name, k, s in LEVELS:
        pooled = x.reshape(3, s, k, s, k).mean(axis=(2, 4))                       # [3, s, s]
        wt = w[name + "_w"].astype(np.float64)[:, :, 0, 0]                         # [C, 3]
        maps[name] = np.einsum("oc,chw->ohw", wt, pooled) + w[name + "_b"].astype(np.float64)[:, None, None]
    logits = maps["u2"].mean(axis=(1, 2)) + maps["u3"].max(axis=(1, 2)) + maps["u4"].mean(axis=(1, 2))
    return logits, 1.0 / (1.0 + np.exp(-logits)), maps


def samples(m, rng, count=64):
    flat = m.reshape(-1)
    idx = np.sort(rng.choice(flat.size, size=count, replace=False))
    return [[int(i), float(flat[i])] for i in idx]


def main():
    w = weights()
    model = build_model(w)
    onnx.save(model, MODEL)
    onnx.checker.check_model(MODEL, full_check=True)
    size = os.path.getsize(MODEL)
    assert size < 100_000, size
    with open(MODEL, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()

    manifest = {
        "schemaVersion": 1,
        "modelName": "tiny-mlrfnet",
        "modelVersion": "test-1",
        "architecture": "tiny-fixture",
        "precision": "Fp32",
        "labelSetName": "chestxray14",
        "labels": LABELS,
        "preprocessing": {"resizeSize": 256, "cropSize": 224, "channels": 3, "pixelScale": 1.0 / 255.0,
                          "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "resizeFilter": "bilinear"},
        "onnxSha256": sha,
        "createdUtc": "2025-01-01T00:00:00+00:00",
    }
    with open(MANIFEST, "w") as f:
        json.dump(manifest, f, indent=2)

    rng = np.random.default_rng(7)
    cases = []
    for seed in SEEDS:
        logits, probs, maps = reference(lcg_image(seed), w)
        case = {"seed": seed, "logits": logits.tolist(), "probabilities": probs.tolist(),
                "class_map_u4": maps["u4"].reshape(-1).tolist()}
        for name in ("u2", "u3"):
            case["class_map_%s_samples" % name] = samples(maps[name], rng)
            case["class_map_%s_sum" % name] = float(maps[name].sum())
        cases.append(case)
    with open(EXPECTED, "w") as f:
        json.dump({"model_sha256": sha, "lcg": {"a": LCG_A, "c": LCG_C}, "cases": cases}, f, indent=1)
    print("wrote %s (%d bytes, sha256 %s), check_model(full_check=True) passed" % (MODEL, size, sha))


if __name__ == "__main__":
    main()
