namespace MLRFNet.Edge.Intake;

/// <summary>
/// Decides when a file has stopped growing: its size and modification time must be unchanged for the stable age,
/// measured on the service's own clock (<see cref="TimeProvider"/>), never by comparing the file's mtime with "now"
/// (a share's or camera's clock may be off by hours).
/// </summary>
internal sealed class StabilityTracker(TimeProvider time, TimeSpan stableAge)
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
        if (!entries.TryGetValue(path, out var entry) || entry.Stamp != stamp.Value)
            entries[path] = new Entry(stamp.Value, time.GetTimestamp());
    }

    /// <summary>True when the last observed stamp has been the same for at least the stable age.</summary>
    public bool IsStable(string path) =>
        entries.TryGetValue(path, out var entry) && time.GetElapsedTime(entry.Since) >= stableAge;

    public void Forget(string path) => entries.Remove(path);

    private readonly record struct Entry(FileStamp Stamp, long Since);
}
