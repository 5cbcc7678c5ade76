namespace MLRFNet.Imaging.Dicom;

/// <summary>A VOI window function: modality value x → display value in [0, 255] for center c and width w.</summary>
internal delegate double VoiFunction(double x, double center, double width);

/// <summary>
/// The VOI LUT Function (0028,1056) registry, DICOM PS3.3 section C.11.2.1.2 and C.11.2.1.3, with the output
/// range y_min = 0, y_max = 255 (our 8-bit display range; pixels stay float, so nothing is rounded here).
/// </summary>
internal static class VoiLut
{
    private const double OutputMax = 255.0;

    /// <summary>LINEAR (the default, C.11.2.1.2.1): Window Width must be ≥ 1.</summary>
    public static double Linear(double x, double c, double w)
    {
        if (x <= c - 0.5 - (w - 1) / 2) return 0;
        if (x > c - 0.5 + (w - 1) / 2) return OutputMax;
        return ((x - (c - 0.5)) / (w - 1) + 0.5) * OutputMax;
    }

    /// <summary>LINEAR_EXACT (C.11.2.1.3.2): Window Width must be &gt; 0.</summary>
    public static double LinearExact(double x, double c, double w)
    {
        if (x <= c - w / 2) return 0;
        if (x > c + w / 2) return OutputMax;
        return ((x - c) / w + 0.5) * OutputMax;
    }

    /// <summary>SIGMOID (C.11.2.1.3.1): Window Width must be &gt; 0.</summary>
    public static double Sigmoid(double x, double c, double w) => OutputMax / (1 + Math.Exp(-4 * (x - c) / w));

    private static readonly Dictionary<string, (VoiFunction Function, double MinWidth, bool Inclusive)> Functions =
        new(StringComparer.Ordinal)
        {
            ["LINEAR"] = (Linear, 1, true),
            ["LINEAR_EXACT"] = (LinearExact, 0, false),
            ["SIGMOID"] = (Sigmoid, 0, false),
        };

    /// <summary>The function named by VOI LUT Function (absent → LINEAR), after checking Window Width.</summary>
    public static VoiFunction Resolve(string? name, double width)
    {
        var key = name ?? "LINEAR";
        if (!Functions.TryGetValue(key, out var f))
            throw new XrayDecodeException(DecodeErrorKind.UnsupportedAttribute,
                $"DICOM VOI LUT Function (0028,1056) '{key}' is not supported; supported: {string.Join(", ", Functions.Keys)}.");
        if (f.Inclusive ? width < f.MinWidth : width <= f.MinWidth)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"DICOM Window Width (0028,1051) is {width}; {key} needs it {(f.Inclusive ? "≥" : ">")} {f.MinWidth} (PS3.3 C.11.2.1.2).");
        return f.Function;
    }
}
