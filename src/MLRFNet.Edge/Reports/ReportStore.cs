using System.Text;
using System.Text.Json;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Storage;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Reports;

/// <summary>What is already known about a content hash.</summary>
internal enum PriorReport
{
    None,

    /// <summary>In the ledger: reported before (same image dropped again, or a crash after the ledger line).</summary>
    InLedger,

    /// <summary>Its JSON report is on disk but the ledger line is not: a crash between the two. Finish, don't redo.</summary>
    ReportWithoutLedgerLine,
}

/// <summary>
/// The reports folder. A study's files have one commit point, its JSON report: the HTML page is written first under
/// its final name (replacing an uncommitted page a crash or a full disk left there, so a retry reuses the same names
/// and never makes <c>-1.html</c>), then the JSON under exactly its name with a move that never replaces; only a JSON
/// report makes a study reported, and an HTML page without its JSON is an unfinished write that the next start
/// removes (<see cref="RemoveUncommitted"/>). The DICOM results (SR, Secondary Capture) are written like the HTML
/// page, before the JSON, so a study's files appear together. The ledger line follows. Answers whether a content hash already has a
/// report, so neither a restart nor the same image dropped twice produces a second one. Thread-safe: the scoring
/// pipeline looks up hashes while it commits the reports of an earlier batch, and the ledger takes one line at a time.
/// </summary>
internal sealed class ReportStore(IOptions<EdgeOptions> options, DurableFile durable)
{
    private readonly string folder = options.Value.ReportsFolder;
    private readonly Lock gate = new();
    private Dictionary<string, string>? index;

    private string LedgerPath => Path.Combine(folder, CsvLedger.FileName);

    private Dictionary<string, string> Index => index ??= LoadIndex();

    public int ReportedCount
    {
        get { lock (gate) return Index.Count; }
    }

    public (PriorReport Kind, string? ReportJson, StudyReport? Report) Find(string inputName, string sha256)
    {
        lock (gate) return FindLocked(inputName, sha256);
    }

    private (PriorReport Kind, string? ReportJson, StudyReport? Report) FindLocked(string inputName, string sha256)
    {
        if (Index.TryGetValue(sha256, out var json)) return (PriorReport.InLedger, json, ReadReport(Path.Combine(folder, json), sha256));
        var candidate = Path.Combine(folder, UniqueNames.ReportBase(inputName, sha256) + ".json");
        if (ReadReport(candidate, sha256) is { } report) return (PriorReport.ReportWithoutLedgerLine, Path.GetFileName(candidate), report);
        return (PriorReport.None, null, null);
    }

    private static StudyReport? ReadReport(string path, string sha256)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var report = JsonSerializer.Deserialize(File.ReadAllBytes(path), EdgeJsonContext.Default.StudyReport);
            return report is not null && string.Equals(report.Input.Sha256, sha256, StringComparison.OrdinalIgnoreCase) ? report : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            // Not ours or damaged: it cannot be a committed report (those are renamed complete).
            return null;
        }
    }

    /// <summary>
    /// Writes the HTML page, then the JSON report (the commit point), then the ledger line. Returns the JSON file name.
    /// Throws IOException when a write fails (nothing is committed then) or when the JSON name is already taken.
    /// </summary>
    public string Commit(StudyReport report, string html, IReadOnlyList<DicomOut.ResultFile>? dicom = null)
    {
        lock (gate) return CommitLocked(report, html, dicom ?? []);
    }

    private string CommitLocked(StudyReport report, string html, IReadOnlyList<DicomOut.ResultFile> dicom)
    {
        var baseName = report.ReportId;
        var htmlName = baseName + ".html";
        var jsonName = baseName + ".json";
        if (File.Exists(Path.Combine(folder, jsonName)))
            throw new IOException($"The report name {jsonName} is taken by another report; not overwritten.");
        durable.WriteReplace(Path.Combine(folder, htmlName), Encoding.UTF8.GetBytes(html));
        foreach (var file in dicom) durable.WriteReplace(Path.Combine(folder, file.Name), file.Content);
        var withHtml = report with { HtmlReport = htmlName, DicomResults = dicom.Count > 0 ? [.. dicom.Select(f => f.Name)] : null };
        if (!durable.TryWriteExactly(folder, jsonName, JsonSerializer.SerializeToUtf8Bytes(withHtml, EdgeJsonContext.Default.StudyReport)))
            throw new IOException($"The report name {jsonName} was taken while writing; not overwritten.");
        // A failed ledger append leaves the hash out of the index: the retry finds the JSON and adds the line.
        CsvLedger.Append(durable, LedgerPath, withHtml, jsonName);
        Index[report.Input.Sha256] = jsonName;
        return jsonName;
    }

    /// <summary>Adds the missing ledger line of a report found on disk after a crash.</summary>
    public void CompleteLedger(StudyReport report, string reportJsonName)
    {
        lock (gate)
        {
            CsvLedger.Append(durable, LedgerPath, report, reportJsonName);
            Index[report.Input.Sha256] = reportJsonName;
        }
    }

    /// <summary>
    /// At start: removes temporary files, HTML pages and DICOM results without their JSON report (writes a crash or full disk cut
    /// short; never a committed report). Returns how many files were removed.
    /// </summary>
    public int RemoveUncommitted()
    {
        lock (gate)
        {
            var removed = durable.RemoveLeftoverTemps(folder);
            foreach (var name in durable.Ops.ListNames(folder))
            {
                if (name.StartsWith('.')) continue;
                var id = name.EndsWith(".html", StringComparison.Ordinal) ? name[..^5] : DicomOut.DicomResults.ReportIdOf(name);
                if (id is null || File.Exists(Path.Combine(folder, id + ".json"))) continue;
                if (durable.Ops.Inspect(Path.Combine(folder, name)).Kind != EntryKind.Regular) continue;
                if (durable.Ops.Delete(Path.Combine(folder, name))) removed++;
            }
            return removed;
        }
    }

    private Dictionary<string, string> LoadIndex()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in CsvLedger.Read(LedgerPath)) map.TryAdd(entry.InputSha256, entry.ReportJson);
        return map;
    }
}
