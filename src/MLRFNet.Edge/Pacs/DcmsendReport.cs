using System.Text.RegularExpressions;

namespace MLRFNet.Edge.Pacs;

/// <summary>
/// Reads the outcome of one dcmsend run. dcmsend exits 0 even when the PACS refuses the C-STORE (a failure DIMSE
/// status), so its transfer report (<c>--create-report-file</c>) is read too: accepted means exit 0 and a
/// "DIMSE Status : 0x0000" (Success) or 0xBxxx (Warning) line. Exit codes from dcmsend(1): 2x input file, 6x network.
/// </summary>
internal static partial class DcmsendReport
{
    [GeneratedRegex(@"DIMSE Status\s*:\s*0x([0-9A-Fa-f]{4})(.*)")]
    private static partial Regex StatusLine();

    /// <summary>Null when the file was accepted; else a short reason for health.json and the log.</summary>
    public static string? Verdict(int exitCode, string output, string report)
    {
        if (exitCode != 0)
        {
            var detail = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("F:", StringComparison.Ordinal) || l.StartsWith("E:", StringComparison.Ordinal));
            var kind = exitCode switch
            {
                -1 => "dcmsend did not run or did not finish",
                >= 60 and < 70 => "the PACS could not be reached or refused the association (check Pacs:Host, Pacs:Port and the AE titles)",
                >= 20 and < 30 => "dcmsend could not read the file",
                _ => "dcmsend failed",
            };
            return $"{kind} (exit {exitCode}){(detail is null ? "" : ": " + detail)}";
        }
        var match = StatusLine().Match(report);
        if (!match.Success) return "dcmsend reported no C-STORE status (the file was not sent)";
        var status = match.Groups[1].Value.ToUpperInvariant();
        return status == "0000" || status.StartsWith('B') ? null : $"the PACS refused the file: DIMSE status 0x{status}{match.Groups[2].Value.TrimEnd()}";
    }
}
