using System.Globalization;
using MLRFNet.Core.Csv;
using MLRFNet.Core.Labels;

namespace MLRFNet.Imaging.Datasets;

/// <summary>
/// The plain labelled-folder format: a CSV with <c>Image Index</c> and one 0/1 column per class, images in a
/// folder (the format of the shared <c>nih-sample/labels.csv</c> and of <c>mlrfnet synth</c>). A <c>Patient ID</c>
/// column, when present, keys patient-wise splits.
/// </summary>
public static class LabelledFolderDataset
{
    public const string ImageIndexColumn = "Image Index";
    public const string PatientIdColumn = "Patient ID";

    /// <param name="labels">
    /// The classes to read. Null: ChestX-ray14 when all its columns are present, otherwise every column whose values
    /// are all 0 or 1 (in file order).
    /// </param>
    public static XrayDataset Load(string labelsCsv, string imagesFolder, LabelSet? labels = null) =>
        Load(labelsCsv, [imagesFolder], labels);

    /// <summary>As above, looking each image up by file name across several folders.</summary>
    public static XrayDataset Load(string labelsCsv, IReadOnlyList<string> imageFolders, LabelSet? labels = null)
    {
        var table = CsvTable.Load(labelsCsv);
        var imageColumn = table.Column(ImageIndexColumn);
        labels ??= InferLabels(table);
        var classColumns = labels.Labels.Select(table.Column).ToArray();
        var patientColumn = table.HasColumn(PatientIdColumn) ? table.Column(PatientIdColumn) : -1;
        var locator = new ImageLocator(imageFolders);

        var items = new List<DatasetItem>(table.Rows.Count);
        var skipped = new List<string>();
        var line = 1;
        foreach (var row in table.Rows)
        {
            line++;
            var name = row[imageColumn].Trim();
            if (!locator.TryFind(name, out var path))
            {
                skipped.Add($"{name}: listed in {Path.GetFileName(labelsCsv)} line {line} but not found under {string.Join(", ", imageFolders)}");
                continue;
            }
            var targets = new float[classColumns.Length];
            for (var c = 0; c < classColumns.Length; c++)
                targets[c] = ParseBinary(row[classColumns[c]], labelsCsv, line, labels[c]);
            var patient = patientColumn >= 0 && row[patientColumn].Trim().Length > 0
                ? row[patientColumn].Trim()
                : PatientIds.FromImageName(name);
            items.Add(new DatasetItem(name, path, patient, targets));
        }
        return new XrayDataset(labels, items, skipped);
    }

    private static LabelSet InferLabels(CsvTable table)
    {
        if (LabelSets.ChestXray14.Labels.All(table.HasColumn)) return LabelSets.ChestXray14;
        var binary = new List<string>();
        for (var i = 0; i < table.Header.Count; i++)
        {
            if (table.Header[i] is ImageIndexColumn or PatientIdColumn) continue;
            if (table.Rows.Count > 0 && table.Rows.All(r => r[i].Trim() is "0" or "1" or "0.0" or "1.0"))
                binary.Add(table.Header[i]);
        }
        if (binary.Count == 0)
            throw new FormatException($"{table.Source}: no class columns found (expected columns of 0/1 values, e.g. the 14 ChestX-ray14 labels).");
        return new LabelSet("custom", binary);
    }

    private static float ParseBinary(string text, string source, int line, string label)
    {
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is 0 or 1)
            return (float)v;
        throw new FormatException($"{source} line {line}: '{label}' is '{text}'; expected 0 or 1.");
    }

    /// <summary>
    /// Writes a dataset (e.g. one split) in this format — <c>Image Index</c>, <c>Patient ID</c>, one 0/1 column per
    /// class — so a split can be evaluated, calibrated on or re-trained with the same images folder.
    /// </summary>
    public static void Write(string path, XrayDataset dataset)
    {
        if (File.Exists(path)) throw new IOException($"{path} already exists (nothing is overwritten).");
        var text = new System.Text.StringBuilder();
        text.Append(ImageIndexColumn).Append(',').Append(PatientIdColumn).Append(',').AppendJoin(',', dataset.Labels.Labels).Append('\n');
        foreach (var item in dataset.Items)
        {
            text.Append(Quote(item.ImageIndex)).Append(',').Append(Quote(item.PatientId));
            foreach (var t in item.Targets) text.Append(t >= 0.5f ? ",1" : ",0");
            text.Append('\n');
        }
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text.ToString());
        File.Move(tmp, path);
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
