#!/usr/bin/python3
"""Writes small synthetic DICOM files with pydicom (a writer independent of ours) and records the display values
that independent decoders give for them, so the always-on tests check our DICOM reader without ../shared.

Run: /usr/bin/python3 tests/MLRFNet.Imaging.Tests/Fixtures/make_synthetic_dicom_fixtures.py
Writes synthetic_dicom/*.dcm (a few hundred bytes to 2 KB each; synthetic, no patient data) and
synthetic_dicom_fixtures.json next to this script.

References per file (all values on our 0..255 display scale):
- "pydicom": pixel_array, apply_modality_lut, apply_voi_lut (PS3.3 C.11.2.1.2, LINEAR/LINEAR_EXACT/SIGMOID),
  pydicom's output range (rescaled Bits Stored range) mapped linearly onto 0..255; without a window the rescaled
  stored range is mapped onto 0..255; MONOCHROME1 inverted. JPEG frames decoded by pydicom's Pillow handler.
- "dcmtk": dcm2pnm/dcmj2pnm PGM output (16-bit +opw for Bits Stored > 8, else 8-bit +opb; +Wi 1 when a LINEAR
  window is present) scaled to 0..255, where dcmtk supports the case. It rounds to integers, so it agrees with
  exact arithmetic to about 0.5/65535·255 (16-bit) or 0.5 (8-bit) gray levels.
"""
import io
import json
import os
import subprocess
import tempfile

import numpy as np
import pydicom
from PIL import Image
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, JPEGBaseline8Bit, SecondaryCaptureImageStorage

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'synthetic_dicom')


def base(syntax, rows, columns):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = '1.2.826.0.1.3680043.8.498.1'
    meta.TransferSyntaxUID = syntax
    ds = FileDataset(None, {}, file_meta=meta, preamble=b'\0' * 128)
    ds.is_little_endian = True
    ds.is_implicit_VR = syntax == ImplicitVRLittleEndian
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = '1.2.826.0.1.3680043.8.498.1'
    ds.StudyInstanceUID = '1.2.826.0.1.3680043.8.498.2'
    ds.SeriesInstanceUID = '1.2.826.0.1.3680043.8.498.3'
    ds.Modality = 'DX'
    ds.PatientID = 'SYNTH-01'
    ds.BodyPartExamined = 'CHEST'
    ds.ViewPosition = 'AP'
    ds.SamplesPerPixel = 1
    ds.Rows, ds.Columns = rows, columns
    return ds


def nested_sequences(ds):
    """Sequences the reader must skip, with decoy Rows/Columns inside items (pydicom writes undefined lengths)."""
    icon = Dataset()
    icon.Rows, icon.Columns = 3, 3
    inner = Dataset()
    inner.CodeValue = 'X1'
    inner.CodingSchemeDesignator = 'DCM'
    icon.ConceptNameCodeSequence = [inner]
    ds.IconImageSequence = [icon]
    # Undefined lengths for the sequence and its item (PS3.5 7.5.1/7.5.2); the other sequence keeps defined lengths.
    ds['IconImageSequence'].is_undefined_length = True
    icon.is_undefined_length_sequence_item = True
    ds.IconImageSequence[0]['ConceptNameCodeSequence'].is_undefined_length = True
    other = Dataset()
    other.ReferencedSOPInstanceUID = '1.2.3'
    ds.ReferencedStudySequence = [other, Dataset()]


def pixels(ds, values):
    ds.PixelData = values.astype('<i2' if ds.PixelRepresentation and ds.BitsAllocated == 16 else
                                 '<u2' if ds.BitsAllocated == 16 else 'u1').tobytes()


def case_explicit_u16_bs12_window():
    ds = base(ExplicitVRLittleEndian, 12, 16)
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.WindowCenter, ds.WindowWidth = 1500, 2000
    ds.RescaleSlope, ds.RescaleIntercept = 1, 0
    nested_sequences(ds)
    pixels(ds, (np.arange(12 * 16).reshape(12, 16) * 37) % 4096)
    return ds


