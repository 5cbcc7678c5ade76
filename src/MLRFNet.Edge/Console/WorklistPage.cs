using MLRFNet.Edge.Reports;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>
/// The worklist (<c>/</c>): filters, the order toggle, one row per study and a pager. The rows are also served alone
/// (<c>/worklist/rows</c>) for the page's polling script, so the table has one renderer. On a narrow screen the style
/// sheet turns each row into a card (labels from <c>data-label</c>).
/// </summary>
internal static class WorklistPage
{
    public static string Render(StudyQuery query, List<StudyRow> page, int total, Dictionary<string, ReviewMark> reviews, TimeZoneInfo zone, int pollSeconds, string? error)
    {
        var b = new StringBuilder();
        b.Append("<h1>Worklist</h1>");
        if (error is not null) b.Append("<p class=\"error\" role=\"alert\">").Append(Html.E(error)).Append("</p>");
        b.Append("<form class=\"filters\" method=\"get\" action=\"/\">")
            .Append("<label><input type=\"checkbox\" name=\"flagged\" value=\"1\"").Append(query.FlaggedOnly ? " checked" : "").Append("> Flagged only</label>")
            .Append("<label>From <input type=\"date\" name=\"from\" value=\"").Append(Date(query.From)).Append("\"></label>")
            .Append("<label>To <input type=\"date\" name=\"to\" value=\"").Append(Date(query.To)).Append("\"></label>")
            .Append("<label class=\"grow\">Search <input type=\"search\" name=\"q\" placeholder=\"name, patient ID, accession, finding\" value=\"").Append(Html.E(query.Text)).Append("\"></label>");
        if (query.Triage) b.Append("<input type=\"hidden\" name=\"sort\" value=\"triage\">");
        b.Append("<button type=\"submit\">Apply</button> <a href=\"/\">Clear</a></form>");
        var other = query with { Triage = !query.Triage, Offset = 0 };
        b.Append("<p class=\"order\">Order: <strong id=\"order\">").Append(query.Triage ? "triage (flagged first, furthest above threshold first)" : "newest first")
            .Append("</strong> · <a id=\"order-toggle\" href=\"/").Append(Html.E(other.ToQueryString())).Append("\">")
            .Append(query.Triage ? "Show newest first" : "Triage: flagged first").Append("</a></p>");
        b.Append("<p class=\"count\"><span id=\"total\">").Append(total.ToString(CultureInfo.InvariantCulture)).Append("</span> ").Append(total == 1 ? "study" : "studies")
            .Append(" <span id=\"updated\" aria-live=\"polite\"></span></p>");
        var rows = Rows(page, reviews, zone);
        // The page carries the ETag of the rows it shows, so the first poll of an unchanged worklist answers 304 and
        // the table is not rebuilt under a clinician's pointer (a row being clicked would be replaced mid-click).
        b.Append("<table id=\"worklist\" data-poll-seconds=\"").Append(pollSeconds.ToString(CultureInfo.InvariantCulture))
            .Append("\" data-rows-url=\"/worklist/rows").Append(Html.E(query.ToQueryString(withPaging: true))).Append("\" data-live=\"").Append(query.Offset == 0 ? "1" : "0")
            .Append("\" data-etag=\"").Append(Html.E(RowsETag(rows, total))).Append("\">")
            .Append("<thead><tr><th>Time</th><th>Study</th><th>Outcome</th><th>Flagged findings</th><th>Image</th><th>Reviewed</th><th></th></tr></thead>")
            .Append("<tbody id=\"rows\">").Append(rows).Append("</tbody></table>");
        Pager(b, query, total);
        return Html.Page("Worklist", "Worklist", b.ToString(), script: true);
    }

