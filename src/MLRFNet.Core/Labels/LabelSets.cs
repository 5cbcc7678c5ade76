namespace MLRFNet.Core.Labels;

/// <summary>The label sets the paper evaluates on, by name.</summary>
public static class LabelSets
{
    /// <summary>ChestX-ray14 in the paper's order, spelled as in NIH's <c>Data_Entry_2017.csv</c>.</summary>
    public static LabelSet ChestXray14 { get; } = new("chestxray14",
    [
        "Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia", "Pneumothorax",
        "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening", "Hernia",
    ]);

    /// <summary>The 14 CheXpert observations, spelled as in CheXpert's <c>train.csv</c> header.</summary>
    public static LabelSet CheXpert { get; } = new("chexpert",
    [
        "No Finding", "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Lesion", "Lung Opacity", "Edema",
        "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax", "Pleural Effusion", "Pleural Other", "Fracture",
        "Support Devices",
    ]);

    /// <summary>The 5 CheXpert competition labels the paper (and CheXpert's authors) evaluate on.</summary>
    public static LabelSet CheXpertCompetition { get; } = new("chexpert5",
    [
        "Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Pleural Effusion",
    ]);

    private static readonly Dictionary<string, LabelSet> registry = new(StringComparer.OrdinalIgnoreCase)
    {
        [ChestXray14.Name] = ChestXray14,
        [CheXpert.Name] = CheXpert,
        [CheXpertCompetition.Name] = CheXpertCompetition,
    };

    public static IReadOnlyCollection<string> Names => registry.Keys;

    /// <summary>Looks a label set up by name; throws with the known names when there is none.</summary>
    public static LabelSet Get(string name) =>
        registry.TryGetValue(name, out var set)
            ? set
            : throw new KeyNotFoundException($"Unknown label set '{name}'. Known: {string.Join(", ", registry.Keys)}.");
}
