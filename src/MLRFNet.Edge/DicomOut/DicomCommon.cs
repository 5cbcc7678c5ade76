using MLRFNet.Edge.Reports;
using MLRFNet.Imaging;

namespace MLRFNet.Edge.DicomOut;

/// <summary>Attributes every result object shares: character set, creation, equipment, Patient and General Study (copied from the source).</summary>
internal static class DicomCommon
{
    public const string Manufacturer = "MLRFNet.Edge";

    public static DicomDataset PatientStudy(DicomMetadata source, StudyReport report)
    {
        var p = source.Patient!;
        var now = report.CreatedUtc.UtcDateTime;
        return new DicomDataset()
            .Text(0x0008, 0x0005, "CS", "ISO_IR 192")
            .Text(0x0008, 0x0012, "DA", now.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture))
            .Text(0x0008, 0x0013, "TM", now.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture))
            .Text(0x0008, 0x0020, "DA", p.StudyDate)
            .Text(0x0008, 0x0030, "TM", p.StudyTime)
            .Text(0x0008, 0x0050, "SH", p.AccessionNumber)
            .Text(0x0008, 0x0070, "LO", Manufacturer)
            .Text(0x0008, 0x0090, "PN", p.ReferringPhysicianName)
            .Text(0x0008, 0x1090, "LO", $"{report.Model.Name} {report.Model.Version}")
            .Text(0x0010, 0x0010, "PN", p.PatientName)
            .Text(0x0010, 0x0020, "LO", source.PatientId)
            .Text(0x0010, 0x0030, "DA", p.PatientBirthDate)
            .Text(0x0010, 0x0040, "CS", p.PatientSex)
            .Text(0x0020, 0x000D, "UI", source.StudyInstanceUid)
            .Text(0x0020, 0x0010, "SH", p.StudyId);
    }
}
