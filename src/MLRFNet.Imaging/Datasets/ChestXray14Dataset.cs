using MLRFNet.Core.Csv;
using MLRFNet.Core.Labels;

namespace MLRFNet.Imaging.Datasets;

/// <summary>
/// NIH ChestX-ray14 (Wang et al., CVPR 2017): <c>Data_Entry_2017.csv</c> with pipe-separated
/// <c>Finding Labels</c> ("No Finding" = all zeros), images in one or more folders.
/// </summary>
public static class ChestXray14Dataset
{
    public static XrayDataset Load(string dataEntryCsv, IEnumerable<string> imageFolders)
    {
        var table = CsvTable.Load(dataEntryCsv);
        var imageColumn = table.Column("Image Index");
        var findingsColumn = table.Column("Finding Labels");
        var patientColumn = table.Column("Patient ID");
        var labels = LabelSets.ChestXray14;
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
                skipped.Add($"{name}: listed in {Path.GetFileName(dataEntryCsv)} line {line} but not found in the image folders");
                continue;
            }
            items.Add(new DatasetItem(name, path, row[patientColumn].Trim(), ParseFindings(row[findingsColumn], labels, dataEntryCsv, line)));
        }
        return new XrayDataset(labels, items, skipped);
    }

    /// <summary>"Effusion|Mass" → 1 at those columns. Unknown names are an error (a typo would silently drop a class).</summary>
    public static float[] ParseFindings(string findings, LabelSet labels, string source = "<findings>", int line = 0)
    {
        var targets = new float[labels.Count];
        foreach (var part in findings.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "No Finding") continue;
            var index = labels.IndexOf(part);
            if (index < 0)
                throw new FormatException($"{source} line {line}: unknown finding '{part}'. Known: No Finding, {string.Join(", ", labels.Labels)}.");
            targets[index] = 1f;
        }
        return targets;
    }

    /// <summary>
    /// The official split: <c>train_val_list.txt</c> / <c>test_list.txt</c> (one file name per line), with a
    /// validation set of about <paramref name="validationFraction"/> of train_val patients carved out by patient.
    /// </summary>
    public static DatasetSplit OfficialSplit(XrayDataset dataset, string trainValList, string testList, double validationFraction, int seed)
    {
        var trainVal = ReadList(trainValList);
        var test = ReadList(testList);
        var overlap = trainVal.Intersect(test).Take(3).ToArray();
        if (overlap.Length > 0)
            throw new FormatException($"{trainValList} and {testList} share images (e.g. {string.Join(", ", overlap)}).");
        var trainValItems = dataset.Items.Where(i => trainVal.Contains(i.ImageIndex)).ToArray();
        var testItems = dataset.Items.Where(i => test.Contains(i.ImageIndex)).ToArray();
        var inner = PatientSplit.Split(dataset.Subset(trainValItems), [1 - validationFraction, validationFraction], seed);
        return new DatasetSplit(inner[0], inner[1], dataset.Subset(testItems));
    }

    private static HashSet<string> ReadList(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Split list not found: {path}", path);
        return File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
    }
}
