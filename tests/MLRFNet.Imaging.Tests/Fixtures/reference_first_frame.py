#!/usr/bin/python3
"""Independent reference for one compressed DICOM file: GDCM (`gdcmconv --raw`) decompresses it, pydicom reads the
first frame, and its samples are written as 16-bit little-endian words (or bytes for Bits Allocated 8). GDCM may
widen Bits Stored (a 14-bit J2K comes out as 16-bit); the test masks both sides to the source's Bits Stored. Used by ForeignEncoderTests on pydicom's own test files, encoded by other
vendors' tools than the dcmtk/GDCM fixtures.

Usage: /usr/bin/python3 reference_first_frame.py IN.dcm OUT.raw
"""
import subprocess
import sys
import tempfile

import numpy as np
import pydicom


def main(source, out):
    with tempfile.TemporaryDirectory() as tmp:
        raw = f'{tmp}/raw.dcm'
        subprocess.run(['gdcmconv', '--raw', source, raw], check=True, capture_output=True)
        ds = pydicom.dcmread(raw)
        frames = int(ds.get('NumberOfFrames', 1) or 1)
        first = ds.pixel_array[0] if frames > 1 else ds.pixel_array
        dtype = '<u2' if int(ds.BitsAllocated) == 16 else 'u1'
        (first.astype(np.int64) & (1 << int(ds.BitsAllocated)) - 1).astype(dtype).tofile(out)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
