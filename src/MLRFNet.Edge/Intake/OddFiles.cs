using MLRFNet.Edge.Health;
using MLRFNet.Edge.Storage;
using Microsoft.Extensions.Logging;

namespace MLRFNet.Edge.Intake;

/// <summary>
/// What the intake does with entries that are not readable regular files. None of them is ever opened or followed:
/// a symbolic link is moved aside itself (the link, not its target) to the quarantine folder with its reason; a named
/// pipe, socket or device stays where it is; a file the service user cannot read waits until it can. Each is reported
/// once (a log line, and listed in <c>health.json</c> under <c>notTaken</c> while it is there), not on every rescan.
/// </summary>
internal sealed class OddFiles(Quarantine quarantine, ServiceState state, ILogger<OddFiles> logger)
{
    /// <summary>An entry that is not a regular file.</summary>
    public void Handle(string path, EntryKind kind)
    {
        if (kind == EntryKind.Directory) return;
        if (kind == EntryKind.Symlink)
        {
            MoveLinkAside(path);
            return;
        }
        Report(path, $"a {FileSystemOps.Describe(kind)}, not a regular file: never opened; remove it from the intake and copy the image itself");
    }

    /// <summary>Reports <paramref name="path"/> as not taken, once while it stays.</summary>
    public void Report(string path, string reason)
    {
        var name = RawNames.Display(Path.GetFileName(path));
        if (state.ReportNotTaken(name, reason)) Log.NotTaken(logger, name, reason);
    }

    public void Forget(string path) => state.ClearNotTaken(RawNames.Display(Path.GetFileName(path)));

    /// <summary>Entries no longer in the intake leave the list.</summary>
    public void ForgetAllBut(IReadOnlySet<string> present)
    {
        var names = present.Select(p => RawNames.Display(Path.GetFileName(p))).ToHashSet(StringComparer.Ordinal);
        foreach (var name in state.NotTaken.Keys.Where(n => !names.Contains(n)).ToList()) state.ClearNotTaken(name);
    }

    private void MoveLinkAside(string path)
    {
        var name = Path.GetFileName(path);
        string target;
        try { target = new FileInfo(path).LinkTarget ?? "?"; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { target = "?"; }
        var reason = $"A symbolic link (to '{RawNames.Display(target)}'), not a file; links are never followed.";
        try
        {
            var moved = quarantine.Move(path, name, null, Quarantine.SymbolicLinkKind, reason);
            state.OnQuarantined(path);
            Log.Quarantined(logger, RawNames.Display(name), Quarantine.SymbolicLinkKind, reason, RawNames.Display(Path.GetFileName(moved)));
        }
        catch (IOException e)
        {
            Report(path, $"a symbolic link that could not be moved aside ({e.Message})");
        }
    }
}
