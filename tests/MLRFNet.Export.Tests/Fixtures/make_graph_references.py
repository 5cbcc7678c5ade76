#!/usr/bin/python3
"""PyTorch references for the ONNX graph-builder tests (tests/MLRFNet.Export.Tests).

For each case this script builds small PyTorch modules with seeded weights, runs them in eval mode on LCG-generated
inputs and writes the weights (state_dict names) and outputs to graph_references.bin (float32, little-endian) with an
index in graph_references.json. The C# tests build the same functions with OnnxGraphBuilder and the emitters, run them
in ONNX Runtime and compare.

The PyTorch modules come from the public reference implementations, not from the C# emitters. Bottle2neck (timm's
res2net.py), Eca (ECA-Net's eca_module.py) and Csra (CSRA's csra.py) are the ports in
tests/MLRFNet.Training.Tests/Fixtures/reference_models.py, shared with the model tests; torchvision's own Bottleneck
and BasicBlock (torchvision.models.resnet) are used as they are.
  GapFcCam    - the GAP+FC head plus its class activation map (Zhou et al., CVPR 2016), fc applied at every position.

Inputs are not stored: both sides use the 32-bit LCG of tests/MLRFNet.Inference.Tests/Fixtures/make_tiny_model.py
(values k / 2^23 - 1, exact in float32).

Run: /usr/bin/python3 tests/MLRFNet.Onnx.Tests/Fixtures/make_graph_references.py   (torch 1.13, numpy)
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from torchvision.models.resnet import BasicBlock, Bottleneck

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "MLRFNet.Training.Tests", "Fixtures"))
from reference_models import Bottle2neck, Csra, Eca  # noqa: E402  (the shared reference ports)

BIN = os.path.join(HERE, "graph_references.bin")
INDEX = os.path.join(HERE, "graph_references.json")
LCG_A, LCG_C = 1664525, 1013904223


def lcg(seed, shape):
    n = int(np.prod(shape))
    out = np.empty(n, dtype=np.float64)
    s = seed & 0xFFFFFFFF
    for i in range(n):
        s = (LCG_A * s + LCG_C) & 0xFFFFFFFF
        out[i] = (s >> 8) / 16777216.0 * 2.0 - 1.0
    return torch.from_numpy(out.astype(np.float32).reshape(shape))


def downsample(inplanes, outplanes, stride):
    return nn.Sequential(nn.Conv2d(inplanes, outplanes, 1, stride=stride, bias=False), nn.BatchNorm2d(outplanes))


class GapFc(nn.Module):
    def __init__(self, d, classes):
        super().__init__()
        self.fc = nn.Linear(d, classes)

    def forward(self, x):
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


class GapFcCam(GapFc):
    def forward(self, x):
        cam = torch.einsum("bchw,kc->bkhw", x, self.fc.weight) + self.fc.bias.view(1, -1, 1, 1)
        return {"output": super().forward(x), "class_map": cam}


class MiniMlrfNet(nn.Module):
    """A scaled-down MLRFNet with the product's I/O contract: stem, three one-block Res2Net stages, ECA on each
    stage map, a CSRA head per level, logits summed, sigmoid."""

    def __init__(self, classes=14):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer2 = Bottle2neck(8, 4, stride=2, downsample=downsample(8, 16, 2), base_width=64)
        self.layer3 = Bottle2neck(16, 8, stride=2, downsample=downsample(16, 32, 2), base_width=32)
        self.layer4 = Bottle2neck(32, 16, stride=2, downsample=downsample(32, 64, 2), base_width=16)
        self.eca2, self.eca3, self.eca4 = Eca(3), Eca(3), Eca(5)
        self.head2 = Csra(16, classes, 99, 0.1)
        self.head3 = Csra(32, classes, 1, 0.2)
        self.head4 = Csra(64, classes, 99, 0.1)

    def forward(self, x):
        x = self.maxpool(torch.relu(self.bn1(self.conv1(x))))
        u2 = self.layer2(x)
        u3 = self.layer3(u2)
        u4 = self.layer4(u3)
        s2, s3, s4 = self.head2.score_map(self.eca2(u2)), self.head3.score_map(self.eca3(u3)), self.head4.score_map(self.eca4(u4))
        logits = self.head2.pool(s2) + self.head3.pool(s3) + self.head4.pool(s4)
        return {"logits": logits, "probabilities": torch.sigmoid(logits), "class_map_u2": s2, "class_map_u3": s3, "class_map_u4": s4}


def randomize_batchnorms(module, gen):
    # Non-trivial running statistics so that a missing or wrong BatchNorm fold shows in the outputs.
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = torch.rand(c, generator=gen) + 0.5
            m.bias.data = torch.randn(c, generator=gen) * 0.1
            m.running_mean.data = torch.randn(c, generator=gen) * 0.1
            m.running_var.data = torch.rand(c, generator=gen) + 0.5


class Writer:
    def __init__(self):
        self.chunks, self.offset = [], 0

    def add(self, tensor):
        a = tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4").reshape(-1)
        entry = {"offset": self.offset, "shape": list(tensor.shape)}
        self.chunks.append(a.tobytes())
        self.offset += a.size
        return entry


def case(writer, name, module, input_shape, seed, extra=None):
    gen = torch.Generator().manual_seed(seed)
    for p in module.parameters():
        p.data = torch.randn(p.shape, generator=gen) * (1.0 / math.sqrt(max(1, p[0].numel() if p.dim() > 1 else 1)))
    randomize_batchnorms(module, gen)
    module.eval()
    x = lcg(seed, input_shape)
    with torch.no_grad():
        y = module(x)
    outputs = y if isinstance(y, dict) else {"output": y}
    params = {k: writer.add(v) for k, v in module.state_dict().items() if not k.endswith("num_batches_tracked")}
    entry = {"input": {"shape": list(input_shape), "lcg_seed": seed}, "parameters": params,
             "outputs": {k: writer.add(v) for k, v in outputs.items()}}
    entry.update(extra or {})
    print("%-16s in %s -> %s" % (name, list(input_shape), {k: list(v.shape) for k, v in outputs.items()}))
    return name, entry


def main():
    torch.manual_seed(0)
    w = Writer()
    cases = dict([
        case(w, "res2net_first", Bottle2neck(16, 8, stride=2, downsample=downsample(16, 32, 2), base_width=26), (2, 16, 15, 15), 101,
             {"scale": 4}),
        case(w, "res2net_normal", Bottle2neck(32, 8, stride=1, base_width=26), (2, 32, 8, 8), 102, {"scale": 4}),
        case(w, "eca", Eca(5), (2, 32, 6, 6), 103),
        case(w, "csra_max", Csra(32, 14, 99, 0.1), (2, 32, 7, 7), 104, {"temperature": 99, "lambda": 0.1}),
        case(w, "csra_softmax", Csra(32, 14, 2, 0.3), (2, 32, 7, 7), 105, {"temperature": 2, "lambda": 0.3}),
        case(w, "gap_fc", GapFc(32, 14), (2, 32, 7, 7), 106),
        case(w, "mini_mlrfnet", MiniMlrfNet(), (2, 3, 224, 224), 107),
        # Appended after the original cases so their offsets in the .bin stay as they were.
        case(w, "resnet_bottleneck_first", Bottleneck(16, 8, stride=2, downsample=downsample(16, 32, 2)), (2, 16, 15, 15), 108),
        case(w, "resnet_bottleneck_normal", Bottleneck(32, 8), (2, 32, 8, 8), 109),
        case(w, "basic_block_first", BasicBlock(16, 32, stride=2, downsample=downsample(16, 32, 2)), (2, 16, 15, 15), 110),
        case(w, "basic_block_normal", BasicBlock(32, 32), (2, 32, 8, 8), 111),
        case(w, "gap_fc_cam", GapFcCam(32, 14), (2, 32, 7, 7), 112),
    ])
    with open(BIN, "wb") as f:
        for chunk in w.chunks:
            f.write(chunk)
    with open(INDEX, "w") as f:
        json.dump({"torch": torch.__version__, "lcg": {"a": LCG_A, "c": LCG_C}, "cases": cases}, f, indent=1)
    print("wrote %s (%d floats) and %s" % (BIN, w.offset, INDEX))


if __name__ == "__main__":
    main()
