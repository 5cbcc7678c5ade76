"""Python/PyTorch references for the MLRFNet tests (run with Debian's /usr/bin/python3: torch 1.13, torchvision).

Independent of the C# code: written from the public implementations, not from MLRFNet.Training.
- Res2Net block/backbone: modelled on timm's res2net.py + resnet.py
  (https://github.com/huggingface/pytorch-image-models/blob/main/timm/models/res2net.py); timm is not installable on
  this machine, so this is a port that keeps timm's module names (state_dict keys).
- ResNet-50 / ResNet-18: torchvision itself.
- ECA: modelled on https://github.com/BangguWu/ECANet/blob/master/models/eca_module.py
- CSRA: modelled on https://github.com/Kevinz-code/CSRA/blob/master/pipeline/csra.py
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torchvision


class Bottle2neck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, base_width=26, scale=4):
        super().__init__()
        self.scale = scale
        self.is_first = stride > 1 or downsample is not None
        self.num_scales = max(1, scale - 1)
        width = int(math.floor(planes * (base_width / 64.0)))
        self.width = width
        self.conv1 = nn.Conv2d(inplanes, width * scale, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width * scale)
        self.convs = nn.ModuleList([nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False) for _ in range(self.num_scales)])
        self.bns = nn.ModuleList([nn.BatchNorm2d(width) for _ in range(self.num_scales)])
        if self.is_first:
            self.pool = nn.AvgPool2d(kernel_size=3, stride=stride, padding=1)
        self.conv3 = nn.Conv2d(width * scale, planes * 4, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
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
        spo.append(self.pool(spx[-1]) if self.is_first else spx[-1])
        out = self.bn3(self.conv3(torch.cat(spo, 1)))
        if self.downsample is not None:
            residual = self.downsample(x)
        return self.relu(out + residual)


class Res2NetBackbone(nn.Module):
    """timm ResNet(Bottle2neck, layers, base_width=26, block_args=dict(scale=4)) without fc, plain 7x7 stem."""

    def __init__(self, layers=(3, 4, 6, 3), planes=(64, 128, 256, 512), stem_width=64, base_width=26, scale=4):
        super().__init__()
        self.conv1 = nn.Conv2d(3, stem_width, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(stem_width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        inplanes = stem_width
        for i, (n, p) in enumerate(zip(layers, planes)):
            stride = 1 if i == 0 else 2
            blocks = []
            for b in range(n):
                s = stride if b == 0 else 1
                down = None
                if b == 0 and (s != 1 or inplanes != p * 4):
                    down = nn.Sequential(nn.Conv2d(inplanes, p * 4, 1, stride=s, bias=False), nn.BatchNorm2d(p * 4))
                blocks.append(Bottle2neck(inplanes, p, s, down, base_width, scale))
                inplanes = p * 4
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        u1 = self.layer1(x)
        u2 = self.layer2(u1)
        u3 = self.layer3(u2)
        u4 = self.layer4(u3)
        return u2, u3, u4


class TorchvisionBackbone(nn.Module):
    """A torchvision ResNet with the same keys (fc removed) returning layer2..layer4: `name` is a torchvision model
    function (resnet18, resnet50) or ("BasicBlock", [depths]) for torchvision's ResNet class with other depths."""

    def __init__(self, name):
        super().__init__()
        if isinstance(name, tuple):
            block, depths = name
            net = torchvision.models.resnet.ResNet(getattr(torchvision.models.resnet, block), depths)
        else:
            net = getattr(torchvision.models, name)()
        for key in ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"]:
            setattr(self, key, getattr(net, key))

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        u2 = self.layer2(self.layer1(x))
        u3 = self.layer3(u2)
        u4 = self.layer4(u3)
        return u2, u3, u4


