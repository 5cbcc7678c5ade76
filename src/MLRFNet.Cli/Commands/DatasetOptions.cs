using System.CommandLine;
using MLRFNet.Core.Labels;
using MLRFNet.Training.Data;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// The dataset options shared by <c>train</c>, <c>evaluate</c>, <c>quantize</c> and <c>qa</c>: a labels file and
/// an image folder, read as a plain labelled folder (default), NIH ChestX-ray14 or CheXpert.
/// </summary>
internal sealed class DatasetOptions
{
    public Option<FileInfo> Labels { get; } = new("--labels") { Description = "Labels CSV (labelled folder: 'Image Index' + 0/1 class columns; ChestX-ray14: Data_Entry_2017.csv; CheXpert: train.csv/valid.csv).", Required = true };
    public Option<string> Images { get; } = new("--images") { Description = "Image folder, or several separated by commas (ChestX-ray14 ships 12; CheXpert: the folder holding CheXpert-v1.0*/).", Required = true };
    public Option<string> Kind { get; } = new("--dataset") { Description = "folder | chestxray14 | chexpert", DefaultValueFactory = _ => "folder" };
    public Option<string> Uncertainty { get; } = new("--uncertainty") { Description = "CheXpert uncertain labels: ones | zeros | mixed", DefaultValueFactory = _ => "mixed" };

    public void AddTo(Command command)
    {
        command.Options.Add(Labels);
        command.Options.Add(Images);
        command.Options.Add(Kind);
        command.Options.Add(Uncertainty);
    }

    public XrayDataset Load(ParseResult parse, TextWriter log)
    {
        var labels = parse.GetValue(Labels)!.FullName;
        var images = parse.GetValue(Images)!;
        var dataset = parse.GetValue(Kind)!.ToLowerInvariant() switch
        {
            "folder" => LabelledFolderDataset.Load(labels, Folders(images)),
            "chestxray14" => ChestXray14Dataset.Load(labels, Folders(images)),
            "chexpert" => CheXpertDataset.Load(labels, RequireFolder(images), ParsePolicy(parse.GetValue(Uncertainty)!)),
            var other => throw new ArgumentException($"--dataset '{other}' is not known; use folder, chestxray14 or chexpert."),
        };
        foreach (var skipped in dataset.Skipped) log.WriteLine("skipped: " + skipped);
        if (dataset.Count == 0) throw new InvalidDataException($"No usable images: {labels} lists none that exist under {images}.");
        return dataset;
    }

    private static string[] Folders(string images) =>
        images.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(RequireFolder).ToArray();

    private static string RequireFolder(string path) =>
        Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"--images folder not found: {path}");

    private static UncertaintyPolicy ParsePolicy(string text) => text.ToLowerInvariant() switch
    {
        "ones" or "u-ones" => UncertaintyPolicy.Ones,
        "zeros" or "u-zeros" => UncertaintyPolicy.Zeros,
        "mixed" => UncertaintyPolicy.Mixed,
        _ => throw new ArgumentException($"--uncertainty '{text}' is not known; use ones, zeros or mixed."),
    };
}
