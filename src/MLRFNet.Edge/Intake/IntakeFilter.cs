namespace MLRFNet.Edge.Intake;

/// <summary>
/// Names the intake never takes: files still being written by tools that write under a temporary name and rename
/// when done (rsync and curl <c>.part</c>, many PACS exporters <c>.tmp</c>, editors' <c>~</c> backups) and
/// dotfiles (rsync's <c>.name.XXXXXX</c>, Samba and macOS metadata, our own temporary files).
/// </summary>
internal static class IntakeFilter
{
    private static readonly string[] temporarySuffixes = [".part", ".tmp", "~", ".partial", ".crdownload"];

    public static bool IsCandidate(string path)
    {
        var name = Path.GetFileName(path);
        if (name.Length == 0 || name[0] == '.') return false;
        foreach (var suffix in temporarySuffixes)
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }
}
