namespace MLRFNet.Imaging.Dicom;

/// <summary>Stores one attribute's value bytes into <see cref="DicomAttributes"/>.</summary>
internal delegate void DicomValueSetter(DicomAttributes target, ReadOnlySpan<byte> value, string attribute);

/// <summary>
/// The attributes the decoder reads: tag → (keyword, VR, setter). It doubles as the data dictionary for Implicit VR
/// Little Endian, where VRs are not in the file (PS3.5 section 7.1.3): only the VRs of the tags we read matter,
/// since everything else is skipped by length and undefined lengths are always sequences. Keywords and VRs from
/// DICOM PS3.6 table 6-1.
/// </summary>
internal static class DicomAttributeTable
{
    internal sealed record Entry(DicomTag Tag, string Keyword, string Vr, DicomValueSetter Set)
    {
        public string Describe() => $"{Keyword} {Tag}";
    }

    private static readonly Dictionary<DicomTag, Entry> Entries = new Entry[]
    {
        new(new(0x0008, 0x0005), "Specific Character Set", "CS",
            (a, v, _) => a.Utf8 = a.Text(v)?.Contains("ISO_IR 192", StringComparison.Ordinal) == true),
        new(new(0x0008, 0x0016), "SOP Class UID", "UI", (a, v, _) => a.SopClassUid = a.Text(v)),
        new(new(0x0008, 0x0018), "SOP Instance UID", "UI", (a, v, _) => a.SopInstanceUid = a.Text(v)),
        new(new(0x0008, 0x0020), "Study Date", "DA", (a, v, _) => a.StudyDate = a.Text(v)),
        new(new(0x0008, 0x0030), "Study Time", "TM", (a, v, _) => a.StudyTime = a.Text(v)),
        new(new(0x0008, 0x0050), "Accession Number", "SH", (a, v, _) => a.AccessionNumber = a.Text(v)),
        new(new(0x0008, 0x0090), "Referring Physician's Name", "PN", (a, v, _) => a.ReferringPhysicianName = a.Text(v)),
        new(new(0x0010, 0x0010), "Patient's Name", "PN", (a, v, _) => a.PatientName = a.Text(v)),
        new(new(0x0010, 0x0030), "Patient's Birth Date", "DA", (a, v, _) => a.PatientBirthDate = a.Text(v)),
        new(new(0x0010, 0x0040), "Patient's Sex", "CS", (a, v, _) => a.PatientSex = a.Text(v)),
        new(new(0x0020, 0x0010), "Study ID", "SH", (a, v, _) => a.StudyId = a.Text(v)),
        new(new(0x0008, 0x0060), "Modality", "CS", (a, v, _) => a.Modality = a.Text(v)),
        new(new(0x0010, 0x0020), "Patient ID", "LO", (a, v, _) => a.PatientId = a.Text(v)),
        new(new(0x0018, 0x0015), "Body Part Examined", "CS", (a, v, _) => a.BodyPartExamined = a.Text(v)),
        new(new(0x0018, 0x5101), "View Position", "CS", (a, v, _) => a.ViewPosition = a.Text(v)),
        new(new(0x0020, 0x000D), "Study Instance UID", "UI", (a, v, _) => a.StudyInstanceUid = a.Text(v)),
        new(new(0x0020, 0x000E), "Series Instance UID", "UI", (a, v, _) => a.SeriesInstanceUid = a.Text(v)),
        new(new(0x0028, 0x0002), "Samples per Pixel", "US", (a, v, n) => a.SamplesPerPixel = DicomAttributes.UnsignedShort(v, n)),
        new(new(0x0028, 0x0004), "Photometric Interpretation", "CS", (a, v, _) => a.PhotometricInterpretation = a.Text(v)),
        new(new(0x0028, 0x0008), "Number of Frames", "IS", (a, v, n) => a.NumberOfFrames = DicomAttributes.IntegerString(v, n)),
        new(new(0x0028, 0x0010), "Rows", "US", (a, v, n) => a.Rows = DicomAttributes.UnsignedShort(v, n)),
        new(new(0x0028, 0x0011), "Columns", "US", (a, v, n) => a.Columns = DicomAttributes.UnsignedShort(v, n)),
        new(new(0x0028, 0x0100), "Bits Allocated", "US", (a, v, n) => a.BitsAllocated = DicomAttributes.UnsignedShort(v, n)),
        new(new(0x0028, 0x0101), "Bits Stored", "US", (a, v, n) => a.BitsStored = DicomAttributes.UnsignedShort(v, n)),
        new(new(0x0028, 0x0102), "High Bit", "US", (a, v, n) => a.HighBit = DicomAttributes.UnsignedShort(v, n)),
        new(new(0x0028, 0x0103), "Pixel Representation", "US", (a, v, n) => a.PixelRepresentation = DicomAttributes.UnsignedShort(v, n)),
        new(new(0x0028, 0x1050), "Window Center", "DS", (a, v, n) => a.WindowCenter = DicomAttributes.DecimalString(v, n)),
        new(new(0x0028, 0x1051), "Window Width", "DS", (a, v, n) => a.WindowWidth = DicomAttributes.DecimalString(v, n)),
        new(new(0x0028, 0x1052), "Rescale Intercept", "DS", (a, v, n) => a.RescaleIntercept = DicomAttributes.DecimalString(v, n)),
        new(new(0x0028, 0x1053), "Rescale Slope", "DS", (a, v, n) => a.RescaleSlope = DicomAttributes.DecimalString(v, n)),
        new(new(0x0028, 0x1056), "VOI LUT Function", "CS", (a, v, _) => a.VoiLutFunction = a.Text(v)),
        new(new(0x2050, 0x0020), "Presentation LUT Shape", "CS", (a, v, _) => a.PresentationLutShape = a.Text(v)),
    }.ToDictionary(e => e.Tag);

    public static bool TryGet(DicomTag tag, out Entry entry) => Entries.TryGetValue(tag, out entry!);
}
