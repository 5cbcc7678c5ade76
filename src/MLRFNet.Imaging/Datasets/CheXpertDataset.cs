using System.Globalization;
using MLRFNet.Core.Csv;
using MLRFNet.Core.Labels;

namespace MLRFNet.Imaging.Datasets;

/// <summary>
/// CheXpert (Irvin et al., AAAI 2019): <c>train.csv</c>/<c>valid.csv</c> whose <c>Path</c> column is relative to
/// the folder holding <c>CheXpert-v1.0(-small)/</c>. Uncertain labels (-1) follow an <see cref="UncertaintyPolicy"/>;
/// blanks are negatives.
/// </summary>
public static class CheXpertDataset
{
    /// <param name="labels">Which observations to train/evaluate on; the paper uses the 5 competition labels.</param>
    public static XrayDataset Load(string csv, string root, UncertaintyPolicy policy, bool frontalOnly = true, LabelSet? labels = null)
    {
        labels ??= LabelSets.CheXpertCompetition;
        var table = CsvTable.Load(csv);
        var pathColumn = table.Column("Path");
        var viewColumn = frontalOnly ? table.Column("Frontal/Lateral") : -1;
        var classColumns = labels.Labels.Select(table.Column).ToArray();

        var items = new List<DatasetItem>(table.Rows.Count);
        var skipped = new List<string>();
        var line = 1;
        foreach (var row in table.Rows)
        {
            line++;
            if (viewColumn >= 0 && !row[viewColumn].Trim().Equals("Frontal", StringComparison.OrdinalIgnoreCase)) continue;
            var relative = row[pathColumn].Trim();
            var path = Path.Combine(root, relative);
            if (!File.Exists(path))
            {
                skipped.Add($"{relative}: listed in {Path.GetFileName(csv)} line {line} but not found under {root}");
                continue;
            }
            var targets = new float[classColumns.Length];
            for (var c = 0; c < classColumns.Length; c++)
                targets[c] = CheXpertLabels.Resolve(labels[c], ParseCell(row[classColumns[c]], csv, line, labels[c]), policy);
            items.Add(new DatasetItem(relative, path, PatientIds.FromImageName(relative), targets));
        }
        return new XrayDataset(labels, items, skipped);
    }

    private static float? ParseCell(string text, string source, int line, string label)
    {
        var t = text.Trim();
        if (t.Length == 0) return null;
        if (float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
        throw new FormatException($"{source} line {line}: '{label}' is '{text}'; expected 1, 0, -1 or blank.");
    }
}
