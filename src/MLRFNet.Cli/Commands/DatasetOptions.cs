using System.CommandLine;
using MLRFNet.Core.Labels;
using MLRFNet.Imaging.Datasets;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// The dataset options shared by <c>train</c>, <c>evaluate</c>, <c>quantize</c> and <c>qa</c>: a labels file and
/// an image folder, read as a plain labelled folder (default), NIH ChestX-ray14 or CheXpert.
/// </summary>
internal sealed class DatasetOptions
{
    /// <summary>
    /// <paramref name="prefix"/> names a second set of the same options (quantize's <c>--calibration-labels</c>,
    /// <c>--calibration-images</c>...); <paramref name="required"/> false makes labels and images optional, for
    /// verbs where the data is needed only with some other options (check with <see cref="IsGiven"/>).
    /// </summary>
    public DatasetOptions(string prefix = "", bool required = true, string? purpose = null)
    {
        var what = purpose is null ? "" : purpose + ": ";
        Labels = new($"--{prefix}labels") { Description = what + "Labels CSV (labelled folder: 'Image Index' + 0/1 class columns; ChestX-ray14: Data_Entry_2017.csv; CheXpert: train.csv/valid.csv).", Required = required };
        Images = new($"--{prefix}images") { Description = what + "Image folder, or several separated by commas (ChestX-ray14 ships 12; CheXpert: the folder holding CheXpert-v1.0*/).", Required = required };
        Kind = new($"--{prefix}dataset") { Description = "folder | chestxray14 | chexpert", DefaultValueFactory = _ => "folder" };
        Uncertainty = new($"--{prefix}uncertainty") { Description = "CheXpert uncertain labels: ones | zeros | mixed", DefaultValueFactory = _ => "mixed" };
    }

    public Option<FileInfo> Labels { get; }
    public Option<string> Images { get; }
    public Option<string> Kind { get; }
    public Option<string> Uncertainty { get; }

    /// <summary>True when the labels or the images option was given on the command line.</summary>
    public bool IsGiven(ParseResult parse) => parse.GetResult(Labels) is { Implicit: false } || parse.GetResult(Images) is { Implicit: false };

    public void AddTo(Command command)
    {
        command.Options.Add(Labels);
        command.Options.Add(Images);
        command.Options.Add(Kind);
        command.Options.Add(Uncertainty);
    }

    public XrayDataset Load(ParseResult parse, TextWriter log)
    {
        var labels = (parse.GetValue(Labels) ?? throw new ArgumentException($"{Labels.Name} is missing; give the labels CSV.")).FullName;
        var images = parse.GetValue(Images) ?? throw new ArgumentException($"{Images.Name} is missing; give the image folder.");
        var dataset = parse.GetValue(Kind)!.ToLowerInvariant() switch
        {
            "folder" => LabelledFolderDataset.Load(labels, Folders(images)),
            "chestxray14" => ChestXray14Dataset.Load(labels, Folders(images)),
            "chexpert" => CheXpertDataset.Load(labels, RequireFolder(images), ParsePolicy(parse.GetValue(Uncertainty)!)),
            var other => throw new ArgumentException($"{Kind.Name} '{other}' is not known; use folder, chestxray14 or chexpert."),
        };
        foreach (var skipped in dataset.Skipped) log.WriteLine("skipped: " + skipped);
        if (dataset.Count == 0) throw new InvalidDataException($"No usable images: {labels} lists none that exist under {images}.");
        return dataset;
    }

    private string[] Folders(string images) =>
        images.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(RequireFolder).ToArray();

    private string RequireFolder(string path) =>
        Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"{Images.Name} folder not found: {path}");

    private UncertaintyPolicy ParsePolicy(string text) => text.ToLowerInvariant() switch
    {
        "ones" or "u-ones" => UncertaintyPolicy.Ones,
        "zeros" or "u-zeros" => UncertaintyPolicy.Zeros,
        "mixed" => UncertaintyPolicy.Mixed,
        _ => throw new ArgumentException($"{Uncertainty.Name} '{text}' is not known; use ones, zeros or mixed."),
    };
}
