#!/usr/bin/python3
"""Pillow's RGB -> L conversion (ITU-R BT.601 luma, Image.convert("L")) for a set of colours, the reference for
MLRFNet.Imaging.Luminance. Also records ImageMagick's -colorspace Gray for the same colours, to document that it
differs (BT.709) on saturated colours.

Run: /usr/bin/python3 tests/MLRFNet.Imaging.Tests/Fixtures/make_luminance_fixtures.py
Writes luminance_fixtures.json next to this script.
"""
import json
import os
import subprocess

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
COLOURS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0), (128, 128, 128), (12, 200, 77),
           (250, 3, 140), (1, 2, 3), (99, 98, 97), (200, 100, 50), (17, 34, 51)]


def imagemagick_gray(r, g, b):
    out = subprocess.run(['convert', '-size', '1x1', f'xc:rgb({r},{g},{b})', '-colorspace', 'Gray', '-depth', '8',
                          'gray:-'], capture_output=True, check=True).stdout
    return out[0]


rows = []
for r, g, b in COLOURS:
    pil = Image.new('RGB', (1, 1), (r, g, b)).convert('L').getpixel((0, 0))
    rows.append({'rgb': [r, g, b], 'pillowL': pil, 'imageMagickGray': imagemagick_gray(r, g, b)})
with open(os.path.join(HERE, 'luminance_fixtures.json'), 'w') as f:
    json.dump({'generator': 'make_luminance_fixtures.py', 'colours': rows}, f, indent=1)
    f.write('\n')
print('\n'.join(str(r) for r in rows))
