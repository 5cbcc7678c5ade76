namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// DICOM Part 10 → <see cref="XrayImage"/>. Written by hand: no DICOM library (fo-dicom et al.) is available from
/// this project's NuGet feed, and the subset needed for single-frame grayscale radiographs is small. Supported:
/// Implicit and Explicit VR Little Endian (native pixels) and JPEG Baseline (1.2.840.10008.1.2.4.50, decoded by
/// ImageSharp from the concatenated fragments of the single frame). Everything else is refused with an
/// <see cref="XrayDecodeException"/> naming the transfer syntax or attribute; see <see cref="TransferSyntax"/>.
/// References: DICOM PS3.5 (encoding), PS3.10 (file format), PS3.3 C.7.6.3 (Image Pixel), C.11 (LUTs).
/// </summary>
internal static class DicomReader
{
    public static XrayImage Decode(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        if (data.Length < DicomDatasetWalker.DatasetStart || !data.Slice(DicomDatasetWalker.PreambleLength, 4).SequenceEqual("DICM"u8))
            throw new XrayDecodeException(DecodeErrorKind.UnknownFormat,
                "Not a DICOM Part 10 file: no 'DICM' after the 128-byte preamble (PS3.10 7.1).");
        var (uid, datasetOffset) = DicomDatasetWalker.ReadFileMeta(data, limits);
        var syntax = TransferSyntax.Resolve(uid);
        var attributes = new DicomAttributes();
        var pixelData = DicomDatasetWalker.ReadDataset(data, datasetOffset, syntax, attributes, limits);
        var geometry = DicomImageGeometry.Validate(attributes, limits);
        var pipeline = new DicomGrayscalePipeline(geometry, attributes);
        var count = geometry.Rows * geometry.Columns;
        float[] pixels;
        if (pixelData.Encapsulated)
        {
            if (pixelData.OffsetTableEntries > 1)
                throw new XrayDecodeException(DecodeErrorKind.UnsupportedAttribute,
                    $"DICOM Basic Offset Table lists {pixelData.OffsetTableEntries} frames: multi-frame images are not supported.");
            var (header, decoded) = Jpeg.JpegReader.DecodeGray(pixelData.ConcatenateFragments(data), limits, "DICOM JPEG Baseline frame");
            if (header.Width != geometry.Columns || header.Height != geometry.Rows || header.Components != 1)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"DICOM JPEG frame is {header.Width}x{header.Height} with {header.Components} component(s) but the data set " +
                    $"declares {geometry.Columns}x{geometry.Rows} (Columns x Rows) with Samples per Pixel 1.");
            pixels = pipeline.ApplyDecoded(decoded);
        }
        else
        {
            var needed = (long)count * (geometry.BitsAllocated / 8);
            var native = data[pixelData.Native];
            if (native.Length < needed)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"DICOM Pixel Data holds {native.Length} bytes but {geometry.Columns}x{geometry.Rows} pixels at Bits Allocated " +
                    $"{geometry.BitsAllocated} need {needed}: Rows, Columns or the pixel data is wrong.");
            pixels = pipeline.ApplyNative(native, count);
        }
        var metadata = new DicomMetadata(attributes.PatientId, attributes.StudyInstanceUid, attributes.SeriesInstanceUid,
            attributes.SopInstanceUid, attributes.Modality, attributes.BodyPartExamined, attributes.ViewPosition,
            attributes.PhotometricInterpretation!, syntax.Uid);
        return new XrayImage(geometry.Columns, geometry.Rows, pixels, geometry.BitsStored, XrayFormat.Dicom, metadata);
    }
}