def case_implicit_s16_rescale_mono1():
    ds = base(ImplicitVRLittleEndian, 7, 10)
    ds.PhotometricInterpretation = 'MONOCHROME1'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
    ds.RescaleSlope, ds.RescaleIntercept = 0.5, -1024
    nested_sequences(ds)
    pixels(ds, ((np.arange(70).reshape(7, 10) * 977) % 65536) - 32768)
    return ds


def case_explicit_u8():
    ds = base(ExplicitVRLittleEndian, 5, 9)
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    pixels(ds, (np.arange(45).reshape(5, 9) * 29) % 256)
    ds.PixelData += b'\0'   # odd length 45 padded to even, as PS3.5 7.1.1 requires
    return ds


def case_implicit_u16_bs12_sigmoid():
    ds = base(ImplicitVRLittleEndian, 6, 8)
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.WindowCenter, ds.WindowWidth = [2000, 40], [1000, 400]   # multi-valued: the first window applies
    ds.VOILUTFunction = 'SIGMOID'
    pixels(ds, (np.arange(48).reshape(6, 8) * 85) % 4096)
    return ds


def case_explicit_s16_bs12_linear_exact():
    ds = base(ExplicitVRLittleEndian, 6, 7)
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 1
    ds.WindowCenter, ds.WindowWidth = -100, 1500
    ds.VOILUTFunction = 'LINEAR_EXACT'
    ds.RescaleSlope, ds.RescaleIntercept = 1, 0
    pixels(ds, ((np.arange(42).reshape(6, 7) * 101) % 4096) - 2048)   # sign-extended 12-bit values
    return ds


def case_jpeg_baseline():
    rows, columns = 24, 32
    ds = base(JPEGBaseline8Bit, rows, columns)
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    y, x = np.mgrid[0:rows, 0:columns]
    gray = (128 + 100 * np.sin(x / 5.0) * np.cos(y / 7.0)).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(gray, 'L').save(buffer, format='JPEG', quality=90)
    ds.PixelData = encapsulate([buffer.getvalue()], fragments_per_frame=3, has_bot=True)
    ds['PixelData'].is_undefined_length = True
    ds['PixelData'].VR = 'OB'
    ds.LossyImageCompression = '01'
    return ds


def lut_item(descriptor, entries, vr):
    """A LUT item (PS3.3 C.11.1/C.11.2): LUT Descriptor, LUT Data as OW (little-endian words) or US (a list)."""
    item = Dataset()
    item.add_new(0x00283002, 'US', list(descriptor))
    item.add_new(0x00283006, vr, np.asarray(entries, '<u2').tobytes() if vr == 'OW' else [int(v) for v in entries])
    return item


def case_explicit_u16_bs12_modality_lut():
    ds = base(ExplicitVRLittleEndian, 8, 12)
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    curve = np.sqrt(np.arange(4096) / 4095.0) * 65535          # non-linear, so a linear rescale cannot pass
    item = lut_item([4096, 0, 16], np.rint(curve), 'OW')
    item.ModalityLUTType = 'OD'
    ds.ModalityLUTSequence = [item]
    pixels(ds, (np.arange(96).reshape(8, 12) * 43) % 4096)
    return ds


def case_implicit_u16_bs12_voi_lut_sequence():
    ds = base(ImplicitVRLittleEndian, 8, 12)
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.WindowCenter, ds.WindowWidth = 40, 80                  # present, but the VOI LUT is preferred (pydicom's default)
    first = lut_item([3000, 500, 12], np.rint((np.arange(3000) / 2999.0) ** 0.6 * 4095), 'US')   # inputs < 500 and > 3499 clip
    second = lut_item([4096, 0, 12], 4095 - np.arange(4096), 'US')                              # must not be used
    ds.VOILUTSequence = [first, second]
    pixels(ds, (np.arange(96).reshape(8, 12) * 43) % 4096)
    return ds


