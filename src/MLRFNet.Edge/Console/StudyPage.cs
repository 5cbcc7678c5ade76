using System.Text;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>
/// A study (<c>/studies/{id}</c>): who reviewed it and the form to mark it reviewed, above the stored HTML report
/// itself, served as written (in a sandboxed frame, under the report's own no-script policy). The form is a plain
/// POST: it works without script.
/// </summary>
internal static class StudyPage
{
    public static string Render(StudyRow row, IReadOnlyList<ReviewMark> marks, TimeZoneInfo zone, string? error, string? reviewer)
    {
        var id = row.Id!;
        var b = new StringBuilder();
        b.Append("<p><a href=\"/\">← Worklist</a></p>");
        b.Append("<h1 id=\"study-name\">").Append(Html.E(row.InputName)).Append("</h1>");
        b.Append("<p class=\"meta\">").Append(Html.TimeElement(row.Time, zone)).Append(' ').Append(Html.Badge(row.Outcome));
        if (row.PatientId is not null) b.Append(" · Patient ").Append(Html.E(row.PatientId));
        if (row.StudyDate is not null) b.Append(" · Study date ").Append(Html.E(row.StudyDate));
        if (row.AccessionNumber is not null) b.Append(" · Accession ").Append(Html.E(row.AccessionNumber));
        b.Append("</p>");
        b.Append("<section class=\"review\" id=\"review\"><h2>Review</h2>");
        if (marks.Count == 0) b.Append("<p id=\"review-state\">Not reviewed yet.</p>");
        else
        {
            b.Append("<ul id=\"review-marks\">");
            foreach (var mark in marks)
            {
                b.Append("<li class=\"mark\">Reviewed by <strong class=\"reviewer\">").Append(Html.E(mark.Reviewer)).Append("</strong> at ")
                    .Append(Html.TimeElement(mark.MarkedUtc, zone));
                if (mark.Note is not null) b.Append(": <span class=\"note\">").Append(Html.E(mark.Note)).Append("</span>");
                b.Append("</li>");
            }
            b.Append("</ul>");
        }
        if (error is not null) b.Append("<p class=\"error\" role=\"alert\">").Append(Html.E(error)).Append("</p>");
        b.Append("<form method=\"post\" action=\"/studies/").Append(Html.Url(id)).Append("/review\" class=\"review-form\">")
            .Append("<label>Reviewed by <input name=\"reviewer\" id=\"reviewer\" required maxlength=\"").Append(ReviewMarks.MaxReviewerLength)
            .Append("\" autocomplete=\"name\" value=\"").Append(Html.E(reviewer)).Append("\"></label>")
            .Append("<label class=\"grow\">Note (optional) <input name=\"note\" id=\"note\" maxlength=\"").Append(ReviewMarks.MaxNoteLength).Append("\"></label>")
            .Append("<button type=\"submit\" id=\"mark-reviewed\">Mark reviewed</button></form>")
            .Append("<p class=\"hint\">Marks are kept in their own file; the report itself is never changed.</p></section>");
        b.Append("<p class=\"links\"><a href=\"/studies/").Append(Html.Url(id)).Append("/report\" target=\"_blank\" rel=\"noopener\">Open the report alone (print)</a> · ")
            .Append("<a href=\"/api/studies/").Append(Html.Url(id)).Append("\">JSON report</a></p>");
        b.Append("<iframe class=\"report\" id=\"report\" title=\"Report of ").Append(Html.E(row.InputName)).Append("\" sandbox src=\"/studies/")
            .Append(Html.Url(id)).Append("/report\"></iframe>");
        return Html.Page(row.InputName, "", b.ToString());
    }
}
