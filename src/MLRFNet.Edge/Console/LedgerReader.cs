using System.Text;
using MLRFNet.Edge.Reports;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>One ledger line as the console needs it, looked up by column name (the ledger may gain columns).</summary>
internal sealed record LedgerLine(string ReportJson, string? CreatedUtc, string? InputName, string? Findings, string? ArchiveName);

/// <summary>
/// Follows <c>ledger.csv</c> as the service appends to it: reads only the bytes added since the last call and only
/// complete lines (a line still being written is read next time). Columns are found by the header's names, so
/// added columns are tolerated and reordered ones still read right. Not thread-safe: the caller holds a lock.
/// </summary>
internal sealed class LedgerReader(string path)
{
    private long offset;
    private Dictionary<string, int>? columns;

    public string Path { get; } = path;

    /// <summary>The lines appended since the previous call. A ledger that shrank (replaced) is read from the start.</summary>
    public List<LedgerLine> ReadNew()
    {
        var lines = new List<LedgerLine>();
        if (!File.Exists(Path)) return lines;
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < offset) { offset = 0; columns = null; }
        if (stream.Length == offset) return lines;
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - offset];
        stream.ReadExactly(buffer);
        var start = 0;
        for (var i = 0; i < buffer.Length; i++)
        {
            if (buffer[i] != (byte)'\n') continue;
            var text = Encoding.UTF8.GetString(buffer, start, i - start).TrimEnd('\r');
            start = i + 1;
            if (Parse(text) is { } line) lines.Add(line);
        }
        offset += start;
        return lines;
    }

    private LedgerLine? Parse(string text)
    {
        if (text.Length == 0) return null;
        var fields = CsvLedger.Split(text);
        if (columns is null || (fields.Count > 0 && fields[0] == CsvLedger.Columns[0] && fields.Contains("report_json")))
        {
            // The header: the first line, or a header again after a ledger was started anew.
            columns = fields.Select((name, index) => (name, index)).GroupBy(c => c.name).ToDictionary(g => g.Key, g => g.First().index, StringComparer.Ordinal);
            return null;
        }
        var report = Field(fields, "report_json");
        // A line cut short by a crash, or one whose report name could not be served safely: skipped, as CsvLedger.Read does.
        if (report is null || !report.EndsWith(".json", StringComparison.Ordinal) || !ReportIds.IsValid(report[..^5])) return null;
        if (Field(fields, "input_sha256") is { } sha && sha.Length != 64) return null;
        return new LedgerLine(report, Field(fields, "created_utc"), Field(fields, "input_name"), Field(fields, "findings"),
            Field(fields, "archive_name") ?? Field(fields, "archived_as"));
    }

    private string? Field(List<string> fields, string name) =>
        columns!.TryGetValue(name, out var index) && index < fields.Count ? fields[index] : null;
}
