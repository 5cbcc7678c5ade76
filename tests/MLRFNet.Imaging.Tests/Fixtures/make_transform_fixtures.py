#!/usr/bin/python3
"""References for the resize and the evaluation transform, from torch/torchvision and Pillow.

Run: /usr/bin/python3 tests/MLRFNet.Imaging.Tests/Fixtures/make_transform_fixtures.py
Writes transform_fixtures.json next to this script.

Input images are synthetic and integer-valued, defined by pattern(x, y) below, which the C# tests re-create.
- resize: torch.nn.functional.interpolate(mode="bilinear", align_corners=False, antialias=True) (what torchvision
  0.14 F.resize(tensor, antialias=True) calls) and Pillow Image.resize(BILINEAR) on a mode "F" (float32) image.
- eval: torchvision transforms Resize(256, antialias=True) -> CenterCrop(224) on the gray tensor, then x/255,
  replicate to 3 channels, Normalize(ImageNet mean, std); values sampled at fixed positions plus channel means.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
import torchvision.transforms as T
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def pattern(width, height):
    y, x = np.mgrid[0:height, 0:width].astype(np.int64)
    return ((3 * x * x + 17 * y + x * y) % 256).astype(np.float32)


def resize_case(width, height, out_w, out_h):
    image = pattern(width, height)
    tensor = torch.from_numpy(image)[None, None]
    torch_out = F.interpolate(tensor, size=(out_h, out_w), mode='bilinear', align_corners=False, antialias=True)[0, 0].numpy()
    pil_out = np.asarray(Image.fromarray(image, mode='F').resize((out_w, out_h), Image.BILINEAR), dtype=np.float32)
    return {'width': width, 'height': height, 'outWidth': out_w, 'outHeight': out_h,
            'torch': [round(float(v), 5) for v in torch_out.ravel()],
            'pillow': [round(float(v), 5) for v in pil_out.ravel()],
            'maxTorchPillow': float(np.abs(torch_out - pil_out).max())}


def eval_case(width, height):
    gray = torch.from_numpy(pattern(width, height))[None]                      # 1 x H x W, 0..255
    resized = T.CenterCrop(224)(T.Resize(256, interpolation=T.InterpolationMode.BILINEAR, antialias=True)(gray))
    tensor = T.Normalize(MEAN, STD)((resized / 255.0).repeat(3, 1, 1)).numpy()
    rng = np.random.default_rng(7)
    positions = [[int(c), int(y), int(x)] for c, y, x in zip(rng.integers(0, 3, 40), rng.integers(0, 224, 40), rng.integers(0, 224, 40))]
    positions += [[0, 0, 0], [2, 223, 223], [1, 0, 223], [0, 223, 0], [1, 112, 112]]
    return {'width': width, 'height': height, 'shape': list(tensor.shape),
            'samples': [[c, y, x, round(float(tensor[c, y, x]), 6)] for c, y, x in positions],
            'channelMeans': [round(float(tensor[c].mean()), 6) for c in range(3)]}


def main():
    out = {'generator': 'make_transform_fixtures.py', 'torch': torch.__version__, 'torchvision': torchvision.__version__,
           'resize': [resize_case(53, 37, 13, 9), resize_case(53, 37, 26, 18), resize_case(53, 37, 53, 37),
                      resize_case(53, 37, 80, 60), resize_case(53, 37, 20, 90), resize_case(300, 211, 64, 45)],
           'eval': [eval_case(410, 300), eval_case(301, 256), eval_case(1024, 1024), eval_case(200, 500)]}
    for case in out['resize']:
        print(f"resize {case['width']}x{case['height']} -> {case['outWidth']}x{case['outHeight']}: "
              f"max |torch - pillow| = {case['maxTorchPillow']:.2e}")
    with open(os.path.join(HERE, 'transform_fixtures.json'), 'w') as f:
        json.dump(out, f)
        f.write('\n')


if __name__ == '__main__':
    main()