    /// <summary>The validator of a rendering of the rows: it changes when any shown value or the total changes.</summary>
    public static string RowsETag(string rowsHtml, int total) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rowsHtml)))[..16] + "-" + total.ToString(CultureInfo.InvariantCulture) + "\"";

    public static string Rows(List<StudyRow> page, Dictionary<string, ReviewMark> reviews, TimeZoneInfo zone)
    {
        if (page.Count == 0) return "<tr class=\"empty\"><td colspan=\"7\">No studies match.</td></tr>";
        var b = new StringBuilder(page.Count * 600);
        foreach (var row in page)
        {
            var flagged = row.Flagged.Count > 0;
            b.Append("<tr class=\"").Append(Html.E(row.Outcome)).Append(flagged ? " flagged" : "").Append('"');
            if (row.Id is not null) b.Append(" data-id=\"").Append(Html.E(row.Id)).Append('"');
            b.Append("><td data-label=\"Time\">").Append(Html.TimeElement(row.Time, zone)).Append("</td>");
            b.Append("<td data-label=\"Study\"><span class=\"name\">").Append(Html.E(row.InputName)).Append("</span>");
            if (row.PatientId is not null || row.StudyDate is not null || row.AccessionNumber is not null)
            {
                b.Append("<span class=\"dicom\">");
                if (row.PatientId is not null) b.Append("Patient ").Append(Html.E(row.PatientId)).Append(' ');
                if (row.StudyDate is not null) b.Append("· Study date ").Append(Html.E(row.StudyDate)).Append(' ');
                if (row.AccessionNumber is not null) b.Append("· Accession ").Append(Html.E(row.AccessionNumber));
                b.Append("</span>");
            }
            b.Append("</td><td data-label=\"Outcome\">").Append(Html.Badge(row.Outcome));
            if (row.Reason is not null && row.Outcome != Outcomes.Scored) b.Append("<span class=\"reason\">").Append(Html.E(row.Reason)).Append("</span>");
            b.Append("</td><td data-label=\"Flagged\">");
            if (flagged)
            {
                b.Append("<ul class=\"findings\">");
                foreach (var f in row.Flagged)
                    b.Append("<li>").Append(Html.E(f.Label)).Append(" <span class=\"p\">").Append(Html.Number(f.Probability))
                        .Append(" (threshold ").Append(Html.Number(f.Threshold)).Append(")</span></li>");
                b.Append("</ul>");
            }
            else if (row.Outcome == Outcomes.Scored) b.Append("<span class=\"none\">none</span>");
            b.Append("</td><td data-label=\"Image\">");
            if (row.Id is not null && row.Outcome != Outcomes.Quarantined)
                b.Append("<img class=\"thumb\" loading=\"lazy\" alt=\"X-ray of ").Append(Html.E(row.InputName)).Append("\" src=\"/studies/").Append(Html.Url(row.Id)).Append("/thumbnail\">");
            b.Append("</td><td data-label=\"Reviewed\">");
            if (row.Id is not null && reviews.TryGetValue(row.Id, out var mark))
                b.Append("<span class=\"reviewed\">").Append(Html.E(mark.Reviewer)).Append("</span>");
            b.Append("</td><td class=\"open\">");
            if (row.Id is not null) b.Append("<a class=\"open-study\" href=\"/studies/").Append(Html.Url(row.Id)).Append("\">Open</a>");
            else if (row.Outcome == Outcomes.Quarantined) b.Append("<a href=\"/quarantine\">Why?</a>");
            b.Append("</td></tr>");
        }
        return b.ToString();
    }

    private static void Pager(StringBuilder b, StudyQuery query, int total)
    {
        if (total <= query.Limit && query.Offset == 0) return;
        b.Append("<nav class=\"pager\">");
        if (query.Offset > 0)
            b.Append("<a href=\"/").Append(Html.E((query with { Offset = Math.Max(0, query.Offset - query.Limit) }).ToQueryString(true))).Append("\">Newer</a> ");
        b.Append("<span>").Append((query.Offset + 1).ToString(CultureInfo.InvariantCulture)).Append('–')
            .Append(Math.Min(total, query.Offset + query.Limit).ToString(CultureInfo.InvariantCulture)).Append(" of ").Append(total.ToString(CultureInfo.InvariantCulture)).Append("</span>");
        if (query.Offset + query.Limit < total)
            b.Append(" <a href=\"/").Append(Html.E((query with { Offset = query.Offset + query.Limit }).ToQueryString(true))).Append("\">Older</a>");
        b.Append("</nav>");
    }

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
