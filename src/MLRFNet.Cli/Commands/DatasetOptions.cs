using System.CommandLine;
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

    /// <summary>Where the data comes from (<see cref="DatasetSource"/>), from the options as given.</summary>
    public DatasetSource Source(ParseResult parse)
    {
        var labels = (parse.GetValue(Labels) ?? throw new ArgumentException($"{Labels.Name} is missing; give the labels CSV.")).FullName;
        var images = parse.GetValue(Images) ?? throw new ArgumentException($"{Images.Name} is missing; give the image folder.");
        if (!File.Exists(labels)) throw new FileNotFoundException($"{Labels.Name} file not found: {labels}", labels);
        var folders = images.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFullPath).ToArray();
        foreach (var folder in folders)
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{Images.Name} folder not found: {folder}");
        var kind = parse.GetValue(Kind)!.ToLowerInvariant();
        if (kind is not (DatasetSource.Folder or DatasetSource.ChestXray14 or DatasetSource.CheXpert))
            throw new ArgumentException($"{Kind.Name} '{kind}' is not known; use folder, chestxray14 or chexpert.");
        var uncertainty = parse.GetValue(Uncertainty)!;
        DatasetSource.ParsePolicy(uncertainty);
        return new DatasetSource { Kind = kind, Labels = labels, Images = folders, Uncertainty = uncertainty };
    }

    public XrayDataset Load(ParseResult parse, TextWriter log)
    {
        var source = Source(parse);
        var dataset = source.Load();
        foreach (var skipped in dataset.Skipped) log.WriteLine("skipped: " + skipped);
        if (dataset.Count == 0) throw new InvalidDataException($"No usable images: {source.Labels} lists none that exist under {string.Join(", ", source.Images)}.");
        return dataset;
    }
}
