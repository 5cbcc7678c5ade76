using MLRFNet.Core.Labels;

namespace MLRFNet.Imaging.Datasets;

/// <summary>One labelled X-ray: where it is, whose it is, and its 0/1 targets in label-set order.</summary>
public sealed record DatasetItem(string ImageIndex, string ImagePath, string PatientId, float[] Targets);

/// <summary>A labelled set of X-rays, plus what was left out while loading it (never silently).</summary>
public sealed class XrayDataset
{
    public XrayDataset(LabelSet labels, IReadOnlyList<DatasetItem> items, IReadOnlyList<string>? skipped = null)
    {
        Labels = labels;
        Items = items;
        Skipped = skipped ?? [];
        foreach (var item in items)
        {
            if (item.Targets.Length != labels.Count)
                throw new ArgumentException($"Item {item.ImageIndex} has {item.Targets.Length} targets for {labels.Count} labels.");
        }
    }

    public LabelSet Labels { get; }

    public IReadOnlyList<DatasetItem> Items { get; }

    /// <summary>Rows that were listed but not used, each with the reason ("00001_000.png: file not found").</summary>
    public IReadOnlyList<string> Skipped { get; }

    public int Count => Items.Count;

    public XrayDataset Subset(IEnumerable<DatasetItem> items) => new(Labels, items.ToArray());

    /// <summary>Positives per class, in label order.</summary>
    public int[] PositivesPerClass()
    {
        var counts = new int[Labels.Count];
        foreach (var item in Items)
            for (var c = 0; c < counts.Length; c++)
                if (item.Targets[c] >= 0.5f) counts[c]++;
        return counts;
    }
}
