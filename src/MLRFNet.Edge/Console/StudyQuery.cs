using MLRFNet.Edge.Reports;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>
/// A worklist or API query: filters (flagged only, outcome, date range in the box's time zone, text, since), the
/// order (newest first, or triage: flagged first by how far the top finding lies above its threshold) and a page.
/// One place for the rule, used by the page, its polling and the API.
/// </summary>
internal sealed record StudyQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public bool FlaggedOnly { get; init; }
    public string? Outcome { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public string? Text { get; init; }
    public DateTimeOffset? Since { get; init; }
    public bool Triage { get; init; }
    public int Offset { get; init; }
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>Reads the query string; a malformed value is an error naming the parameter and the form it takes.</summary>
    public static StudyQuery Parse(IQueryCollection q, out string? error)
    {
        error = null;
        var query = new StudyQuery();
        string? Get(string key) => q.TryGetValue(key, out var v) && v.Count > 0 && !string.IsNullOrWhiteSpace(v[0]) ? v[0]!.Trim() : null;
        if (Get("flagged") is { } flagged)
        {
            if (flagged is "1" or "true" or "on") query = query with { FlaggedOnly = true };
            else if (flagged is not ("0" or "false" or "off")) error = "flagged must be true or false.";
        }
        if (Get("outcome") is { } outcome)
        {
            if (outcome is Outcomes.Scored or Outcomes.Unsuitable or Outcomes.Quarantined or Outcomes.Waiting) query = query with { Outcome = outcome };
            else error = "outcome must be one of scored, unsuitable, quarantined, waiting.";
        }
        if (Get("from") is { } from)
        {
            if (DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) query = query with { From = d };
            else error = "from must be a date, yyyy-MM-dd.";
        }
        if (Get("to") is { } to)
        {
            if (DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) query = query with { To = d };
            else error = "to must be a date, yyyy-MM-dd.";
        }
        if (Get("since") is { } since)
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s)) query = query with { Since = s };
            else error = "since must be an ISO 8601 time, e.g. 2026-01-31T08:00:00Z.";
        }
        if (Get("q") is { } text) query = query with { Text = text.Length > 200 ? text[..200] : text };
        if (Get("sort") is { } sort)
        {
            if (sort is "triage" or "time") query = query with { Triage = sort == "triage" };
            else error = "sort must be time or triage.";
        }
        if (Get("offset") is { } offset)
        {
            if (int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var o)) query = query with { Offset = o };
            else error = "offset must be a whole number, 0 or more.";
        }
        if (Get("limit") is { } limit)
        {
            if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= MaxLimit) query = query with { Limit = l };
            else error = $"limit must be a whole number from 1 to {MaxLimit}.";
        }
        return query;
    }

    /// <summary>Filters and orders <paramref name="rows"/>; returns the page and how many matched in all.</summary>
    public (List<StudyRow> Page, int Total) Apply(IEnumerable<StudyRow> rows, TimeZoneInfo zone)
    {
        var matched = rows.Where(r => Matches(r, zone));
        var ordered = Triage
            ? matched.OrderByDescending(r => r.Flagged.Count > 0).ThenByDescending(r => r.TopMargin ?? double.NegativeInfinity).ThenByDescending(r => r.Time)
            : matched.OrderByDescending(r => r.Time);
        var list = ordered.ThenBy(r => r.Id ?? r.InputName, StringComparer.Ordinal).ToList();
        return (list.Skip(Offset).Take(Limit).ToList(), list.Count);
    }

    private bool Matches(StudyRow row, TimeZoneInfo zone)
    {
        if (FlaggedOnly && row.Flagged.Count == 0) return false;
        if (Outcome is not null && row.Outcome != Outcome) return false;
        if (Since is { } since && row.Time <= since) return false;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(row.Time, zone).DateTime);
        if (From is { } from && day < from) return false;
        if (To is { } to && day > to) return false;
        if (Text is { } text)
        {
            bool Has(string? s) => s is not null && s.Contains(text, StringComparison.OrdinalIgnoreCase);
            if (!(Has(row.InputName) || Has(row.Id) || Has(row.PatientId) || Has(row.AccessionNumber) || Has(row.StudyDate)
                  || Has(row.Outcome) || Has(row.Reason) || row.Flagged.Any(f => Has(f.Label)))) return false;
        }
        return true;
    }

    /// <summary>The query string that reproduces this query (paging left out unless asked for).</summary>
    public string ToQueryString(bool withPaging = false)
    {
        var parts = new List<string>();
        if (FlaggedOnly) parts.Add("flagged=1");
        if (Outcome is not null) parts.Add("outcome=" + Outcome);
        if (From is { } f) parts.Add("from=" + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (To is { } t) parts.Add("to=" + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (Text is not null) parts.Add("q=" + Uri.EscapeDataString(Text));
        if (Triage) parts.Add("sort=triage");
        if (withPaging && Offset > 0) parts.Add("offset=" + Offset.ToString(CultureInfo.InvariantCulture));
        if (withPaging && Limit != DefaultLimit) parts.Add("limit=" + Limit.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
