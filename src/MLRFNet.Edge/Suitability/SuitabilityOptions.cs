using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Suitability;

/// <summary>
/// <c>Edge:Suitability</c>: what an image must be for the model to score it, i.e. what it was trained on (frontal
/// chest radiographs, ChestX-ray14). Lists are comma-separated (the configuration binder appends to array defaults
/// instead of replacing them, so a string is the only way an operator can narrow a list). An empty list switches
/// that tag rule off. PNG and JPEG carry no tags: they pass the tag rules and their report says "unverified".
/// </summary>
public sealed class SuitabilityOptions
{
    public const string Section = "Edge:Suitability";

    /// <summary>False: score everything (no rule is applied). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Modality (0008,0060) values accepted; default "CR,DX,DR". An absent Modality fails this rule.</summary>
    public string AllowedModalities { get; set; } = "CR,DX,DR";

    /// <summary>Body Part Examined (0018,0015) values accepted; default "CHEST". An absent body part passes.</summary>
    public string AllowedBodyParts { get; set; } = "CHEST";

    /// <summary>View Position (0018,5101) values refused; default the lateral views "LL,RL,LAT,LATERAL".</summary>
    public string RejectedViewPositions { get; set; } = "LL,RL,LAT,LATERAL";

    /// <summary>Smallest width and height in pixels; default 256 (the model sees 224 after resize and crop).</summary>
    [Range(1, 65535, ErrorMessage = "Edge:Suitability:MinSidePixels must be between 1 and 65535.")]
    public int MinSidePixels { get; set; } = 256;

    /// <summary>
    /// Smallest standard deviation of the display gray values (0..255) for an image not to count as near-uniform;
    /// default 4. Chest films measure about 40-70; a blank or test-pattern-free exposure is below 1.
    /// </summary>
    [Range(0.0, 128.0, ErrorMessage = "Edge:Suitability:MinGrayStdDev must be between 0 and 128.")]
    public double MinGrayStdDev { get; set; } = 4.0;

    /// <summary>A comma-separated list as upper-case trimmed values.</summary>
    public static IReadOnlySet<string> Values(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => v.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
}

[OptionsValidator]
internal sealed partial class SuitabilityOptionsValidator : IValidateOptions<SuitabilityOptions>;