class Eca(nn.Module):
    def __init__(self, k_size=3):
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
        self.T = T
        self.lam = lam
        self.head = nn.Conv2d(input_dim, num_classes, 1, bias=False)

    def score_map(self, x):
        return self.head(x) / torch.norm(self.head.weight, dim=1, keepdim=True).transpose(0, 1)

    def forward(self, x):
        return self.pool(self.score_map(x))

    def pool(self, score_map):
        score = score_map.flatten(2)
        base_logit = torch.mean(score, dim=2)
        if self.T == 99:
            att_logit = torch.max(score, dim=2)[0]
        else:
            att_logit = torch.sum(score * torch.softmax(score * self.T, dim=2), dim=2)
        return base_logit + self.lam * att_logit


class Mrfc(nn.Module):
    def __init__(self, channels, num_classes, lambdas=(0.5, 0.3, 0.1), T=99):
        super().__init__()
        self.csra = nn.ModuleList([Csra(c, num_classes, T, l) for c, l in zip(channels, lambdas)])

    def forward(self, levels):
        maps = [h.score_map(u) for h, u in zip(self.csra, levels)]
        return sum(h.pool(m) for h, m in zip(self.csra, maps)), maps


class MLRFNet(nn.Module):
    """backbone + ECA on U2..U4 + MRFC, with the C# model's state_dict layout (backbone.*, eca2..4, classifier.csra.*)."""

    def __init__(self, backbone, channels, num_classes):
        super().__init__()
        self.backbone = backbone
        self.eca2, self.eca3, self.eca4 = Eca(), Eca(), Eca()
        self.classifier = Mrfc(channels, num_classes)

    def forward(self, x):
        u2, u3, u4 = self.backbone(x)
        levels = [self.eca2(u2), self.eca3(u3), self.eca4(u4)]
        logits, maps = self.classifier(levels)
        return logits, maps, (u2, u3, u4)


# ---- deterministic "formula" weights: the same numbers are generated by the C# tests, so full-size parity needs no
# ---- committed weight file. Per tensor, element j (row-major) gets u_j in [-1, 1) from SplitMix64 (Steele et al.,
# ---- OOPSLA 2014; exact 64-bit integer arithmetic, so both languages produce identical bits) seeded by the key.

def key_seed(key):
    return sum((i + 1) * ord(c) for i, c in enumerate(key)) % 1000003


def formula_values(key, shape):
    n = int(np.prod(shape)) if len(shape) else 1
    with np.errstate(over="ignore"):
        z = np.uint64(key_seed(key)) * np.uint64(0x2545F4914F6CDD1D) + (np.arange(1, n + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)
    return (2.0 * u - 1.0).reshape(shape)


def formula_tensor(key, shape):
    """Scaled so activations stay O(1) through 50 layers (BatchNorm in eval mode uses these running stats)."""
    v = formula_values(key, shape)
    leaf = key.rsplit(".", 1)[-1]
    if leaf == "num_batches_tracked":
        return torch.zeros(shape, dtype=torch.int64)
    if leaf == "running_var":
        out = 1.0 + 0.5 * v * v
    elif leaf == "running_mean":
        out = 0.1 * v
    elif leaf == "bias":
        out = 0.1 * v
    elif len(shape) == 1:  # BatchNorm weight (gamma)
        out = 0.5 + 0.25 * v
    else:  # conv / linear weight: uniform-ish with variance ~ 1/fan_in
        fan_in = int(np.prod(shape[1:]))
        out = v * math.sqrt(6.0 / fan_in)   # variance 2 / fan_in (He et al.)
    return torch.from_numpy(out.astype(np.float32))


def formula_input(shape):
    """Input pattern both languages compute: x[n,c,h,w] = sin(0.05 h (c+1) + 0.03 w + 0.4 n) + 0.1 c."""
    b, c, h, w = shape
    nn_, cc, hh, ww = np.meshgrid(np.arange(b), np.arange(c), np.arange(h), np.arange(w), indexing="ij")
    return torch.from_numpy((np.sin(0.05 * hh * (cc + 1) + 0.03 * ww + 0.4 * nn_) + 0.1 * cc).astype(np.float32))


def fill_with_formula(module):
    sd = module.state_dict()
    module.load_state_dict({k: formula_tensor(k, tuple(v.shape)) for k, v in sd.items()})
    return module
