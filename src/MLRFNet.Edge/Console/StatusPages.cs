using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>The quarantine page, the health page and the login page.</summary>
internal static class StatusPages
{
    public static string Quarantine(List<StudyRow> rows, TimeZoneInfo zone)
    {
        var b = new StringBuilder("<h1>Quarantine</h1>");
        b.Append("<p>Files the service could not score. Each stays in the quarantine folder with a <code>.error.json</code> beside it; nothing is deleted.</p>");
        if (rows.Count == 0) b.Append("<p id=\"quarantine-empty\">Nothing is quarantined.</p>");
        else
        {
            b.Append("<table id=\"quarantine\"><thead><tr><th>Time</th><th>File</th><th>Reason</th><th>What to do</th></tr></thead><tbody>");
            foreach (var row in rows.OrderByDescending(r => r.Time))
                b.Append("<tr><td data-label=\"Time\">").Append(Html.TimeElement(row.Time, zone)).Append("</td><td data-label=\"File\" class=\"name\">")
                    .Append(Html.E(row.InputName)).Append("</td><td data-label=\"Reason\">").Append(Html.E(row.Reason))
                    .Append("</td><td data-label=\"What to do\">").Append(Html.E(row.WhatToDo)).Append("</td></tr>");
            b.Append("</tbody></table>");
        }
        return Html.Page("Quarantine", "Quarantine", b.ToString());
    }

    /// <summary>
    /// Every field of <c>health.json</c>, shown generically (new fields and states appear without a console change);
    /// the status on top. A heartbeat older than <paramref name="staleAfter"/> is called out: the service may be hung.
    /// </summary>
    public static string Health(JsonElement? health, string? problem, DateTimeOffset now, TimeSpan staleAfter, TimeZoneInfo zone)
    {
        var b = new StringBuilder("<h1>Health</h1>");
        if (health is not { ValueKind: JsonValueKind.Object } root)
        {
            b.Append("<p class=\"error\" id=\"health-missing\">No health file: ").Append(Html.E(problem)).Append("</p>");
            return Html.Page("Health", "Health", b.ToString());
        }
        var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "unknown";
        b.Append("<p class=\"status\">Status: <span id=\"health-status\" class=\"badge status-").Append(Html.E(status)).Append("\">").Append(Html.E(status)).Append("</span></p>");
        if (root.TryGetProperty("heartbeatUtc", out var hb) && hb.TryGetDateTimeOffset(out var heartbeat) && now - heartbeat > staleAfter)
            b.Append("<p class=\"error\" id=\"health-stale\">The last heartbeat was at ").Append(Html.Time(heartbeat, zone))
                .Append(", ").Append(((int)(now - heartbeat).TotalSeconds).ToString(CultureInfo.InvariantCulture)).Append(" s ago: the service may be stopped or hung.</p>");
        if (root.TryGetProperty("startedUtc", out var st) && st.TryGetDateTimeOffset(out var started))
            b.Append("<p>Up for <span id=\"uptime\">").Append(Uptime(now - started)).Append("</span>.</p>");
        b.Append("<table id=\"health\"><tbody>");
        Rows(b, root, "");
        b.Append("</tbody></table><p class=\"hint\">The same data as <code>health.json</code> and <a href=\"/api/health\">/api/health</a>.</p>");
        return Html.Page("Health", "Health", b.ToString());
    }

    private static void Rows(StringBuilder b, JsonElement element, string prefix)
    {
        foreach (var property in element.EnumerateObject())
        {
            var name = prefix + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object) { Rows(b, property.Value, name + "."); continue; }
            var value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Null => "—",
                _ => property.Value.GetRawText(),
            };
            b.Append("<tr><th scope=\"row\">").Append(Html.E(name)).Append("</th><td data-field=\"").Append(Html.E(name)).Append("\">").Append(Html.E(value)).Append("</td></tr>");
        }
    }

    private static string Uptime(TimeSpan t) => t.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalDays} d {t.Hours} h")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Hours} h {t.Minutes} min");

    public static string Login(string? error, string next)
    {
        var b = new StringBuilder("<h1>Sign in</h1>");
        if (error is not null) b.Append("<p class=\"error\" role=\"alert\" id=\"login-error\">").Append(Html.E(error)).Append("</p>");
        b.Append("<form method=\"post\" action=\"/login\" class=\"login\"><input type=\"hidden\" name=\"next\" value=\"").Append(Html.E(next)).Append("\">")
            .Append("<label>Access token <input type=\"password\" name=\"token\" id=\"token\" required autocomplete=\"current-password\"></label>")
            .Append("<button type=\"submit\">Sign in</button></form>")
            .Append("<p class=\"hint\">The token is the box's <code>Console:AccessToken</code>; ask the person who installed it.</p>");
        return Html.Page("Sign in", "", b.ToString());
    }
}
