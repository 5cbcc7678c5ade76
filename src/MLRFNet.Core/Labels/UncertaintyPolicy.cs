namespace MLRFNet.Core.Labels;

/// <summary>
/// How CheXpert's uncertain labels (-1) become training targets (Irvin et al., AAAI 2019, Section 4).
/// </summary>
public enum UncertaintyPolicy
{
    /// <summary>U-Ones: every uncertain label is positive.</summary>
    Ones,

    /// <summary>U-Zeros: every uncertain label is negative.</summary>
    Zeros,

    /// <summary>
    /// The mixed policy: Atelectasis and Edema uncertain as ones; Cardiomegaly, Consolidation and Pleural Effusion
    /// (and every other observation) as zeros — the best single policy per label in CheXpert's Table 2.
    /// </summary>
    Mixed,
}

public static class CheXpertLabels
{
    private static readonly HashSet<string> mixedOnes = new(StringComparer.Ordinal) { "Atelectasis", "Edema" };

    /// <summary>
    /// Maps one CheXpert cell to a 0/1 target: 1.0 → 1, 0.0 or blank → 0, -1.0 → by <paramref name="policy"/>.
    /// </summary>
    public static float Resolve(string label, float? value, UncertaintyPolicy policy)
    {
        if (value is null) return 0f;
        var v = value.Value;
        if (v == 1f) return 1f;
        if (v == 0f) return 0f;
        if (v == -1f)
        {
            return policy switch
            {
                UncertaintyPolicy.Ones => 1f,
                UncertaintyPolicy.Zeros => 0f,
                UncertaintyPolicy.Mixed => mixedOnes.Contains(label) ? 1f : 0f,
                _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown uncertainty policy."),
            };
        }
        throw new FormatException($"CheXpert label '{label}' has value {v}; expected 1, 0, -1 or blank.");
    }
}
