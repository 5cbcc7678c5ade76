using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.ClinicConsole;

// The folder is Console/, the namespace ClinicConsole: a namespace MLRFNet.Edge.Console would hide System.Console
// from every file under MLRFNet.Edge.

/// <summary>
/// The clinic console (configuration section <c>Console</c>): the box's own web worklist and API, served by this
/// process. Read-only over the reports folder, except for review marks, which go to their own append-only file.
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>
    /// Where the console listens, separated by ';' (default <c>http://127.0.0.1:8080</c>: this box only). Empty turns
    /// the console off. <c>http://0.0.0.0:8080</c> or a LAN address lets the clinic PC in, and then
    /// <see cref="AccessToken"/> is required. Port 0 picks a free port (tests).
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// The shared secret a browser enters once (kept in a same-site cookie) and the API takes as
    /// <c>Authorization: Bearer &lt;token&gt;</c>. Required when <see cref="Urls"/> listens beyond loopback; when set,
    /// required on loopback too. At least 16 characters. Never logged.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>The server certificate for <c>https://</c> URLs: a PEM certificate (with <see cref="CertificateKeyPath"/>) or a PKCS#12 (.pfx).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/> (not needed for a .pfx).</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The password of a .pfx or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The append-only review marks (CSV); default <c>reviews.csv</c> beside the reports folder (not in it).</summary>
    public string? ReviewsFile { get; set; }

    /// <summary>How often an open worklist asks for new studies, in seconds (5).</summary>
    public int PollSeconds { get; set; } = 5;

    public bool Enabled => !string.IsNullOrWhiteSpace(Urls);

    public string ResolvedReviewsFile(string reportsFolder) =>
        ReviewsFile is { Length: > 0 } r ? r : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(reportsFolder)) ?? ".", "reviews.csv");
}

/// <summary>
/// Checks the console settings at start: a console reachable from the network without a token, a malformed URL
/// or a missing certificate stops the service with the fix, before it takes a file.
/// </summary>
internal sealed class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>
{
    public const int MinimumTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, ConsoleOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        IReadOnlyList<ConsoleEndpoint> endpoints = [];
        try { endpoints = ConsoleEndpoint.ParseList(options.Urls); }
        catch (FormatException e) { failures.Add(e.Message); }
        var token = options.AccessToken;
        if (endpoints.Any(e => !e.IsLoopback) && string.IsNullOrEmpty(token))
            failures.Add($"Console:Urls '{options.Urls}' listens beyond this box but Console:AccessToken is not set; set a token of at least {MinimumTokenLength} characters (e.g. from `openssl rand -hex 24`), or listen on http://127.0.0.1:8080 only.");
        if (!string.IsNullOrEmpty(token) && (token.Length < MinimumTokenLength || token.Any(char.IsControl) || token.Trim() != token))
            failures.Add($"Console:AccessToken is too short or holds spaces or control characters; use at least {MinimumTokenLength} printable characters (e.g. from `openssl rand -hex 24`).");
        if (endpoints.Any(e => e.Https) && string.IsNullOrEmpty(options.CertificatePath))
            failures.Add("Console:Urls has an https:// address but Console:CertificatePath is not set; point it at the server certificate (PEM with Console:CertificateKeyPath, or a .pfx).");
        if (options.CertificatePath is { Length: > 0 } cert && !File.Exists(cert))
            failures.Add($"Console:CertificatePath '{cert}' does not exist; install the certificate there or clear the option.");
        if (options.CertificateKeyPath is { Length: > 0 } key && !File.Exists(key))
            failures.Add($"Console:CertificateKeyPath '{key}' does not exist; install the private key there or clear the option.");
        if (options.PollSeconds is < 1 or > 3600)
            failures.Add($"Console:PollSeconds is {options.PollSeconds}; it must be between 1 and 3600.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
