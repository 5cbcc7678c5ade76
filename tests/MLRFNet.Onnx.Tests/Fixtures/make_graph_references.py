#!/usr/bin/python3
"""PyTorch references for the ONNX graph-builder tests (tests/MLRFNet.Onnx.Tests).

For each case this script builds small PyTorch modules with seeded weights, runs them in eval mode on LCG-generated
inputs and writes the weights (state_dict names) and outputs to graph_references.bin (float32, little-endian) with an
index in graph_references.json. The C# tests build the same functions with OnnxGraphBuilder and the emitters, run them
in ONNX Runtime and compare.

The PyTorch modules below are written from the public reference implementations, not from the C# emitters:
  Bottle2neck - timm, https://github.com/huggingface/pytorch-image-models/blob/main/timm/models/res2net.py
  EcaLayer    - ECA-Net, https://github.com/BangguWu/ECANet/blob/master/models/eca_module.py
  Csra        - CSRA, https://github.com/Kevinz-code/CSRA/blob/master/pipeline/csra.py
  torchvision's own Bottleneck and BasicBlock (torchvision.models.resnet) are used as they are.
  GapFcCam    - the GAP+FC head plus its class activation map (Zhou et al., CVPR 2016), fc applied at every position.

Inputs are not stored: both sides use the 32-bit LCG of tests/MLRFNet.Inference.Tests/Fixtures/make_tiny_model.py
(values k / 2^23 - 1, exact in float32).

Run: /usr/bin/python3 tests/MLRFNet.Onnx.Tests/Fixtures/make_graph_references.py   (torch 1.13, numpy)
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
from torchvision.models.resnet import BasicBlock, Bottleneck

HERE = os.path.dirname(os.path.abspath(__file__))
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


class Bottle2neck(nn.Module):
    """Res2Net bottleneck, same structure and forward as timm's Bottle2neck (cardinality 1, dilation 1, no SE)."""

    def __init__(self, inplanes, planes, stride=1, downsample=None, base_width=26, scale=4):
        super().__init__()
        self.scale = scale
        self.is_first = stride > 1 or downsample is not None
        self.num_scales = max(1, scale - 1)
        width = int(math.floor(planes * (base_width / 64.0)))
        self.width = width
        outplanes = planes * 4
        self.conv1 = nn.Conv2d(inplanes, width * scale, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width * scale)
        self.convs = nn.ModuleList([nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False) for _ in range(self.num_scales)])
        self.bns = nn.ModuleList([nn.BatchNorm2d(width) for _ in range(self.num_scales)])
        if self.is_first:
            self.pool = nn.AvgPool2d(kernel_size=3, stride=stride, padding=1)
        self.conv3 = nn.Conv2d(width * scale, outplanes, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(outplanes)
        self.relu = nn.ReLU()
        self.downsample = downsample

    def forward(self, x):
        residual = x
        out = self.relu(self.bn1(self.conv1(x)))
        spx = torch.split(out, self.width, 1)
        spo = []
        sp = None
        for i, (conv, bn) in enumerate(zip(self.convs, self.bns)):
            sp = spx[i] if i == 0 or self.is_first else sp + spx[i]
            sp = self.relu(bn(conv(sp)))
            spo.append(sp)
        if self.scale > 1:
            spo.append(self.pool(spx[-1]) if self.is_first else spx[-1])
        out = self.bn3(self.conv3(torch.cat(spo, 1)))
        if self.downsample is not None:
            residual = self.downsample(x)
        return self.relu(out + residual)


def downsample(inplanes, outplanes, stride):
    return nn.Sequential(nn.Conv2d(inplanes, outplanes, 1, stride=stride, bias=False), nn.BatchNorm2d(outplanes))


class EcaLayer(nn.Module):
    def __init__(self, k_size):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.conv = nn.Conv1d(1, 1, kernel_size=k_size, padding=(k_size - 1) // 2, bias=False)

    def forward(self, x):
        y = self.avg_pool(x)
        y = self.conv(y.squeeze(-1).transpose(-1, -2)).transpose(-1, -2).unsqueeze(-1)
        return x * torch.sigmoid(y).expand_as(x)


class Csra(nn.Module):
    def __init__(self, input_dim, num_classes, T, lam):
        super().__init__()
        self.T, self.lam = T, lam
        self.head = nn.Conv2d(input_dim, num_classes, 1, bias=False)
        self.softmax = nn.Softmax(dim=2)
        self.last_score = None

    def forward(self, x):
        score = self.head(x) / torch.norm(self.head.weight, dim=1, keepdim=True).transpose(0, 1)
        self.last_score = score
        score = score.flatten(2)
        base_logit = torch.mean(score, dim=2)
        if self.T == 99:
            att_logit = torch.max(score, dim=2)[0]
        else:
            att_logit = torch.sum(score * self.softmax(score * self.T), dim=2)
        return base_logit + self.lam * att_logit


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
        self.eca2, self.eca3, self.eca4 = EcaLayer(3), EcaLayer(3), EcaLayer(5)
        self.head2 = Csra(16, classes, 99, 0.1)
        self.head3 = Csra(32, classes, 1, 0.2)
        self.head4 = Csra(64, classes, 99, 0.1)

    def forward(self, x):
        x = self.maxpool(torch.relu(self.bn1(self.conv1(x))))
        u2 = self.layer2(x)
        u3 = self.layer3(u2)
        u4 = self.layer4(u3)
        logits = self.head2(self.eca2(u2)) + self.head3(self.eca3(u3)) + self.head4(self.eca4(u4))
        return {"logits": logits, "probabilities": torch.sigmoid(logits), "class_map_u2": self.head2.last_score,
                "class_map_u3": self.head3.last_score, "class_map_u4": self.head4.last_score}


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
        case(w, "eca", EcaLayer(5), (2, 32, 6, 6), 103),
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
