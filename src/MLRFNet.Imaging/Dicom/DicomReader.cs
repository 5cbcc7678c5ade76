using MLRFNet.Imaging.Dicom.Codecs;

namespace MLRFNet.Imaging.Dicom;

/// <summary>The first frame's stored samples in the native layout, with what is needed to display them.</summary>
internal sealed record DicomFrame(DicomImageGeometry Geometry, DicomAttributes Attributes, TransferSyntax Syntax, byte[] Samples);

/// <summary>
/// DICOM Part 10 → <see cref="XrayImage"/>. The file structure is read by hand: no DICOM library (fo-dicom et al.) is
/// available from this project's NuGet feed, and the subset needed for grayscale radiographs is small. Pixel data of
/// every transfer syntax in <see cref="TransferSyntax"/> with a <see cref="FrameCodec"/> is decoded to native
/// samples by <see cref="FrameDecoders"/> (multi-frame files: the first frame), then displayed by one
/// <see cref="DicomGrayscalePipeline"/>. Everything else is refused with an <see cref="XrayDecodeException"/> naming
/// the transfer syntax or attribute. References: DICOM PS3.5 (encoding), PS3.10 (file format), PS3.3 C.7.6.3
/// (Image Pixel), C.11 (LUTs).
/// </summary>
internal static class DicomReader
{
    public static XrayImage Decode(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        var frame = ReadFirstFrame(data, limits);
        var (geometry, attributes, syntax) = (frame.Geometry, frame.Attributes, frame.Syntax);
        var pixels = new DicomGrayscalePipeline(geometry, attributes).ApplyNative(frame.Samples, geometry.Rows * geometry.Columns);
        var metadata = new DicomMetadata(attributes.PatientId, attributes.StudyInstanceUid, attributes.SeriesInstanceUid,
            attributes.SopInstanceUid, attributes.Modality, attributes.BodyPartExamined, attributes.ViewPosition,
            attributes.PhotometricInterpretation!, syntax.Uid, geometry.Frames)
        {
            Patient = new DicomPatientStudy(attributes.SopClassUid, attributes.PatientName, attributes.PatientBirthDate,
                attributes.PatientSex, attributes.StudyDate, attributes.StudyTime, attributes.AccessionNumber,
                attributes.ReferringPhysicianName, attributes.StudyId),
        };
        return new XrayImage(geometry.Columns, geometry.Rows, pixels, geometry.BitsStored, XrayFormat.Dicom, metadata);
    }

    /// <summary>Reads the file and decodes the stored samples of its first frame (before any LUT).</summary>
    public static DicomFrame ReadFirstFrame(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        if (data.Length < DicomDatasetWalker.DatasetStart || !data.Slice(DicomDatasetWalker.PreambleLength, 4).SequenceEqual("DICM"u8))
            throw new XrayDecodeException(DecodeErrorKind.UnknownFormat,
                "Not a DICOM Part 10 file: no 'DICM' after the 128-byte preamble (PS3.10 7.1).");
        var (uid, datasetOffset) = DicomDatasetWalker.ReadFileMeta(data, limits);
        var syntax = TransferSyntax.Resolve(uid);
        if (syntax.Deflated) data = DeflatedDataset.Inflate(data, datasetOffset, limits);
        var attributes = new DicomAttributes();
        var pixelData = DicomDatasetWalker.ReadDataset(data, datasetOffset, syntax, attributes, limits);
        var geometry = DicomImageGeometry.Validate(attributes, limits);
        var count = geometry.Rows * geometry.Columns;
        var frameBytes = (long)count * (geometry.BitsAllocated / 8);
        if (!pixelData.Encapsulated)
        {
            var native = data[pixelData.Native];
            if (native.Length < frameBytes)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"DICOM Pixel Data holds {native.Length} bytes but {geometry.Columns}x{geometry.Rows} pixels at Bits Allocated " +
                    $"{geometry.BitsAllocated} need {frameBytes}: Rows, Columns or the pixel data is wrong.");
            return new DicomFrame(geometry, attributes, syntax, native[..(int)frameBytes].ToArray());
        }
        var compressed = DicomFirstFrame.Extract(data, pixelData, geometry.Frames, syntax.Codec!.Value);
        var samples = new byte[frameBytes];
        FrameDecoders.For(syntax.Codec.Value)(compressed, geometry, samples);
        return new DicomFrame(geometry, attributes, syntax, samples);
    }
}
