using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>The console's page frame and the encoding every page uses (all text from files is encoded).</summary>
internal static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Url(string text) => Uri.EscapeDataString(text);

    public static string Time(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string TimeElement(DateTimeOffset time, TimeZoneInfo zone) =>
        $"<time datetime=\"{time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\">{Time(time, zone)}</time>";

    public static string Number(double value, string format = "0.00") =>
        double.IsNaN(value) ? "?" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A whole page: header with navigation, the content, the console's style sheet and (optionally) script.</summary>
    public static string Page(string title, string current, string body, bool script = false)
    {
        var b = new StringBuilder(4096 + body.Length);
        b.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" · MLRFNet clinic console</title>")
            .Append("<link rel=\"stylesheet\" href=\"/assets/console.css\"></head><body>")
            .Append("<header class=\"bar\"><span class=\"brand\">MLRFNet clinic console</span><nav>");
        foreach (var (href, label) in new[] { ("/", "Worklist"), ("/quarantine", "Quarantine"), ("/health", "Health") })
            b.Append("<a href=\"").Append(href).Append('"').Append(label == current ? " aria-current=\"page\"" : "").Append('>').Append(label).Append("</a>");
        b.Append("</nav></header><main>").Append(body)
            .Append("<p class=\"notice\">Decision support only, not a diagnosis: a flag means a person should look at this study; no flag is not a clean bill of health.</p>")
            .Append("</main>");
        if (script) b.Append("<script src=\"/assets/console.js\"></script>");
        return b.Append("</body></html>").ToString();
    }

    public static string Badge(string outcome) => $"<span class=\"badge {E(outcome)}\">{E(outcome)}</span>";
}
