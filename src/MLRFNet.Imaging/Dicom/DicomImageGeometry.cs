namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// The Image Pixel module values (PS3.3 C.7.6.3) checked against what this decoder implements: one sample per
/// pixel, MONOCHROME1/2, any number of frames (the first is decoded), Bits Allocated 8 or 16, Bits Stored ≤ Bits Allocated, High Bit in range.
/// </summary>
internal sealed record DicomImageGeometry(int Rows, int Columns, int BitsAllocated, int BitsStored, int HighBit, int PixelRepresentation,
    int Frames)
{
    public static DicomImageGeometry Validate(DicomAttributes a, DecodeLimits limits)
    {
        var samples = DicomAttributes.Required(a.SamplesPerPixel, "Samples per Pixel (0028,0002)");
        if (samples != 1)
            throw new XrayDecodeException(DecodeErrorKind.UnsupportedAttribute,
                $"DICOM Samples per Pixel (0028,0002) is {samples}: colour images are not supported, only grayscale (1). " +
                "Convert to MONOCHROME2 first.");
        var photometric = a.PhotometricInterpretation ?? throw new XrayDecodeException(DecodeErrorKind.Malformed,
            "DICOM file lacks Photometric Interpretation (0028,0004), a required (Type 1) attribute (PS3.3 C.7.6.3).");
        if (photometric is not ("MONOCHROME1" or "MONOCHROME2"))
            throw new XrayDecodeException(DecodeErrorKind.UnsupportedAttribute,
                $"DICOM Photometric Interpretation (0028,0004) is '{photometric}'; only MONOCHROME1 and MONOCHROME2 are supported.");
        var frames = a.NumberOfFrames ?? 1;
        if (frames < 1)
            throw new XrayDecodeException(DecodeErrorKind.Malformed, $"DICOM Number of Frames (0028,0008) is {frames}; it must be at least 1.");
        var rows = DicomAttributes.Required(a.Rows, "Rows (0028,0010)");
        var columns = DicomAttributes.Required(a.Columns, "Columns (0028,0011)");
        if (rows == 0 || columns == 0)
            throw new XrayDecodeException(DecodeErrorKind.Malformed, $"DICOM image is {columns}x{rows} (Columns x Rows); both must be positive.");
        limits.CheckDimensions(columns, rows, "DICOM Columns x Rows");
        var allocated = DicomAttributes.Required(a.BitsAllocated, "Bits Allocated (0028,0100)");
        if (allocated is not (8 or 16))
            throw new XrayDecodeException(DecodeErrorKind.UnsupportedAttribute,
                $"DICOM Bits Allocated (0028,0100) is {allocated}; only 8 and 16 are supported.");
        var stored = DicomAttributes.Required(a.BitsStored, "Bits Stored (0028,0101)");
        var highBit = DicomAttributes.Required(a.HighBit, "High Bit (0028,0102)");
        if (stored < 1 || stored > allocated || highBit >= allocated || highBit < stored - 1)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"DICOM Bits Stored {stored} / High Bit {highBit} do not fit Bits Allocated {allocated} " +
                "(need 1 ≤ Bits Stored ≤ Bits Allocated and Bits Stored − 1 ≤ High Bit < Bits Allocated).");
        var representation = DicomAttributes.Required(a.PixelRepresentation, "Pixel Representation (0028,0103)");
        if (representation is not (0 or 1))
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"DICOM Pixel Representation (0028,0103) is {representation}; it must be 0 (unsigned) or 1 (two's complement).");
        return new DicomImageGeometry(rows, columns, allocated, stored, highBit, representation, frames);
    }
}
