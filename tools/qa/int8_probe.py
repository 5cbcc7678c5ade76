#!/usr/bin/env python3
"""Simulates `mlrfnet quantize --precision int8 --scheme u8s8` on an FP32 model in PyTorch, to ask what-if questions
the ONNX Runtime path cannot answer cheaply. A research probe for QA engineers, not part of the product.

The FP32 ONNX graph is run op by op in torch (Conv, Relu, Add, Mul, Sigmoid, MaxPool, pooling, reductions, Reshape,
Identity: what MLRFNet exports). INT8 is fake-quantized the way the C# quantizer builds it: per-tensor uint8
activations at the QDQ points its `--debug` SQNR file lists, ranges by the 0.001/99.999 percentiles of 64 calibration
images of the training split, per-channel symmetric int8 weights on every Conv but the stem (`--float-input-conv`).
Every result is judged like `mlrfnet qa` on the validation split (mean AUC drop and per-class drop <= max(0.01, one
swapped pair)).

  sweep  keep stages in float from the input side and report output SQNR, |dp| and the gate for each
  qat    quantization-aware fine-tuning distilled from the FP32 logits on the training split (straight-through
         rounding, fixed activation ranges), judged after each epoch

Inputs: the FP32 model, the `--debug` SQNR JSON of an int8 quantize run of it (for the QDQ points), a training run
folder (train.csv, validation.csv), the image folder. Preprocessing follows the model's spec (resize 256, centre
crop 224, gray replicated to 3 channels, minus the manifest's means). Needs Debian's python3-torch, python3-onnx,
python3-sklearn, python3-pil. Session 3's figures in models/MODEL_CARD.md:
  int8_probe.py sweep --model models/chestxray14-demo.onnx --sqnr int8.sqnr.json --run RUN --images IMAGES
  int8_probe.py qat   ... --lr 1e-6 --epochs 4
"""
import argparse
import csv
import json
import os
import time

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from PIL import Image
from sklearn.metrics import roc_auc_score

RESIZE, CROP = 256, 224


class Graph:
    """The ONNX graph as torch ops, its float initializers as trainable parameters."""

    def __init__(self, path, qdq_tensors):
        model = onnx.load(path)
        self.graph = model.graph
        self.initializers = {i.name: torch.tensor(numpy_helper.to_array(i).copy()) for i in self.graph.initializer}
        for n in self.graph.node:
            if n.op_type == "Constant":
                self.initializers[n.output[0]] = torch.tensor(numpy_helper.to_array(n.attribute[0].t).copy())
        self.params = {k: torch.nn.Parameter(v) for k, v in self.initializers.items() if v.dtype == torch.float32}
        convs = [n for n in self.graph.node if n.op_type == "Conv"]
        stem = convs[0].input[1]  # the convolution that reads the image stays float, as --float-input-conv keeps it
        self.all_weights = {n.input[1] for n in convs if n.input[1] != stem}
        self.all_activations = set(qdq_tensors)
        self.weights, self.activations = set(self.all_weights), set(self.all_activations)
        self.ranges = {}

    def keep_float(self, prefixes):
        self.weights = {w for w in self.all_weights if not w.startswith(tuple(prefixes))} if prefixes else set(self.all_weights)
        self.activations = {t for t in self.all_activations if not t.startswith(tuple(prefixes))} if prefixes else set(self.all_activations)

    def run(self, x, quant=False, collect=None):
        env = {self.graph.input[0].name: x}
        value = lambda k: env[k] if k in env else self.params.get(k, self.initializers.get(k))
        for n in self.graph.node:
            t, a = n.op_type, {at.name: onnx.helper.get_attribute_value(at) for at in n.attribute}
            if t == "Constant":
                continue
            i = [value(k) if k else None for k in n.input]
            if t == "Conv":
                w = fake_quant_weight(i[1]) if quant and n.input[1] in self.weights else i[1]
                pads = a.get("pads", [0, 0, 0, 0])
                if pads[:2] != pads[2:]:
                    raise SystemExit(f"{n.name}: asymmetric padding is not simulated")
                y = F.conv2d(i[0], w, i[2] if len(i) > 2 else None, a.get("strides", [1, 1]), pads[:2], a.get("dilations", [1, 1]), a.get("group", 1))
            elif t == "MaxPool":
                y = F.max_pool2d(i[0], a["kernel_shape"], a["strides"], a.get("pads", [0, 0, 0, 0])[:2])
            elif t in ("ReduceMean", "ReduceMax"):
                fn = torch.mean if t == "ReduceMean" else torch.amax
                y = fn(i[0], dim=a["axes"], keepdim=bool(a.get("keepdims", 1)))
            elif t == "GlobalAveragePool":
                y = i[0].mean(dim=(2, 3), keepdim=True)
            elif t == "Reshape":
                y = i[0].reshape([int(v) if v != 0 else i[0].shape[j] for j, v in enumerate(i[1].tolist())])
            elif t in ("Relu", "Sigmoid", "Identity", "Add", "Mul"):
                y = {"Relu": lambda: F.relu(i[0]), "Sigmoid": lambda: torch.sigmoid(i[0]), "Identity": lambda: i[0],
                     "Add": lambda: i[0] + i[1], "Mul": lambda: i[0] * i[1]}[t]()
            else:
                raise SystemExit(f"op {t} ({n.name}) is not simulated")
            out = n.output[0]
            if collect is not None and out in self.all_activations:
                collect.setdefault(out, []).append(y.detach().flatten())
            if quant and out in self.activations:
                y = fake_quant_activation(y, *self.ranges[out])
            env[out] = y
        return env["logits"], env["probabilities"]

    def calibrate(self, images):
        seen = {}
        with torch.no_grad():
            for s in range(0, len(images), 8):
                self.run(images[s:s + 8], collect=seen)
        for k, v in seen.items():
            v = torch.cat(v).numpy()
            lo, hi = min(0.0, float(np.percentile(v, 0.001))), max(0.0, float(np.percentile(v, 99.999)))
            self.ranges[k] = (lo, hi if hi > lo else lo + 1e-6)


