using System.Globalization;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Storage;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>A clinician's "reviewed by" mark on a study.</summary>
public sealed record ReviewMark(string ReportId, string Reviewer, string? Note, DateTimeOffset MarkedUtc);

/// <summary>
/// The review marks: their own append-only CSV (<c>marked_utc,report_id,reviewer,note</c>), never the reports. A study
/// may be marked more than once (a second reader); every mark is kept and the newest is shown. Each append is flushed
/// to disk before the browser is told it is saved.
/// </summary>
internal sealed class ReviewMarks(string path, DurableFile durable, TimeProvider time)
{
    public const int MaxReviewerLength = 80;
    public const int MaxNoteLength = 500;
    private static readonly string[] columns = ["marked_utc", "report_id", "reviewer", "note"];

    private readonly Lock gate = new();
    private readonly Dictionary<string, List<ReviewMark>> marks = new(StringComparer.Ordinal);
    private long readLength = -1;

    public string Path { get; } = path;

    /// <summary>Null when the mark is acceptable, else what is wrong with it (for the form).</summary>
    public static string? Problem(string? reviewer, string? note)
    {
        if (string.IsNullOrWhiteSpace(reviewer)) return "Enter your name (who reviewed this study).";
        if (reviewer.Trim().Length > MaxReviewerLength) return $"The name is longer than {MaxReviewerLength} characters.";
        if ((note ?? "").Length > MaxNoteLength) return $"The note is longer than {MaxNoteLength} characters.";
        if (reviewer.Any(char.IsControl)) return "The name holds control characters.";
        // A spreadsheet opening reviews.csv would run a cell starting like a formula (CSV injection).
        if (reviewer.TrimStart()[0] is '=' or '+' or '-' or '@') return "The name must start with a letter, not =, +, - or @.";
        return null;
    }

    public ReviewMark Add(string reportId, string reviewer, string? note)
    {
        if (Problem(reviewer, note) is { } problem) throw new ArgumentException(problem);
        var mark = new ReviewMark(reportId, reviewer.Trim(), string.IsNullOrWhiteSpace(note) ? null : note.Trim(), time.GetUtcNow());
        lock (gate)
        {
            if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) is { } folder) Directory.CreateDirectory(folder);
            if (!File.Exists(Path) || new FileInfo(Path).Length == 0) durable.AppendLine(Path, string.Join(',', columns));
            durable.AppendLine(Path, string.Join(',', new[]
            {
                mark.MarkedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), mark.ReportId, mark.Reviewer, mark.Note ?? "",
            }.Select(CsvLedger.Escape)));
            readLength = -1; // re-read: the file is the record
        }
        return mark;
    }

    /// <summary>Every mark of a study, oldest first.</summary>
    public IReadOnlyList<ReviewMark> For(string reportId)
    {
        lock (gate)
        {
            Refresh();
            return marks.TryGetValue(reportId, out var list) ? list.ToList() : [];
        }
    }

    /// <summary>The newest mark of every marked study.</summary>
    public Dictionary<string, ReviewMark> Latest()
    {
        lock (gate)
        {
            Refresh();
            return marks.ToDictionary(p => p.Key, p => p.Value[^1], StringComparer.Ordinal);
        }
    }

    private void Refresh()
    {
        var length = File.Exists(Path) ? new FileInfo(Path).Length : 0;
        if (length == readLength) return;
        marks.Clear();
        if (length > 0)
        {
            foreach (var line in File.ReadLines(Path))
            {
                var fields = CsvLedger.Split(line);
                if (fields.Count != columns.Length || fields[0] == columns[0]) continue; // header, or a line cut short by a crash
                if (!DateTimeOffset.TryParse(fields[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)) continue;
                if (!marks.TryGetValue(fields[1], out var list)) marks[fields[1]] = list = [];
                list.Add(new ReviewMark(fields[1], fields[2], fields[3].Length == 0 ? null : fields[3], when));
            }
        }
        readLength = length;
    }
}
