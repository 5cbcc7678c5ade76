#!/usr/bin/python3
"""Compressed DICOM fixtures: synthetic phantoms written uncompressed by pydicom, compressed by dcmtk and GDCM
(encoders independent of ours), and decoded back by dcmtk/GDCM into raw reference samples.

Run: /usr/bin/python3 tests/MLRFNet.Imaging.Tests/Fixtures/make_compressed_dicom.py
Needs: python3-pydicom, numpy, dcmtk (dcmcjpeg dcmdjpeg dcmcjpls dcmdjpls dcmcrle dcmdrle dcmconv), GDCM (gdcmconv).
Writes compressed_dicom/*.dcm, compressed_dicom/ref/*.raw and compressed_dicom.json next to this script.

Each case records the transfer syntax the tool wrote, the frame count, whether the Basic Offset Table is filled and
how many fragments there are, and the reference samples of the FIRST frame (raw little-endian, Bits Allocated wide)
as decoded by dcmtk (JPEG, JPEG-LS, RLE, deflate) or GDCM (JPEG 2000; GDCM uses OpenJPEG, the library our decoder
calls too, so for .90/.91 the lossless cases are also checked against the original phantom). For every lossless
syntax the script asserts that the reference equals the phantom, so a reference tool bug cannot hide.
"""
import hashlib
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'compressed_dicom')
SC = '1.2.840.10008.5.1.4.1.1.7'             # Secondary Capture Image Storage
MF_WORD_SC = '1.2.840.10008.5.1.4.1.1.7.3'   # Multi-frame Grayscale Word SC


