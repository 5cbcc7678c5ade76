using System.Text;

namespace MLRFNet.Training.Pretrained;

/// <summary>What to do with keys that do not line up between a pretrained file and the model.</summary>
public sealed record ImportOptions
{
    /// <summary>File keys starting with one of these are ignored (the ImageNet classifier <c>fc.*</c> by default).</summary>
    public IReadOnlyList<string> SkipPrefixes { get; init; } = ["fc."];

    /// <summary>Accept a file that leaves some model tensors at their initial values (a partial load).</summary>
    public bool AllowMissing { get; init; }

    /// <summary>Accept file keys that match nothing in the model (and are not skipped).</summary>
    public bool AllowUnexpected { get; init; }

    public static ImportOptions Strict { get; } = new();
}

/// <summary>One imported tensor: where it came from and where it went.</summary>
public sealed record ImportedTensor(string SourceName, string TargetKey, IReadOnlyList<long> Shape);

/// <summary>
/// Outcome of a pretrained import: every tensor loaded (source → target), every file key skipped, every model key
/// missing from the file and every file key the model has no place for.
/// </summary>
public sealed record ImportReport(
    string Source,
    string Target,
    IReadOnlyList<ImportedTensor> Loaded,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Notes)
{
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0;

    public string Summary =>
        $"{Source} -> {Target}: {Loaded.Count} loaded, {Skipped.Count} skipped, {Missing.Count} missing, {Unexpected.Count} unexpected";

    /// <summary>The summary plus one line per tensor and per skipped/missing/unexpected key.</summary>
    public string Describe()
    {
        var text = new StringBuilder(Summary).AppendLine();
        foreach (var note in Notes) text.Append("  note: ").AppendLine(note);
        foreach (var t in Loaded) text.Append("  loaded ").Append(t.SourceName).Append(" -> ").Append(t.TargetKey)
            .Append(" [").Append(string.Join("x", t.Shape)).AppendLine("]");
        foreach (var k in Skipped) text.Append("  skipped ").AppendLine(k);
        foreach (var k in Missing) text.Append("  missing ").AppendLine(k);
        foreach (var k in Unexpected) text.Append("  unexpected ").AppendLine(k);
        return text.ToString();
    }
}

/// <summary>A pretrained file that does not fit the model; the report says which keys and how to proceed.</summary>
public sealed class PretrainedImportException(string message, ImportReport? report = null) : Exception(message)
{
    public ImportReport? Report { get; } = report;
}
