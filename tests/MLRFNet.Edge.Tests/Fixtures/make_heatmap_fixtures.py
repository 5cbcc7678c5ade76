#!/usr/bin/python3
"""Reference values for the HTML heatmaps, computed by PyTorch and matplotlib (not by our code).

- upsample: torch.nn.functional.interpolate(mode="bilinear", align_corners=False) of fixed small maps, the
  convention ClassMapUpsampler follows.
- jet: matplotlib's "jet" colormap at i/255, i = 0..255 (matplotlib quantizes to a 256-entry LUT; at these points
  the LUT entry equals the piecewise-linear segment value).

Run: /usr/bin/python3 make_heatmap_fixtures.py  (writes heatmap_fixtures.json beside this script)
"""
import json
import os

import matplotlib
import numpy as np
import torch
import torch.nn.functional as F

cases = []
rng = np.random.default_rng(1234)
for (h, w, oh, ow) in [(7, 7, 56, 56), (2, 3, 5, 7), (4, 4, 3, 3), (14, 14, 31, 17)]:
    m = rng.standard_normal((h, w)).astype(np.float32)
    up = F.interpolate(torch.from_numpy(m)[None, None], size=(oh, ow), mode="bilinear", align_corners=False)[0, 0]
    cases.append({"height": h, "width": w, "outHeight": oh, "outWidth": ow,
                  "input": m.flatten().tolist(), "output": up.numpy().flatten().tolist()})

cmap = matplotlib.colormaps["jet"]
jet = [list(map(float, cmap(i / 255.0)[:3])) for i in range(256)]

out = {"torch": torch.__version__, "matplotlib": matplotlib.__version__, "upsample": cases, "jet": jet}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "heatmap_fixtures.json"), "w") as f:
    json.dump(out, f)
