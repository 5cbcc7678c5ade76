namespace MLRFNet.Export;

/// <summary>
/// Names of the exported graph's inputs and outputs (issue 5's contract, read back by MLRFNet.Inference's
/// ModelContract): one input <c>image</c>; outputs <c>logits</c>, <c>probabilities</c> and one
/// <c>class_map_u{2,3,4}</c> per backbone level the head reads.
/// </summary>
public static class GraphNames
{
    public const string Image = "image";
    public const string Logits = "logits";
    public const string Probabilities = "probabilities";
    public const string BatchDimension = "N";

    /// <summary>The class map of a backbone level, by index into (U2, U3, U4): 0 → <c>class_map_u2</c>.</summary>
    public static string ClassMap(int level) =>
        level is >= 0 and <= 2
            ? $"class_map_u{level + 2}"
            : throw new ArgumentOutOfRangeException(nameof(level), level, "Backbone levels are 0 (U2), 1 (U3) and 2 (U4).");
}
