using MLRFNet.Imaging;

namespace MLRFNet.Edge.Suitability;

/// <summary>A rule's verdict on an image: null when it passes, else the short reason a clinician reads in the report.</summary>
internal delegate string? SuitabilityRule(XrayImage image, SuitabilityOptions options);

/// <summary>
/// Whether an image is what the model was trained on, decided before it is scored. The rules are a name-keyed table
/// checked in order; the first failing rule is the verdict. Tag rules look at the DICOM attributes and pass PNG/JPEG
/// (no tags: the report says "unverified"); pixel rules look at every input.
/// </summary>
internal static class SuitabilityRules
{
    public static readonly IReadOnlyList<(string Name, SuitabilityRule Rule)> Rules =
    [
        ("modality", Modality),
        ("body-part", BodyPart),
        ("view-position", ViewPosition),
        ("size", Size),
        ("near-uniform", NearUniform),
    ];

    public static SuitabilityVerdict Check(XrayImage image, SuitabilityOptions options)
    {
        var verified = image.Dicom is not null;
        if (!options.Enabled) return new SuitabilityVerdict(true, null, null, verified, Checked: false);
        foreach (var (name, rule) in Rules)
        {
            if (rule(image, options) is { } reason) return new SuitabilityVerdict(false, name, reason, verified);
        }
        return new SuitabilityVerdict(true, null, null, verified);
    }

    private static string? Modality(XrayImage image, SuitabilityOptions options)
    {
        var allowed = SuitabilityOptions.Values(options.AllowedModalities);
        if (image.Dicom is not { } dicom || allowed.Count == 0) return null;
        if (dicom.Modality is null) return $"Modality (0008,0060) is absent; the model is for {string.Join("/", allowed)} radiographs.";
        return allowed.Contains(dicom.Modality.ToUpperInvariant()) ? null
            : $"Modality is {dicom.Modality}; the model is for {string.Join("/", allowed)} radiographs.";
    }

    private static string? BodyPart(XrayImage image, SuitabilityOptions options)
    {
        var allowed = SuitabilityOptions.Values(options.AllowedBodyParts);
        if (image.Dicom?.BodyPartExamined is not { } part || allowed.Count == 0) return null;
        return allowed.Contains(part.ToUpperInvariant()) ? null
            : $"Body Part Examined is {part}; the model is for {string.Join("/", allowed)} images.";
    }

    private static string? ViewPosition(XrayImage image, SuitabilityOptions options)
    {
        var rejected = SuitabilityOptions.Values(options.RejectedViewPositions);
        if (image.Dicom?.ViewPosition is not { } view) return null;
        return rejected.Contains(view.ToUpperInvariant())
            ? $"View Position is {view} (lateral); the model was trained on frontal (PA/AP) views." : null;
    }

    private static string? Size(XrayImage image, SuitabilityOptions options) =>
        image.Width >= options.MinSidePixels && image.Height >= options.MinSidePixels ? null
            : $"The image is {image.Width}x{image.Height} pixels; at least {options.MinSidePixels} a side is needed.";

    private static string? NearUniform(XrayImage image, SuitabilityOptions options)
    {
        double sum = 0, squares = 0;
        foreach (var v in image.Pixels)
        {
            sum += v;
            squares += (double)v * v;
        }
        var mean = sum / image.Pixels.Length;
        var deviation = Math.Sqrt(Math.Max(0, squares / image.Pixels.Length - mean * mean));
        return deviation >= options.MinGrayStdDev ? null
            : $"The image is near-uniform (gray standard deviation {deviation:0.00} < {options.MinGrayStdDev:0.##}): blank, " +
              "over- or under-exposed, or not an X-ray.";
    }
}

/// <summary>The outcome of <see cref="SuitabilityRules.Check"/>: the failing rule and reason, and whether tags were checked.</summary>
internal sealed record SuitabilityVerdict(bool Suitable, string? Rule, string? Reason, bool TagsVerified, bool Checked = true);
