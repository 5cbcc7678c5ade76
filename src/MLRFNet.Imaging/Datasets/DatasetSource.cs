using MLRFNet.Core.Labels;

namespace MLRFNet.Imaging.Datasets;

/// <summary>
/// Where a labelled set comes from: its kind (<c>folder</c>, <c>chestxray14</c>, <c>chexpert</c>), the labels CSV,
/// the image folders and (CheXpert) the uncertainty policy. A run folder's <c>split.json</c> keeps this record so
/// <c>mlrfnet evaluate --run DIR --split test</c> reloads exactly the images the run held out.
/// </summary>
public sealed record DatasetSource
{
    public const string Folder = "folder";
    public const string ChestXray14 = "chestxray14";
    public const string CheXpert = "chexpert";

    public string Kind { get; init; } = Folder;

    /// <summary>The labels CSV (full path).</summary>
    public required string Labels { get; init; }

    /// <summary>Image folders; CheXpert: the one folder holding <c>CheXpert-v1.0*/</c>.</summary>
    public required IReadOnlyList<string> Images { get; init; }

    /// <summary>CheXpert only: ones | zeros | mixed.</summary>
    public string Uncertainty { get; init; } = "mixed";

    /// <summary>The same source with another labels CSV (CheXpert's <c>valid.csv</c> beside <c>train.csv</c>).</summary>
    public DatasetSource WithLabels(string labels) => this with { Labels = labels };

    public XrayDataset Load()
    {
        if (!File.Exists(Labels)) throw new FileNotFoundException($"Labels CSV not found: {Labels}", Labels);
        foreach (var folder in Images)
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Image folder not found: {folder}");
        return Kind.ToLowerInvariant() switch
        {
            Folder => LabelledFolderDataset.Load(Labels, Images),
            ChestXray14 => ChestXray14Dataset.Load(Labels, Images),
            CheXpert => Images.Count == 1
                ? CheXpertDataset.Load(Labels, Images[0], ParsePolicy(Uncertainty))
                : throw new ArgumentException($"CheXpert takes one image folder (the one holding CheXpert-v1.0*/), got {Images.Count}."),
            var other => throw new ArgumentException($"Dataset kind '{other}' is not known; use folder, chestxray14 or chexpert."),
        };
    }

    public static UncertaintyPolicy ParsePolicy(string text) => text.ToLowerInvariant() switch
    {
        "ones" or "u-ones" => UncertaintyPolicy.Ones,
        "zeros" or "u-zeros" => UncertaintyPolicy.Zeros,
        "mixed" => UncertaintyPolicy.Mixed,
        _ => throw new ArgumentException($"Uncertainty policy '{text}' is not known; use ones, zeros or mixed."),
    };
}
