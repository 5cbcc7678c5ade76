#!/usr/bin/python3
"""Records small reference figures of the shared sample X-rays, decoded by decoders independent of ours.

Run: /usr/bin/python3 tests/MLRFNet.Imaging.Tests/Fixtures/make_imaging_fixtures.py [../shared/data]
Writes imaging_fixtures.json next to this script. Only figures are stored (SHA-256 of each source file, size,
mean/min/max and pixel values at a few fixed coordinates, DICOM tags): never image data.

References:
- PNG: Pillow (libpng + zlib). Gray stays as is; RGB/RGBA go through Image.convert("L") (ITU-R BT.601 luma,
  the formula MLRFNet.Imaging.Luminance implements). 16-bit gray is divided by 257.
- DICOM: pydicom 2.3. Native pixels via its numpy handler, JPEG Baseline via its Pillow handler (libjpeg-turbo);
  the display value is pydicom's apply_modality_lut + apply_voi_lut (PS3.3 C.11.2.1.2), whose output range
  [y_min, y_max] (the rescaled range of Bits Stored) is mapped linearly onto 0..255. Without a window the rescaled
  stored range itself is mapped onto 0..255. MONOCHROME1 is inverted.
"""
import hashlib
import json
import os
import sys

import numpy as np
import pydicom
from PIL import Image
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut

HERE = os.path.dirname(os.path.abspath(__file__))
# Fractions of (width, height) where pixel values are sampled: corners, centre and some off-grid points.
SAMPLE_FRACTIONS = [(0, 0), (0.999, 0), (0, 0.999), (0.999, 0.999), (0.5, 0.5), (0.25, 0.33), (0.75, 0.66),
                    (0.1, 0.9), (0.9, 0.1), (0.37, 0.61), (0.61, 0.37), (0.05, 0.5), (0.5, 0.05), (0.83, 0.77)]


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def figures(gray):
    h, w = gray.shape
    samples = []
    for fx, fy in SAMPLE_FRACTIONS:
        x, y = int(fx * w), int(fy * h)
        samples.append([x, y, round(float(gray[y, x]), 4)])
    return {'width': w, 'height': h, 'mean': round(float(gray.mean()), 5), 'min': round(float(gray.min()), 4),
            'max': round(float(gray.max()), 4), 'samples': samples}


def png_gray(path):
    image = Image.open(path)
    if image.mode in ('L', 'P', 'RGB', 'RGBA', 'LA'):
        return np.asarray(image.convert('L') if image.mode != 'L' else image, dtype=np.float64), image.mode
    if image.mode in ('I;16', 'I;16B', 'I'):
        return np.asarray(image, dtype=np.float64) / 257.0, image.mode
    raise SystemExit(f'{path}: unexpected PNG mode {image.mode}')


def dicom_display(ds):
    stored = ds.pixel_array
    modality = apply_modality_lut(stored, ds).astype(np.float64)
    bits, signed = int(ds.BitsStored), int(ds.PixelRepresentation) == 1
    lo, hi = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
    slope, intercept = float(ds.get('RescaleSlope', 1)), float(ds.get('RescaleIntercept', 0))
    y_min, y_max = sorted((lo * slope + intercept, hi * slope + intercept))
    if 'WindowCenter' in ds and 'WindowWidth' in ds:
        windowed = apply_voi_lut(modality, ds)     # in pydicom's [y_min, y_max]
        display = (windowed - y_min) / (y_max - y_min) * 255.0
    else:
        display = (modality - y_min) / (y_max - y_min) * 255.0
    if ds.PhotometricInterpretation == 'MONOCHROME1':
        display = 255.0 - display
    return stored, display


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '../../../../shared/data'))
    out = {'generator': 'make_imaging_fixtures.py', 'pillow': Image.__version__, 'pydicom': pydicom.__version__,
           'png': {}, 'dicom': {}}
    for folder in ('nih-sample/images', 'nih-sample/fullsize'):
        for name in sorted(os.listdir(os.path.join(root, folder))):
            path = os.path.join(root, folder, name)
            gray, mode = png_gray(path)
            out['png'][f'{folder}/{name}'] = {'sha256': sha256(path), 'mode': mode, **figures(gray)}
    for name in sorted(os.listdir(os.path.join(root, 'dicom'))):
        path = os.path.join(root, 'dicom', name)
        ds = pydicom.dcmread(path)
        stored, display = dicom_display(ds)
        out['dicom'][name] = {
            'sha256': sha256(path),
            'tags': {k: str(ds.get(k)) if ds.get(k) is not None else None for k in (
                'PatientID', 'StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'Modality',
                'BodyPartExamined', 'ViewPosition', 'PhotometricInterpretation')},
            'transferSyntaxUid': str(ds.file_meta.TransferSyntaxUID),
            'bitsStored': int(ds.BitsStored),
            'stored': figures(stored.astype(np.float64)),
            **figures(display),
        }
    with open(os.path.join(HERE, 'imaging_fixtures.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(f"wrote {len(out['png'])} PNG and {len(out['dicom'])} DICOM entries")


if __name__ == '__main__':
    main()
