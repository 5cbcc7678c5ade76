using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLRFNet.Imaging.Datasets;

/// <summary>A part of a run's split.</summary>
public enum SplitPart
{
    Train,
    Validation,
    Test,
}

/// <summary>A file the split was made from, with its SHA-256 at the time.</summary>
public sealed record SplitFile(string Role, string Path, string Sha256)
{
    public static SplitFile Of(string role, string path) => new(role, System.IO.Path.GetFullPath(path), Sha256Of(path));

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>
/// A run folder's <c>split.json</c>: which split trained the model (kind, seed, fractions), the files it was made
/// from with their SHA-256, and the image ids of every part, so the parts can be reloaded exactly and any other
/// evaluation can be checked against the images that trained the model (<see cref="Overlap"/>).
/// </summary>
public sealed record SplitRecord
{
    public const string FileName = "split.json";

    public int Version { get; init; } = 1;

    /// <summary>patient | official | random.</summary>
    public required string Kind { get; init; }

    public int Seed { get; init; }

    /// <summary>The patient-wise fractions dealt (train, validation[, test]); official: (1 − v, v) of train_val.</summary>
    public required IReadOnlyList<double> Fractions { get; init; }

    public required DatasetSource Source { get; init; }

    /// <summary>Where the test part was loaded from when not from <see cref="Source"/> (CheXpert's valid.csv).</summary>
    public DatasetSource? TestSource { get; init; }

    public required IReadOnlyList<SplitFile> Files { get; init; }

    /// <summary>Images of the labels CSV in no part (e.g. in neither NIH list).</summary>
    public int LeftOut { get; init; }

    public required IReadOnlyList<string> Train { get; init; }
    public required IReadOnlyList<string> Validation { get; init; }
    public required IReadOnlyList<string> Test { get; init; }

    public IReadOnlyList<string> Part(SplitPart part) => part switch
    {
        SplitPart.Train => Train,
        SplitPart.Validation => Validation,
        _ => Test,
    };

    public static SplitRecord Read(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} not found: {runFolder} is not a run folder made by `mlrfnet train` with a recorded split (runs from before --split have none; retrain, or give the data with --labels/--images).", path);
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize(stream, SplitJsonContext.Default.SplitRecord)
               ?? throw new InvalidDataException($"{path} is empty.");
    }

    /// <summary>Writes <c>split.json</c>; an existing one must record the same parts (a resumed run), else refused.</summary>
    public void Write(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        if (File.Exists(path))
        {
            var old = Read(runFolder);
            if (!old.Train.SequenceEqual(Train) || !old.Validation.SequenceEqual(Validation) || !old.Test.SequenceEqual(Test))
                throw new IOException($"{path} records another split than this one (different data, seed or --split); resume with the same data and options, or choose another --out.");
            return;
        }
        var tmp = path + ".tmp";
        using (var stream = File.Create(tmp)) JsonSerializer.Serialize(stream, this, SplitJsonContext.Default.SplitRecord);
        File.Move(tmp, path);
    }

    /// <summary>Which of <paramref name="imageIds"/> belong to each part of this split (exact image ids).</summary>
    public SplitOverlap Overlap(IEnumerable<string> imageIds)
    {
        var train = Train.ToHashSet(StringComparer.Ordinal);
        var validation = Validation.ToHashSet(StringComparer.Ordinal);
        var test = Test.ToHashSet(StringComparer.Ordinal);
        var ids = imageIds.Distinct(StringComparer.Ordinal).ToArray();
        return new SplitOverlap(ids.Where(train.Contains).ToArray(), ids.Where(validation.Contains).ToArray(), ids.Where(test.Contains).ToArray());
    }

    /// <summary>
    /// Reloads one part exactly: the recorded source is read again (its labels CSV must still have the recorded
    /// SHA-256) and the part's images are selected by id; an id no longer found is an error, never a smaller set.
    /// </summary>
    public XrayDataset LoadPart(SplitPart part)
    {
        var source = part == SplitPart.Test && TestSource is not null ? TestSource : Source;
        var recorded = Files.FirstOrDefault(f => string.Equals(f.Path, Path.GetFullPath(source.Labels), StringComparison.Ordinal));
        if (recorded is not null && File.Exists(source.Labels) && SplitFile.Sha256Of(source.Labels) != recorded.Sha256)
            throw new InvalidDataException($"{source.Labels} changed since the run was split (SHA-256 differs from split.json); the recorded {part.ToString().ToLowerInvariant()} part cannot be rebuilt exactly. Restore the original file.");
        var dataset = source.Load();
        var wanted = Part(part);
        var byId = dataset.Items.GroupBy(i => i.ImageIndex, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var missing = wanted.Where(id => !byId.ContainsKey(id)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"{missing.Length} of the {wanted.Count} {part.ToString().ToLowerInvariant()} images recorded in split.json are no longer found (e.g. {string.Join(", ", missing.Take(3))}); check the image folders {string.Join(", ", source.Images)}.");
        return dataset.Subset(wanted.Select(id => byId[id]));
    }
}

/// <summary>The images of an evaluation set that are in each part of a run's split.</summary>
public sealed record SplitOverlap(IReadOnlyList<string> Train, IReadOnlyList<string> Validation, IReadOnlyList<string> Test)
{
    /// <summary>Images that trained the model: the gradient saw them (train) or they chose the checkpoint (validation).</summary>
    public IReadOnlyList<string> TrainedOn => [.. Train, .. Validation];

    /// <summary>"12 train images (a.png, b.png, ...)" for <paramref name="part"/>'s ids.</summary>
    public static string Describe(IReadOnlyList<string> ids, string part) =>
        $"{ids.Count} {part} image{(ids.Count == 1 ? "" : "s")} ({string.Join(", ", ids.Take(5))}{(ids.Count > 5 ? ", ..." : "")})";
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SplitRecord))]
internal sealed partial class SplitJsonContext : JsonSerializerContext;
