using Microsoft.AspNetCore.Http;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>
/// Headers on every response. The console's pages allow only their own script and style files (no inline script,
/// nothing from the network), may not be framed, and are not cached (they show patient data). The stored HTML
/// report is served under its own stricter policy: no script at all, its inline style and data: images only, sandboxed,
/// framed by the console's study page only.
/// </summary>
internal static class SecurityHeaders
{
    public const string ConsolePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public const string ReportPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox";

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ConsolePolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with the console's own
        // forms, and the cross-site check (ConsoleAccess) could not tell them from a foreign page's.
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers.CacheControl = "no-store";
        if (context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
        return next(context);
    }

    /// <summary>Switches a response to the report's policy (only the stored report pages).</summary>
    public static void ForStoredReport(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ReportPolicy;
        response.Headers.XFrameOptions = "SAMEORIGIN";
    }
}
