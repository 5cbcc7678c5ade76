namespace MLRFNet.Edge.Intake;

/// <summary>
/// Decides when a file has stopped being written. Two rules, both measured on the service's own clock
/// (<see cref="TimeProvider"/>), never by comparing the file's mtime with "now" (a share's or camera's clock may be off
/// by hours): a file the kernel said was closed after writing (inotify IN_CLOSE_WRITE or renamed in complete) is
/// taken once its size and modification time have been unchanged for the stable age; a file with no such word (seen
/// only by a rescan, or written to since its last close) needs the longer unwatched stable age, because a writer that
/// pauses (a slow share, a modality's network hiccup) can leave it unchanged for seconds while it is still open.
/// </summary>
internal sealed class StabilityTracker(TimeProvider time, TimeSpan stableAge, TimeSpan unwatchedStableAge)
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    public IReadOnlyCollection<string> Paths => entries.Keys;

    /// <summary>Records what the file looks like now; a change restarts its stable-age clock, null forgets it.</summary>
    public void Observe(string path, FileStamp? stamp)
    {
        if (stamp is null)
        {
            entries.Remove(path);
            return;
        }
        if (!entries.TryGetValue(path, out var entry))
            entries[path] = new Entry(stamp.Value, time.GetTimestamp(), Closed: false);
        else if (entry.Stamp != stamp.Value)
            entries[path] = entry with { Stamp = stamp.Value, Since = time.GetTimestamp() };
    }

    /// <summary>The kernel's word on the file: closed after writing (true) or written to (false).</summary>
    public void SetClosed(string path, bool closed)
    {
        if (entries.TryGetValue(path, out var entry) && entry.Closed != closed)
            entries[path] = entry with { Closed = closed, Since = closed ? entry.Since : time.GetTimestamp() };
    }

    /// <summary>True when the last observed stamp has been the same for the stable age that applies to the file.</summary>
    public bool IsStable(string path) =>
        entries.TryGetValue(path, out var entry) && time.GetElapsedTime(entry.Since) >= (entry.Closed ? stableAge : unwatchedStableAge);

    public void Forget(string path) => entries.Remove(path);

    private readonly record struct Entry(FileStamp Stamp, long Since, bool Closed);
}
