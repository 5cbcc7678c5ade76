using Microsoft.Extensions.Logging;

namespace MLRFNet.Edge;

// 6xx: the clinic console. The console's messages live beside it (one partial of Log) so its code stays in one folder.
internal static partial class Log
{
    [LoggerMessage(600, LogLevel.Information, "Clinic console listening on {Addresses} (access token {TokenState})")]
    public static partial void ConsoleListening(ILogger logger, string addresses, string tokenState);

    [LoggerMessage(601, LogLevel.Error, "The clinic console could not start ({Reason}); scoring goes on without it. Check Console:Urls (is the port free?) and Console:Certificate*")]
    public static partial void ConsoleStartFailed(ILogger logger, string reason);

    [LoggerMessage(602, LogLevel.Information, "Clinic console is off (Console:Urls is empty, or --once)")]
    public static partial void ConsoleOff(ILogger logger);

    [LoggerMessage(603, LogLevel.Warning, "Clinic console: a wrong access token from {Remote} for {Path}")]
    public static partial void ConsoleTokenRefused(ILogger logger, string remote, string path);

    [LoggerMessage(604, LogLevel.Information, "Clinic console: study {ReportId} marked reviewed by {Reviewer}")]
    public static partial void ConsoleReviewed(ILogger logger, string reportId, string reviewer);

    [LoggerMessage(605, LogLevel.Error, "Clinic console: {Method} {Path} failed; the service goes on")]
    public static partial void ConsoleRequestFailed(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(606, LogLevel.Warning, "Clinic console listens on {Addresses} without TLS: the access token and patient data cross the network in clear. Set an https:// URL and Console:CertificatePath")]
    public static partial void ConsoleWithoutTls(ILogger logger, string addresses);
}