def fake_quant_activation(x, lo, hi):
    """uint8, asymmetric, per tensor; straight-through gradient."""
    scale = (hi - lo) / 255.0
    zero = float(min(255, max(0, round(-lo / scale))))
    y = (torch.clamp(torch.round(x / scale) + zero, 0, 255) - zero) * scale
    return x + (y - x).detach()


def fake_quant_weight(w):
    """int8, symmetric, per output channel (max-abs scale); straight-through gradient."""
    scale = w.detach().abs().amax(dim=tuple(range(1, w.dim())), keepdim=True).clamp_min(1e-12) / 127.0
    y = torch.clamp(torch.round(w / scale), -127, 127) * scale
    return w + (y - w).detach()


def load_gray(path):
    image = Image.open(path).convert("F")
    w, h = image.size
    s = RESIZE / min(w, h)
    return np.asarray(image.resize((round(w * s), round(h * s)), Image.BILINEAR), dtype=np.float32)


def to_tensor(gray, mean, offset=None, flip=False):
    h, w = gray.shape
    oy, ox = offset if offset is not None else ((h - CROP) // 2, (w - CROP) // 2)
    crop = gray[oy:oy + CROP, ox:ox + CROP]
    if flip:
        crop = crop[:, ::-1]
    return np.stack([crop - m for m in mean])


def batched(graph, x, **kw):
    with torch.no_grad():
        return torch.cat([graph.run(x[s:s + 16], **kw)[1] for s in range(0, len(x), 16)]).numpy()


def judge(tag, y, classes, reference, candidate):
    dp = np.abs(reference - candidate)
    sqnr = 20 * np.log10(np.linalg.norm(reference) / np.linalg.norm(reference - candidate))
    drops, fails = [], []
    for k, c in enumerate(classes):
        positives = int(y[:, k].sum())
        negatives = len(y) - positives
        if positives == 0 or negatives == 0:
            continue
        d = roc_auc_score(y[:, k], candidate[:, k]) - roc_auc_score(y[:, k], reference[:, k])
        drops.append(d)
        if -d > max(0.01, 1.0 / (positives * negatives)) + 1e-12:
            fails.append(f"{c} {d:+.4f}")
    mean = float(np.mean(drops))
    passed = not fails and -mean <= 0.005
    print(f"{tag}: probability SQNR {sqnr:.1f} dB, |dp| median {np.median(dp):.4f} max {dp.max():.4f}, "
          f"mean dAUC {mean:+.4f}, gate {'passed' if passed else 'FAILED'}{': ' + ', '.join(fails) if fails else ''}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["sweep", "qat"])
    parser.add_argument("--model", required=True, help="FP32 ONNX model (its manifest beside it)")
    parser.add_argument("--sqnr", required=True, help="<int8 out>.sqnr.json of `mlrfnet quantize --debug` on this model")
    parser.add_argument("--run", required=True, help="training run folder with train.csv and validation.csv")
    parser.add_argument("--images", required=True, help="image folder")
    parser.add_argument("--lr", type=float, default=1e-6, help="qat: Adam learning rate")
    parser.add_argument("--epochs", type=int, default=4, help="qat: epochs over the training split")
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(min(4, os.cpu_count() or 1))

    manifest = json.load(open(os.path.splitext(args.model)[0] + ".manifest.json"))
    spec = manifest["preprocessing"]
    if (spec["resizeSize"], spec["cropSize"], spec["pixelScale"], spec["std"]) != (RESIZE, CROP, 1, [1, 1, 1]):
        raise SystemExit("the probe simulates resize 256, crop 224, pixel scale 1 and std 1 only")
    qdq = [a["tensor"] for a in json.load(open(args.sqnr))["activations"] if a["atThisQdqDb"] is not None and a["atThisQdqDb"] < 300]
    graph = Graph(args.model, qdq)

    rows = lambda name: list(csv.DictReader(open(os.path.join(args.run, name))))
    train, val = rows("train.csv"), rows("validation.csv")
    classes = [c for c in val[0] if c not in ("Image Index", "Patient ID")]
    val_x = torch.tensor(np.stack([to_tensor(load_gray(os.path.join(args.images, r["Image Index"])), spec["mean"]) for r in val]))
    val_y = np.array([[int(float(r[c])) for c in classes] for r in val])
    train_gray = [load_gray(os.path.join(args.images, r["Image Index"])) for r in train]
    calibration = np.linspace(0, len(train_gray) - 1, 64).round().astype(int)
    graph.calibrate(torch.tensor(np.stack([to_tensor(train_gray[i], spec["mean"]) for i in calibration])))
    reference = batched(graph, val_x)
    print(f"{len(graph.all_activations)} quantized activations, {len(graph.all_weights)} int8 weights; "
          f"{len(train)} training, {len(val)} validation images", flush=True)

    if args.mode == "sweep":
        stages = ["backbone.relu", "backbone.maxpool", "backbone.layer1", "backbone.layer2", "eca2", "backbone.layer3", "eca3"]
        for tag, prefixes in [("all INT8 but the stem", []), ("+ layer1 in float", stages[:3]), ("+ layer1-2 in float", stages[:5]),
                              ("+ layer1-3 in float", stages), ("only the heads' weights INT8", ["backbone", "eca"])]:
            graph.keep_float(prefixes)
            judge(tag, val_y, classes, reference, batched(graph, val_x, quant=True))
        return

    judge("post-training INT8", val_y, classes, reference, batched(graph, val_x, quant=True))
    teacher = {k: v.detach().clone() for k, v in graph.params.items()}
    optimizer = torch.optim.Adam(graph.params.values(), lr=args.lr)
    rng = np.random.default_rng(0)
    for epoch in range(args.epochs):
        started, total = time.time(), 0.0
        order = rng.permutation(len(train_gray))
        for s in range(0, len(order), 16):
            x = torch.tensor(np.stack([to_tensor(train_gray[j], spec["mean"], tuple(rng.integers(0, RESIZE - CROP + 1, 2)), rng.random() < 0.5).copy()
                                       for j in order[s:s + 16]]))
            with torch.no_grad():
                student = {k: v.detach().clone() for k, v in graph.params.items()}
                for k, v in graph.params.items():
                    v.data.copy_(teacher[k])
                target = graph.run(x)[0]
                for k, v in graph.params.items():
                    v.data.copy_(student[k])
            loss = F.mse_loss(graph.run(x, quant=True)[0], target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(x)
        print(f"epoch {epoch + 1}: distillation loss {total / len(order):.5f} ({time.time() - started:.0f} s)", flush=True)
        judge(f"QAT epoch {epoch + 1}", val_y, classes, reference, batched(graph, val_x, quant=True))


if __name__ == "__main__":
    main()
