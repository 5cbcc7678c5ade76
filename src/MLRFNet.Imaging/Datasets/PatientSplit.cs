namespace MLRFNet.Imaging.Datasets;

public sealed record DatasetSplit(XrayDataset Train, XrayDataset Validation, XrayDataset? Test);

/// <summary>
/// Patient-wise random splits: patients (not images) are shuffled with a seed and dealt into parts, so no patient
/// ever lands in two parts (ChestX-ray14 has up to 184 images of one patient; an image-wise split leaks).
/// </summary>
public static class PatientSplit
{
    /// <summary>The paper's Table 2 split: 70% train, 10% validation, 20% test, by patient.</summary>
    public static DatasetSplit TrainValidationTest(XrayDataset dataset, int seed, double train = 0.7, double validation = 0.1, double test = 0.2)
    {
        var parts = Split(dataset, [train, validation, test], seed);
        return new DatasetSplit(parts[0], parts[1], parts[2]);
    }

    public static DatasetSplit TrainValidation(XrayDataset dataset, double validationFraction, int seed)
    {
        var parts = Split(dataset, [1 - validationFraction, validationFraction], seed);
        return new DatasetSplit(parts[0], parts[1], null);
    }

    /// <summary>
    /// Deals patients into parts whose image counts approach <paramref name="fractions"/> (which must sum to 1):
    /// each patient, in seeded random order, goes to the part furthest below its target image count.
    /// </summary>
    public static XrayDataset[] Split(XrayDataset dataset, double[] fractions, int seed)
    {
        if (fractions.Length == 0 || fractions.Any(f => f < 0 || double.IsNaN(f)) || Math.Abs(fractions.Sum() - 1) > 1e-6)
            throw new ArgumentException($"Split fractions must be non-negative and sum to 1 (got {string.Join(", ", fractions)}).");
        var patients = dataset.Items.GroupBy(i => i.PatientId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.ToArray())
            .ToArray();
        new Random(seed).Shuffle(patients);

        var parts = fractions.Select(_ => new List<DatasetItem>()).ToArray();
        var total = dataset.Count;
        foreach (var patient in patients)
        {
            var best = 0;
            var bestDeficit = double.NegativeInfinity;
            for (var p = 0; p < parts.Length; p++)
            {
                var deficit = fractions[p] * total - parts[p].Count;
                if (fractions[p] > 0 && deficit > bestDeficit) { bestDeficit = deficit; best = p; }
            }
            parts[best].AddRange(patient);
        }
        return parts.Select(dataset.Subset).ToArray();
    }
}
