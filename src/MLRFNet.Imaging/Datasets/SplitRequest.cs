using System.Globalization;

namespace MLRFNet.Imaging.Datasets;

/// <summary>How a run divides its data (<c>mlrfnet train --split</c>).</summary>
public enum SplitKind
{
    /// <summary>Train/validation by patient over the whole CSV; no test part (the pre-#17 behaviour).</summary>
    Patient,

    /// <summary>The data set's own held-out test: NIH's <c>test_list.txt</c>, CheXpert's <c>valid.csv</c>.</summary>
    Official,

    /// <summary>Seeded train/validation/test fractions by patient (the paper's Table 2 uses 70/10/20).</summary>
    Random,
}

/// <summary>A parsed <c>--split</c> value: <c>patient</c>, <c>official</c> or <c>random:70/10/20</c>.</summary>
public sealed record SplitRequest(SplitKind Kind, double[]? Fractions = null)
{
    public const string TrainValList = "train_val_list.txt";
    public const string TestList = "test_list.txt";

    public static SplitRequest Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "patient") return new(SplitKind.Patient);
        if (t == "official") return new(SplitKind.Official);
        if (t.StartsWith("random", StringComparison.Ordinal))
        {
            var parts = t.Length > 7 && t[6] == ':' ? t[7..].Split('/') : [];
            var values = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
            if (values.Length != 3 || values.Any(v => !(v >= 0)) || values[0] <= 0 || values[1] <= 0 || values[2] <= 0)
                throw new ArgumentException($"--split '{text}': write random:TRAIN/VALIDATION/TEST with three positive percentages, e.g. random:70/10/20.");
            var sum = values.Sum();
            if (Math.Abs(sum - 100) > 1e-6 && Math.Abs(sum - 1) > 1e-9)
                throw new ArgumentException($"--split '{text}': the three parts must add up to 100 (they add up to {sum.ToString(CultureInfo.InvariantCulture)}).");
            return new(SplitKind.Random, values.Select(v => v / sum).ToArray());
        }
        throw new ArgumentException($"--split '{text}' is not known; use official (the data set's own test list), random:70/10/20 or patient (train/validation only).");
    }

    /// <summary>The official NIH lists when both sit beside the labels CSV, else null.</summary>
    public static (string TrainVal, string Test)? OfficialListsBeside(string labelsCsv)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(labelsCsv))!;
        var trainVal = Path.Combine(folder, TrainValList);
        var test = Path.Combine(folder, TestList);
        return File.Exists(trainVal) || File.Exists(test) ? (trainVal, test) : null;
    }
}
