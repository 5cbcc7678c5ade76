using System.Globalization;
using System.Text;
using MLRFNet.Edge.Storage;

namespace MLRFNet.Edge.Reports;

/// <summary>One row of the ledger as read back: enough to know a content hash was reported, and where.</summary>
internal readonly record struct LedgerEntry(string InputSha256, string ReportJson, string? ArchiveName);

/// <summary>
/// <c>ledger.csv</c> in the reports folder: one line per reported study, appended and flushed after the study's
/// JSON report is durable (RFC 4180 quoting). It is the index that stops a second report for the same content.
/// </summary>
internal static class CsvLedger
{
    public const string FileName = "ledger.csv";

    public static readonly string[] Columns =
    [
        "created_utc", "input_name", "input_sha256", "report_json", "report_html", "model_name", "model_version",
        "precision", "execution_provider", "flagged_count", "findings", "archive_name", "outcome",
    ];

    /// <summary>
    /// Rows written before <c>archive_name</c> (column 12) and <c>outcome</c> (column 13, "scored" or "unsuitable") were
    /// added have the first 11 or 12 columns; they are still read, and count as scored.
    /// </summary>
    private const int FirstColumns = 11;

    public static void Append(DurableFile durable, string path, StudyReport report, string reportJsonName)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0) durable.AppendLine(path, string.Join(',', Columns));
        var findings = string.Join("; ", report.Findings.Select(f => f.Label + " " + f.Probability.ToString("0.000", CultureInfo.InvariantCulture)));
        string[] fields =
        [
            report.CreatedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            report.Input.Name, report.Input.Sha256, reportJsonName, report.HtmlReport ?? "", report.Model.Name,
            report.Model.Version, report.Model.Precision, report.Model.ExecutionProvider,
            report.Findings.Count.ToString(CultureInfo.InvariantCulture), findings, report.ArchiveName ?? "", report.Outcome,
        ];
        durable.AppendLine(path, string.Join(',', fields.Select(Escape)));
    }

    /// <summary>Entries of a ledger; a line cut short by a crash (wrong field count, bad hash) is skipped.</summary>
    public static IEnumerable<LedgerEntry> Read(string path)
    {
        if (!File.Exists(path)) yield break;
        // A ledger started before archive_name / outcome existed has an 11- or 12-column header and rows of 11, 12 (each
        // earlier version appended its own width) or 13 columns; one started with every column has 13 throughout, so
        // a row cut short by a crash never parses.
        var legacy = false;
        var first = true;
        foreach (var line in File.ReadLines(path))
        {
            var fields = Split(line);
            if (first) legacy = fields[0] == Columns[0] && fields.Count >= FirstColumns && fields.Count < Columns.Length;
            first = false;
            var width = fields.Count == Columns.Length || (legacy && fields.Count >= FirstColumns && fields.Count < Columns.Length);
            if (!width || fields[2].Length != 64 || fields[2] == Columns[2]) continue;
            yield return new LedgerEntry(fields[2], fields[3], fields.Count > FirstColumns ? fields[FirstColumns] : null);
        }
    }

    /// <summary>RFC 4180: quote a field holding a comma, quote or line break (line breaks become spaces so a row is a line).</summary>
    public static string Escape(string field)
    {
        field = field.Replace('\r', ' ').Replace('\n', ' ');
        return field.IndexOfAny([',', '"']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
    }

    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
