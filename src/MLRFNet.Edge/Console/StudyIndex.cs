using System.Globalization;
using System.Text.Json;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Reports;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>A reported study's files in the reports folder.</summary>
internal sealed record ReportFiles(string Json, string? Html);

/// <summary>
/// The worklist's data, read from what the service already writes (no second database): the ledger and the JSON
/// reports it names, the quarantine folder's <c>.error.json</c> records, and the files waiting in the intake and work
/// folders. Reports are never overwritten, so each is parsed once and kept; the ledger is followed incrementally.
/// Thread-safe: many browsers poll at once.
/// </summary>
internal sealed class StudyIndex(IOptions<EdgeOptions> options)
{
    private readonly EdgeOptions edge = options.Value;
    private readonly Lock gate = new();
    private readonly LedgerReader ledger = new(Path.Combine(options.Value.ReportsFolder, CsvLedger.FileName));
    private readonly List<StudyRow> reported = [];
    private readonly Dictionary<string, ReportFiles> files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTime Written, long Length, StudyRow Row)> quarantined = new(StringComparer.Ordinal);

    /// <summary>Every row, unordered: reported studies, quarantined files, waiting files.</summary>
    public List<StudyRow> Snapshot()
    {
        lock (gate)
        {
            FollowLedgerLocked();
            var rows = new List<StudyRow>(reported.Count + quarantined.Count);
            rows.AddRange(reported);
            rows.AddRange(QuarantinedLocked());
            rows.AddRange(Waiting());
            return rows;
        }
    }

    /// <summary>The report files of a ledger ID, or null: an ID that is malformed or not in the ledger opens no file.</summary>
    public ReportFiles? Find(string? id)
    {
        if (!ReportIds.IsValid(id)) return null;
        lock (gate)
        {
            if (!files.ContainsKey(id!)) FollowLedgerLocked();
            return files.GetValueOrDefault(id!);
        }
    }

    private void FollowLedgerLocked()
    {
        foreach (var line in ledger.ReadNew())
        {
            var id = line.ReportJson[..^".json".Length];
            if (files.ContainsKey(id)) continue;
            var (row, html) = ReadReport(id, line);
            files[id] = new ReportFiles(line.ReportJson, html);
            reported.Add(row);
        }
    }

    public string ReportPath(string fileName) => Path.Combine(edge.ReportsFolder, fileName);

    private (StudyRow Row, string? Html) ReadReport(string id, LedgerLine line)
    {
        var fallbackTime = DateTimeOffset.TryParse(line.CreatedUtc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(ReportPath(line.ReportJson)));
            var root = document.RootElement;
            var dicom = root.TryGetProperty("dicom", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
            var row = new StudyRow
            {
                Id = id,
                Time = root.TryGetProperty("createdUtc", out var created) && created.TryGetDateTimeOffset(out var c) ? c : fallbackTime,
                InputName = String(root, "input", "name") ?? line.InputName ?? id,
                Outcome = String(root, "outcome") is { Length: > 0 } outcome ? outcome.ToLowerInvariant() : Outcomes.Scored,
                PatientId = String(dicom, "patientId"),
                StudyDate = String(dicom, "studyDate"),
                AccessionNumber = String(dicom, "accessionNumber"),
                Flagged = Findings(root),
                Reason = String(root, "suitability", "reason") ?? String(root, "unsuitableReason") ?? String(root, "reason"),
                Timings = Timings(root),
            };
            return (row, String(root, "htmlReport"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            // The ledger names a report that cannot be read (removed by hand, damaged disk): still listed, from the ledger line.
            return (new StudyRow { Id = id, Time = fallbackTime, InputName = line.InputName ?? id, Outcome = Outcomes.Scored, Reason = "report unreadable: " + e.Message }, null);
        }
    }

    private static List<FlaggedFinding> Findings(JsonElement root)
    {
        var list = new List<FlaggedFinding>();
        if (!root.TryGetProperty("findings", out var findings) || findings.ValueKind != JsonValueKind.Array) return list;
        foreach (var f in findings.EnumerateArray())
        {
            if (String(f, "label") is not { } label) continue;
            var p = f.TryGetProperty("probability", out var pe) && pe.TryGetDouble(out var pv) ? pv : double.NaN;
            var th = f.TryGetProperty("threshold", out var te) && te.TryGetDouble(out var tv) ? tv : double.NaN;
            list.Add(new FlaggedFinding(label, p, th));
        }
        return list;
    }

    private static StageTimes? Timings(JsonElement root)
    {
        if (!root.TryGetProperty("timings", out var t) || t.ValueKind != JsonValueKind.Object) return null;
        double Ms(string name) => t.TryGetProperty(name, out var v) && v.TryGetDouble(out var ms) ? ms : double.NaN;
        return new StageTimes(Ms("hashMs"), Ms("decodeMs"), Ms("preprocessMs"), Ms("inferenceMs"), Ms("reportMs"));
    }

    private static string? String(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    private List<StudyRow> QuarantinedLocked()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var path in Directory.EnumerateFiles(edge.QuarantineFolder, "*.error.json"))
            {
                var name = System.IO.Path.GetFileName(path);
                if (name.StartsWith('.')) continue;
                seen.Add(name);
                var info = new FileInfo(path);
                if (quarantined.TryGetValue(name, out var cached) && cached.Written == info.LastWriteTimeUtc && cached.Length == info.Length) continue;
                quarantined[name] = (info.LastWriteTimeUtc, info.Length, ReadQuarantine(path, name, info));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // folder missing or unreadable: nothing to list
        foreach (var gone in quarantined.Keys.Where(k => !seen.Contains(k)).ToList()) quarantined.Remove(gone);
        return quarantined.Values.Select(v => v.Row).ToList();
    }

    private static StudyRow ReadQuarantine(string path, string name, FileInfo info)
    {
        var input = name[..^".error.json".Length];
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            return new StudyRow
            {
                Time = root.TryGetProperty("quarantinedUtc", out var q) && q.TryGetDateTimeOffset(out var when) ? when : info.LastWriteTimeUtc,
                InputName = input, Outcome = Outcomes.Quarantined,
                Reason = (String(root, "kind") is { } kind ? kind + ": " : "") + String(root, "reason"),
                WhatToDo = String(root, "whatToDo"),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return new StudyRow { Time = info.LastWriteTimeUtc, InputName = input, Outcome = Outcomes.Quarantined, Reason = "record unreadable: " + e.Message };
        }
    }

    private List<StudyRow> Waiting()
    {
        var rows = new List<StudyRow>();
        foreach (var folder in new[] { edge.IntakeFolder, edge.WorkFolder })
        {
            try
            {
                foreach (var path in Directory.EnumerateFiles(folder))
                {
                    if (!IntakeFilter.IsCandidate(path)) continue;
                    rows.Add(new StudyRow { Time = File.GetLastWriteTimeUtc(path), InputName = System.IO.Path.GetFileName(path), Outcome = Outcomes.Waiting });
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a file left while listing, or no folder yet
        }
        return rows;
    }
}
