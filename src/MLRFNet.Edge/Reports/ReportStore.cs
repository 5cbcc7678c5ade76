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
/// The reports folder: writes a study's HTML then JSON (each temp + fsync + rename; the JSON is the commit mark),
/// then its ledger line; and answers whether a content hash already has a report, so neither a restart nor the same
/// image dropped twice produces a second one. Thread-safe: the scoring pipeline looks up hashes while it commits the
/// reports of an earlier batch, and the ledger takes one line at a time.
/// </summary>
internal sealed class ReportStore(IOptions<EdgeOptions> options)
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
        if (Index.TryGetValue(sha256, out var json)) return (PriorReport.InLedger, json, null);
        var candidate = Path.Combine(folder, UniqueNames.ReportBase(inputName, sha256) + ".json");
        if (File.Exists(candidate))
        {
            try
            {
                var report = JsonSerializer.Deserialize(File.ReadAllBytes(candidate), EdgeJsonContext.Default.StudyReport);
                if (report is not null && string.Equals(report.Input.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
                    return (PriorReport.ReportWithoutLedgerLine, Path.GetFileName(candidate), report);
            }
            catch (JsonException)
            {
                // Not ours or damaged: it cannot be a committed report (those are renamed complete); write a new one.
            }
        }
        return (PriorReport.None, null, null);
    }

    /// <summary>Writes the HTML page and the JSON report durably, then the ledger line. Returns the JSON file name.</summary>
    public string Commit(StudyReport report, string html)
    {
        lock (gate) return CommitLocked(report, html);
    }

    private string CommitLocked(StudyReport report, string html)
    {
        var baseName = report.ReportId;
        var htmlPath = DurableFile.WriteNew(folder, baseName + ".html", Encoding.UTF8.GetBytes(html));
        var withHtml = report with { HtmlReport = Path.GetFileName(htmlPath) };
        var jsonPath = DurableFile.WriteNew(folder, baseName + ".json",
            JsonSerializer.SerializeToUtf8Bytes(withHtml, EdgeJsonContext.Default.StudyReport));
        var jsonName = Path.GetFileName(jsonPath);
        CsvLedger.Append(LedgerPath, withHtml, jsonName);
        Index[report.Input.Sha256] = jsonName;
        return jsonName;
    }

    /// <summary>Adds the missing ledger line of a report found on disk after a crash.</summary>
    public void CompleteLedger(StudyReport report, string reportJsonName)
    {
        lock (gate)
        {
            CsvLedger.Append(LedgerPath, report, reportJsonName);
            Index[report.Input.Sha256] = reportJsonName;
        }
    }

    private Dictionary<string, string> LoadIndex()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in CsvLedger.Read(LedgerPath)) map.TryAdd(entry.InputSha256, entry.ReportJson);
        return map;
    }
}
