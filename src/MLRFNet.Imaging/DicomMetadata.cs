namespace MLRFNet.Imaging;

/// <summary>
/// The DICOM attributes the toolchain reports with a result. Strings are as stored, with DICOM's trailing space/NUL
/// padding removed; null when the attribute is absent or empty.
/// </summary>
/// <param name="PatientId">Patient ID (0010,0020).</param>
/// <param name="StudyInstanceUid">Study Instance UID (0020,000D).</param>
/// <param name="SeriesInstanceUid">Series Instance UID (0020,000E).</param>
/// <param name="SopInstanceUid">SOP Instance UID (0008,0018).</param>
/// <param name="Modality">Modality (0008,0060), e.g. CR, DX.</param>
/// <param name="BodyPartExamined">Body Part Examined (0018,0015), e.g. CHEST.</param>
/// <param name="ViewPosition">View Position (0018,5101), e.g. PA, AP.</param>
/// <param name="PhotometricInterpretation">Photometric Interpretation (0028,0004) as stored: MONOCHROME1 or MONOCHROME2
/// (MONOCHROME1 pixels are inverted on decode so <see cref="XrayImage.Pixels"/> is always MONOCHROME2).</param>
/// <param name="TransferSyntaxUid">Transfer Syntax UID (0002,0010) from the file meta information.</param>
/// <param name="NumberOfFrames">Number of Frames (0028,0008), 1 when absent. Only the first frame is decoded and
/// scored; a report of a multi-frame file says so.</param>
public sealed record DicomMetadata(string? PatientId, string? StudyInstanceUid, string? SeriesInstanceUid,
    string? SopInstanceUid, string? Modality, string? BodyPartExamined, string? ViewPosition,
    string PhotometricInterpretation, string TransferSyntaxUid, int NumberOfFrames = 1)
{
    /// <summary>The Patient and General Study attributes a result object (SR, Secondary Capture) copies.</summary>
    public DicomPatientStudy? Patient { get; init; }
}

/// <summary>
/// Patient module and General Study module attributes as stored (padding removed; null when absent), plus the source
/// image's SOP Class UID (0008,0016), which a result object references. PS3.3 C.7.1.1 and C.7.2.1.
/// </summary>
public sealed record DicomPatientStudy(string? SopClassUid, string? PatientName, string? PatientBirthDate, string? PatientSex,
    string? StudyDate, string? StudyTime, string? AccessionNumber, string? ReferringPhysicianName, string? StudyId);