def case_explicit_u8_voi_lut_8bit():
    ds = base(ExplicitVRLittleEndian, 6, 10)
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.VOILUTSequence = [lut_item([256, 0, 8], np.rint(255 * (1 - np.cos(np.arange(256) / 255 * np.pi)) / 2), 'US')]
    pixels(ds, (np.arange(60).reshape(6, 10) * 29) % 256)
    return ds


def case_explicit_u16_bs12_modality_and_voi_lut():
    ds = base(ExplicitVRLittleEndian, 8, 12)
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    # Modality LUT onto 30000..34095 (16-bit entries: pydicom supports 8 or 16), VOI LUT over 30500..34595 (clipping both ends).
    ds.ModalityLUTSequence = [lut_item([4096, 0, 16], 34095 - np.rint(np.sqrt(np.arange(4096) / 4095.0) * 4095), 'OW')]
    ds.VOILUTSequence = [lut_item([4096, 30500, 16], np.rint((np.arange(4096) / 4095.0) ** 2 * 65535), 'OW')]
    pixels(ds, (np.arange(96).reshape(8, 12) * 43) % 4096)
    return ds


def case_explicit_u16_bs12_window_inverse():
    ds = case_explicit_u16_bs12_window()
    ds.PresentationLUTShape = 'INVERSE'
    return ds


def case_explicit_u8_mono1_inverse():
    ds = case_explicit_u8()
    ds.PhotometricInterpretation = 'MONOCHROME1'
    ds.PresentationLUTShape = 'INVERSE'
    return ds


def case_explicit_u8_mono1_identity():
    ds = case_explicit_u8()
    ds.PhotometricInterpretation = 'MONOCHROME1'
    ds.PresentationLUTShape = 'IDENTITY'
    return ds


CASES = {
    'explicit_u16_bs12_modality_lut': case_explicit_u16_bs12_modality_lut,
    'implicit_u16_bs12_voi_lut_sequence': case_implicit_u16_bs12_voi_lut_sequence,
    'explicit_u8_voi_lut_8bit': case_explicit_u8_voi_lut_8bit,
    'explicit_u16_bs12_modality_and_voi_lut': case_explicit_u16_bs12_modality_and_voi_lut,
    'explicit_u16_bs12_window_inverse': case_explicit_u16_bs12_window_inverse,
    'explicit_u8_mono1_inverse': case_explicit_u8_mono1_inverse,
    'explicit_u8_mono1_identity': case_explicit_u8_mono1_identity,
    'explicit_u16_bs12_window': case_explicit_u16_bs12_window,
    'implicit_s16_rescale_mono1': case_implicit_s16_rescale_mono1,
    'explicit_u8': case_explicit_u8,
    'implicit_u16_bs12_sigmoid': case_implicit_u16_bs12_sigmoid,
    'explicit_s16_bs12_linear_exact': case_explicit_s16_bs12_linear_exact,
    'jpeg_baseline': case_jpeg_baseline,
}


def display_pydicom(path):
    """pydicom's apply_modality_lut and apply_voi_lut (first LUT item, LUT preferred over a window), put on 0..255:
    a VOI LUT's output 0..2^bits-1, a window's output range, or without VOI the range the modality values can take
    (rescaled stored range, or 0..2^bits-1 of a Modality LUT). Then Presentation LUT Shape (2050,0020): INVERSE
    inverts, IDENTITY does not, absent: MONOCHROME1 inverts (PS3.3 C.11.6.1.2, C.7.6.3.1.2; dcmtk renders it so)."""
    ds = pydicom.dcmread(path)
    stored = ds.pixel_array
    from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut
    modality = apply_modality_lut(stored, ds)
    bits, signed = int(ds.BitsStored), int(ds.PixelRepresentation) == 1
    if 'ModalityLUTSequence' in ds:
        y_min, y_max = 0, 2 ** int(ds.ModalityLUTSequence[0].LUTDescriptor[2]) - 1
    else:
        lo, hi = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
        slope, intercept = float(ds.get('RescaleSlope', 1)), float(ds.get('RescaleIntercept', 0))
        y_min, y_max = sorted((lo * slope + intercept, hi * slope + intercept))
    if 'VOILUTSequence' in ds:
        top = 2 ** int(ds.VOILUTSequence[0].LUTDescriptor[2]) - 1
        display = apply_voi_lut(modality.astype(np.int64), ds).astype(np.float64) / top * 255.0
    elif 'WindowCenter' in ds:
        display = (apply_voi_lut(modality.astype(np.float64), ds) - y_min) / (y_max - y_min) * 255.0
    else:
        display = (modality.astype(np.float64) - y_min) / (y_max - y_min) * 255.0
    shape = ds.get('PresentationLUTShape')
    if (shape == 'INVERSE') if shape else ds.PhotometricInterpretation == 'MONOCHROME1':
        display = 255.0 - display
    return display, stored


