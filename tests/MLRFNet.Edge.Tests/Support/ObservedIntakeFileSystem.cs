using System.Collections.Concurrent;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Storage;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>
/// The real intake file system, noting what the scanner asked it: a test waits for the scanner to have looked (the
/// event itself) instead of sleeping and hoping a loaded machine got round to it. With a fake clock for the host,
/// "the scanner saw the file, then the stable age passed" is then something the test makes happen.
/// </summary>
internal sealed class ObservedIntakeFileSystem(string intakeFolder) : IIntakeFileSystem
{
    private readonly PhysicalIntakeFileSystem real = new(new DurableFile(FileSystemOps.Real));
    private readonly ConcurrentDictionary<string, long> seenLength = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> foundLocked = new(StringComparer.Ordinal);
    private int rescans;

    /// <summary>Full rescans of the intake folder started (each is the start of one intake step).</summary>
    public int Rescans => Volatile.Read(ref rescans);

    /// <summary>The length the scanner last read for <paramref name="path"/>, or null if it has not looked at it.</summary>
    public long? SeenLength(string path) => seenLength.TryGetValue(path, out var n) ? n : null;

    /// <summary>How often the scanner found <paramref name="path"/> stable but still held open by a locking writer.</summary>
    public int FoundLocked(string path) => foundLocked.GetValueOrDefault(path);

    public IEnumerable<string> EnumerateFiles(string folder)
    {
        if (string.Equals(Path.GetFullPath(folder), Path.GetFullPath(intakeFolder), StringComparison.Ordinal)) Interlocked.Increment(ref rescans);
        return real.EnumerateFiles(folder);
    }

    public EntryInfo Inspect(string path)
    {
        var entry = real.Inspect(path);
        if (entry.Kind == EntryKind.Regular) seenLength[path] = entry.Size;
        return entry;
    }

    public OpenProbe ProbeOpen(string path, out string? reason)
    {
        var probe = real.ProbeOpen(path, out reason);
        if (probe == OpenProbe.Locked) foundLocked.AddOrUpdate(path, 1, (_, n) => n + 1);
        return probe;
    }

    public string MoveNoOverwrite(string source, string folder, string fileName) => real.MoveNoOverwrite(source, folder, fileName);
}
