using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>
/// Who may use the console. With <see cref="ConsoleOptions.AccessToken"/> set, every request but the login page and
/// the static assets needs it: the API as <c>Authorization: Bearer &lt;token&gt;</c>, a browser as the session
/// cookie the login page sets (HttpOnly, SameSite=Strict, Secure on https; it holds a hash of the token, not the token).
/// Comparisons are constant-time over SHA-256 digests, so neither timing nor length gives the token away; the token
/// is never logged. Without a token (loopback only, enforced at start) the Host header must name this box, which stops
/// DNS-rebinding pages from reading the console through the clinician's browser. A POST must come from the console's
/// own pages (Origin check), so another site cannot set review marks.
/// </summary>
internal sealed class ConsoleAccess(string? token, ILogger logger)
{
    public const string CookieName = "mlrfnet_console";
    private readonly byte[]? tokenDigest = token is { Length: > 0 } ? SHA256.HashData(Encoding.UTF8.GetBytes(token)) : null;
    private readonly string? sessionValue = token is { Length: > 0 } ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("mlrfnet-console-session\n" + token))) : null;

    public bool TokenRequired => tokenDigest is not null;

    /// <summary>Constant-time check of a presented token.</summary>
    public bool TokenMatches(string? presented) =>
        tokenDigest is not null && presented is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), tokenDigest);

    private bool SessionMatches(string? cookie) =>
        sessionValue is not null && cookie is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(cookie)), SHA256.HashData(Encoding.UTF8.GetBytes(sessionValue)));

    public void SetSessionCookie(HttpContext context) =>
        context.Response.Cookies.Append(CookieName, sessionValue!, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/", IsEssential = true,
        });

    public static void ClearSessionCookie(HttpContext context) => context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "/";
        if (!TokenRequired && !IsLocalHost(context.Request.Host.Host))
        {
            await Plain(context, StatusCodes.Status403Forbidden, "This console answers to this box's own name only (localhost, 127.0.0.1); set Console:AccessToken to open it to the network.");
            return;
        }
        if (HttpMethods.IsPost(context.Request.Method) && !SameOrigin(context))
        {
            await Plain(context, StatusCodes.Status403Forbidden, "A form from another site was refused; use the console's own pages.");
            return;
        }
        if (!TokenRequired || path.StartsWith("/assets/", StringComparison.Ordinal) || path is "/login" or "/favicon.ico" || Authenticated(context))
        {
            await next(context);
            return;
        }
        if (IsMachinePath(path))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mlrfnet-console\"";
            await Plain(context, StatusCodes.Status401Unauthorized,
                context.Request.Headers.Authorization.Count == 0 ? "Authorization: Bearer <Console:AccessToken> is required." : "The access token is wrong.");
            if (context.Request.Headers.Authorization.Count > 0) Log.ConsoleTokenRefused(logger, context.Connection.RemoteIpAddress?.ToString() ?? "?", path);
            return;
        }
        context.Response.Redirect("/login?next=" + Uri.EscapeDataString(path + context.Request.QueryString), permanent: false);
    }

    public static bool IsMachinePath(string path) => path.StartsWith("/api/", StringComparison.Ordinal) || path == "/metrics";

    private bool Authenticated(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return TokenMatches(authorization["Bearer ".Length..].Trim());
        return SessionMatches(context.Request.Cookies[CookieName]);
    }

    /// <summary>A browser sends Origin on a cross-site POST; it must be this console. No Origin: not a browser form (curl), allowed.</summary>
    private static bool SameOrigin(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        if (origin == "null" || !Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        var host = context.Request.Host;
        var port = host.Port ?? (context.Request.IsHttps ? 443 : 80);
        return uri.Scheme == context.Request.Scheme && string.Equals(uri.Host.Trim('[', ']'), host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase) && uri.Port == port;
    }

    private static bool IsLocalHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    public static Task Plain(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n");
    }
}
