namespace MLRFNet.Edge.ClinicConsole;

/// <summary>
/// Which report IDs the console accepts in a URL: the names the service gives reports (UniqueNames.SafeStem plus the
/// hash: ASCII letters, digits, '-', '_', '.'), not starting with a dot, at most 200 characters. Everything else
/// (slashes, backslashes, '..', percent-encoded tricks, absolute paths, NUL) is refused before any file is touched;
/// an accepted ID must also be in the ledger, and only then is a file under the reports folder opened.
/// </summary>
internal static class ReportIds
{
    public const int MaxLength = 200;

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength || id[0] == '.' || id.Contains("..", StringComparison.Ordinal)) return false;
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        return true;
    }
}