def display_dcmtk(path, windowed, jpeg, bits, voi_lut=False):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'out.pgm')
        tool = 'dcmj2pnm' if jpeg else 'dcm2pnm'
        # 8-bit PGM for 8-bit sources: dcmtk widens 8 to 16 bits by a shift (v·256), which is not v·65535/255.
        args = [tool, '+opw' if bits > 8 else '+opb'] + (['+Wl', '1'] if voi_lut else ['+Wi', '1'] if windowed else []) + [path, out]
        if subprocess.run(args, capture_output=True).returncode != 0:
            return None
        tokens = open(out).read().split()
        w, h, maxval = int(tokens[1]), int(tokens[2]), int(tokens[3])
        return (np.array(tokens[4:], dtype=np.float64).reshape(h, w) / maxval * 255.0)


def main():
    os.makedirs(OUT, exist_ok=True)
    fixtures = {'generator': 'make_synthetic_dicom_fixtures.py', 'pydicom': pydicom.__version__, 'cases': {}}
    for name, make in CASES.items():
        ds = make()
        path = os.path.join(OUT, f'{name}.dcm')
        ds.save_as(path, write_like_original=False)
        display, stored = display_pydicom(path)
        windowed = 'WindowCenter' in ds and getattr(ds, 'VOILUTFunction', 'LINEAR') == 'LINEAR'
        voi_lut = 'VOILUTSequence' in ds
        dcmtk = display_dcmtk(path, windowed, name.startswith('jpeg'), int(ds.BitsStored), voi_lut) \
            if (voi_lut or windowed or 'WindowCenter' not in ds) else None
        fixtures['cases'][name] = {
            'file': f'synthetic_dicom/{name}.dcm',
            'width': int(ds.Columns), 'height': int(ds.Rows), 'bitsStored': int(ds.BitsStored),
            'transferSyntaxUid': str(ds.file_meta.TransferSyntaxUID),
            'photometricInterpretation': str(ds.PhotometricInterpretation),
            'pydicom': [round(float(v), 5) for v in display.ravel()],
            'stored': [int(v) for v in stored.ravel()],
            'dcmtk': None if dcmtk is None else [round(float(v), 5) for v in dcmtk.ravel()],
            # dcmtk inverts MONOCHROME1 + INVERSE through its presentation LUT at another depth: off by 1 of 255 on some
            # values. A 12-bit VOI LUT output is widened to the 16-bit PGM by a shift (4095 -> 65520), not a scale: 255*15/65535.
            'dcmtkTolerance': {'explicit_u8_mono1_inverse': 1.0, 'implicit_u16_bs12_voi_lut_sequence': 0.06}.get(name),
        }
        if dcmtk is not None:
            print(f'{name}: max |pydicom - dcmtk| = {np.abs(display - dcmtk).max():.4f}')
        else:
            print(f'{name}: no dcmtk reference')
    with open(os.path.join(HERE, 'synthetic_dicom_fixtures.json'), 'w') as f:
        json.dump(fixtures, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