def phantom(rows, columns, bits, seed):
    """A chest-like synthetic image: two dark lung fields, a bright spine, ribs, a gradient and noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:rows, 0:columns] / np.array([rows, columns])[:, None, None]
    top = 2 ** bits - 1
    image = 0.55 + 0.25 * y
    for cx in (0.3, 0.7):
        image -= 0.35 * np.exp(-(((x - cx) / 0.16) ** 2 + ((y - 0.5) / 0.3) ** 2))
    image += 0.3 * np.exp(-((x - 0.5) / 0.05) ** 2)
    image += 0.06 * np.sin(y * 40) * (np.abs(x - 0.5) > 0.08)
    image = image * top + rng.normal(0, top * 0.02, (rows, columns))
    image[0, 0], image[-1, -1] = 0, top        # the full range, so edge values are decoded too
    return np.clip(np.rint(image), 0, top)


def write_native(path, frames, bits_stored, bits_allocated):
    count, rows, columns = frames.shape
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = MF_WORD_SC if count > 1 else SC
    meta.MediaStorageSOPInstanceUID = f'1.2.826.0.1.3680043.8.498.15.{count}.{bits_stored}.{rows}'
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b'\0' * 128)
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = '1.2.826.0.1.3680043.8.498.15.1'
    ds.SeriesInstanceUID = '1.2.826.0.1.3680043.8.498.15.2'
    ds.Modality, ds.PatientID, ds.BodyPartExamined, ds.ViewPosition = 'DX', 'SYNTH-15', 'CHEST', 'PA'
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, 'MONOCHROME2'
    ds.Rows, ds.Columns = rows, columns
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits_allocated, bits_stored, bits_stored - 1, 0
    if count > 1:
        ds.NumberOfFrames = count
    ds.PixelData = frames.astype('<u2' if bits_allocated == 16 else 'u1').tobytes()
    ds.save_as(path, write_like_original=False)


def run(*args):
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f'{" ".join(args)} failed: {result.stderr}')


def encapsulation(path):
    """(Basic Offset Table entries, fragment count) of an encapsulated file, read by pydicom."""
    ds = pydicom.dcmread(path)
    if not ds.file_meta.TransferSyntaxUID.is_encapsulated:
        return None, None
    from pydicom.encaps import generate_pixel_data_fragment, get_frame_offsets
    from pydicom.filebase import DicomBytesIO
    stream = DicomBytesIO(ds.PixelData)
    stream.is_little_endian = True
    has_bot, offsets = get_frame_offsets(stream)
    fragments = sum(1 for _ in generate_pixel_data_fragment(stream))
    return len(offsets) if has_bot else 0, fragments


# name -> (source phantom, encoder command, reference decoder, lossless)
CASES = {
    'jpeg_lossless_sv1_u12': ('u12', ['dcmcjpeg', '+e1'], 'dcmdjpeg', True),
    'jpeg_lossless_sv1_u16': ('u16', ['dcmcjpeg', '+e1'], 'dcmdjpeg', True),
    'jpeg_lossless_sv1_u8': ('u8', ['dcmcjpeg', '+e1'], 'dcmdjpeg', True),
    **{f'jpeg_lossless_p14_sv{sv}_u12': ('u12', ['dcmcjpeg', '+el', '+sv', str(sv)], 'dcmdjpeg', True) for sv in range(1, 8)},
    'jpeg_lossless_sv1_fragments_no_bot': ('u12', ['dcmcjpeg', '+e1', '+fs', '1', '-ot'], 'dcmdjpeg', True),
    'jpeg_lossless_sv1_fragments_bot': ('u12', ['dcmcjpeg', '+e1', '+fs', '1'], 'dcmdjpeg', True),
    'jpeg_lossless_sv1_multiframe_bot': ('mf', ['dcmcjpeg', '+e1'], 'dcmdjpeg', True),
    'jpeg_lossless_sv1_multiframe_no_bot': ('mf', ['dcmcjpeg', '+e1', '-ot'], 'dcmdjpeg', True),
    'jpegls_lossless_u12': ('u12', ['dcmcjpls', '+el'], 'dcmdjpls', True),
    'jpegls_lossless_u16': ('u16', ['dcmcjpls', '+el'], 'dcmdjpls', True),
    'jpegls_lossless_u8': ('u8', ['dcmcjpls', '+el'], 'dcmdjpls', True),
    'jpegls_near_lossless_u12': ('u12', ['dcmcjpls', '+en', '+md', '3'], 'dcmdjpls', False),
    'jpegls_lossless_multiframe_fragments': ('mf', ['dcmcjpls', '+el', '+fs', '1', '-ot'], 'dcmdjpls', True),
    'j2k_lossless_u12': ('u12', ['gdcmconv', '--j2k'], 'gdcmconv', True),
    'j2k_lossless_u16': ('u16', ['gdcmconv', '--j2k'], 'gdcmconv', True),
    'j2k_lossless_u8': ('u8', ['gdcmconv', '--j2k'], 'gdcmconv', True),
    'j2k_lossy_u12': ('u12', ['gdcmconv', '--j2k', '--lossy', '--irreversible', '-r', '10'], 'gdcmconv', False),
    'j2k_lossless_multiframe': ('mf', ['gdcmconv', '--j2k'], 'gdcmconv', True),
    'rle_u12': ('u12', ['dcmcrle'], 'dcmdrle', True),
    'rle_u8': ('u8', ['dcmcrle'], 'dcmdrle', True),
    'rle_multiframe_no_bot': ('mf', ['dcmcrle', '-ot'], 'dcmdrle', True),
    'deflated_u12': ('u12', ['dcmconv', '+td'], 'dcmconv', True),
}
DECODERS = {'dcmdjpeg': ['dcmdjpeg'], 'dcmdjpls': ['dcmdjpls'], 'dcmdrle': ['dcmdrle'],
            'gdcmconv': ['gdcmconv', '--raw'], 'dcmconv': ['dcmconv', '+te']}


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, 'ref'))
    sources = {
        'u12': (phantom(83, 97, 12, 1)[None], 12, 16),
        'u16': (phantom(64, 70, 16, 2)[None], 16, 16),
        'u8': (phantom(50, 61, 8, 3)[None], 8, 8),
        'mf': (np.stack([phantom(40, 48, 12, 4 + i) for i in range(3)]), 12, 16),
    }
    fixtures = {'generator': 'make_compressed_dicom.py', 'pydicom': pydicom.__version__, 'cases': {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (frames, stored, allocated) in sources.items():
            write_native(os.path.join(tmp, f'{name}.dcm'), frames, stored, allocated)
            original = frames[0].astype('<u2' if allocated == 16 else 'u1').tobytes()
            open(os.path.join(OUT, f'native_{name}.dcm'), 'wb').write(open(os.path.join(tmp, f'{name}.dcm'), 'rb').read())
            sources[name] = (frames, stored, allocated, original)
        for name, (source, encoder, decoder, lossless) in CASES.items():
            frames, stored, allocated, original = sources[source]
            path = os.path.join(OUT, f'{name}.dcm')
            run(*encoder, os.path.join(tmp, f'{source}.dcm'), path)
            decoded = os.path.join(tmp, f'{name}.decoded.dcm')
            run(*DECODERS[decoder], path, decoded)
            reference_ds = pydicom.dcmread(decoded)
            assert not reference_ds.file_meta.TransferSyntaxUID.is_compressed, f'{decoder} left {name} compressed'
            reference = reference_ds.pixel_array
            first = (reference[0] if frames.shape[0] > 1 else reference).astype('<u2' if allocated == 16 else 'u1').tobytes()
            if lossless:
                assert first == original, f'{name}: {decoder} does not reproduce the phantom; the reference is suspect'
            else:
                # A lossy reference must differ from the phantom, yet stay close to it (GDCM's -q 30 once gave a
                # constant image: a degenerate fixture that any decoder returning a constant would pass).
                dtype = '<u2' if allocated == 16 else 'u1'
                error = np.abs(np.frombuffer(first, dtype).astype(float) - np.frombuffer(original, dtype))
                if first == original or error.mean() > 0.02 * (2 ** stored - 1):
                    raise SystemExit(f'{name}: lossy reference is identical or far from the phantom (mean error {error.mean():.1f})')
            digest = hashlib.sha256(first).hexdigest()[:16]
            ref = f'ref/{digest}.raw'
            open(os.path.join(OUT, ref), 'wb').write(first)
            written = pydicom.dcmread(path, stop_before_pixels=True)
            bot, fragments = encapsulation(path)
            fixtures['cases'][name] = {
                'file': f'compressed_dicom/{name}.dcm', 'native': f'compressed_dicom/native_{source}.dcm',
                'reference': f'compressed_dicom/{ref}', 'referenceDecoder': ' '.join(DECODERS[decoder]),
                'encoder': ' '.join(encoder), 'transferSyntaxUid': str(written.file_meta.TransferSyntaxUID),
                'width': int(frames.shape[2]), 'height': int(frames.shape[1]), 'frames': int(frames.shape[0]),
                'bitsStored': stored, 'bitsAllocated': allocated, 'lossless': lossless,
                'offsetTableEntries': bot, 'fragments': fragments,
            }
    with open(os.path.join(HERE, 'compressed_dicom.json'), 'w') as f:
        json.dump(fixtures, f, indent=1)
        f.write('\n')
    for name, case in fixtures['cases'].items():
        print(name, case['transferSyntaxUid'], 'BOT', case['offsetTableEntries'], 'fragments', case['fragments'])


if __name__ == '__main__':
    main()
