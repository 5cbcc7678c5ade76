using System.Text.RegularExpressions;

namespace MLRFNet.Imaging.Datasets;

/// <summary>Derives a patient key when a label file has no patient column.</summary>
public static partial class PatientIds
{
    [GeneratedRegex(@"^(\d{8})_\d{3}\.")]
    private static partial Regex NihFileName();

    [GeneratedRegex(@"(patient\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex CheXpertPath();

    /// <summary>
    /// NIH names images <c>PPPPPPPP_SSS.png</c> (patient, follow-up); CheXpert paths hold <c>patientNNNNN</c>.
    /// Anything else is treated as its own patient, which is safe for leakage only when that is true: prefer a
    /// <c>Patient ID</c> column.
    /// </summary>
    public static string FromImageName(string imageIndex)
    {
        var nih = NihFileName().Match(Path.GetFileName(imageIndex));
        if (nih.Success) return nih.Groups[1].Value.TrimStart('0') is { Length: > 0 } id ? id : "0";
        var chexpert = CheXpertPath().Match(imageIndex);
        if (chexpert.Success) return chexpert.Groups[1].Value.ToLowerInvariant();
        return imageIndex;
    }
}
