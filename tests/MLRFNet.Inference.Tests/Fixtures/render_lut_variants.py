#!/usr/bin/python3
"""Makes display-pipeline variants of a real DICOM film and renders each with pydicom, for CompressedDicomScoringTests'
LUT tests (run at test time on ../shared/data; nothing is written into the repository).

Usage: /usr/bin/python3 render_lut_variants.py SOURCE.dcm OUTDIR
Writes OUTDIR/<variant>.dcm and OUTDIR/<variant>.f32 (the pydicom rendering: float32 little endian, row-major, 0..255):
- inverse: Presentation LUT Shape (2050,0020) INVERSE added;
- voi_lut: a VOI LUT Sequence added (gamma 0.7 over the 12-bit stored range onto 16-bit entries); the file's window
  stays, and the LUT is preferred over it, as pydicom's apply_voi_lut does by default.
Rendering: apply_modality_lut, then apply_voi_lut (VOI LUT output / (2^bits - 1) * 255, or the window's output on the
0..2^BitsStored-1 range mapped onto 0..255), then 255 - y when Presentation LUT Shape is INVERSE.
"""
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut


def render(ds):
    modality = apply_modality_lut(ds.pixel_array, ds)
    if 'VOILUTSequence' in ds:
        top = 2 ** int(ds.VOILUTSequence[0].LUTDescriptor[2]) - 1
        display = apply_voi_lut(modality.astype(np.int64), ds).astype(np.float64) / top * 255.0
    else:
        top = 2 ** int(ds.BitsStored) - 1
        display = apply_voi_lut(modality.astype(np.float64), ds) / top * 255.0
    if ds.get('PresentationLUTShape') == 'INVERSE':
        display = 255.0 - display
    return display.astype('<f4')


def main(source, out):
    os.makedirs(out, exist_ok=True)
    inverse = pydicom.dcmread(source)
    inverse.PresentationLUTShape = 'INVERSE'
    voi = pydicom.dcmread(source)
    bits = int(voi.BitsStored)
    item = Dataset()
    item.add_new(0x00283002, 'US', [2 ** bits if bits < 16 else 0, 0, 16])
    item.add_new(0x00283006, 'OW', np.rint((np.arange(2 ** bits) / (2 ** bits - 1)) ** 0.7 * 65535).astype('<u2').tobytes())
    voi.VOILUTSequence = [item]
    for name, ds in (('inverse', inverse), ('voi_lut', voi)):
        path = os.path.join(out, f'{name}.dcm')
        ds.save_as(path, write_like_original=False)
        render(pydicom.dcmread(path)).tofile(os.path.join(out, f'{name}.f32'))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
