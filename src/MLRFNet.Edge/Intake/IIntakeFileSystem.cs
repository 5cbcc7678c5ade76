using MLRFNet.Edge.Storage;

namespace MLRFNet.Edge.Intake;

/// <summary>Size and modification time of a file, the two things that must stop changing before it is taken.</summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc);

/// <summary>Whether a file in the intake can be taken now.</summary>
internal enum OpenProbe
{
    /// <summary>A regular file, readable, no writer holds a lock on it.</summary>
    Ok,

    /// <summary>A writer holds an advisory lock (Samba, .NET writers): try again later.</summary>
    Locked,

    /// <summary>The service user may not read it: waits, reported with the fix.</summary>
    PermissionDenied,

    /// <summary>Gone, or no longer a regular file (replaced meanwhile): looked at again on the next step.</summary>
    Gone,
}

/// <summary>The file-system calls the intake makes, behind a seam so stability rules are tested without real files.</summary>
internal interface IIntakeFileSystem
{
    /// <summary>Entries directly in <paramref name="folder"/> that are not folders, with raw name bytes kept (<see cref="RawNames"/>).</summary>
    IEnumerable<string> EnumerateFiles(string folder);

    /// <summary>What the entry itself is (lstat: a link is a link), with its size and modification time.</summary>
    EntryInfo Inspect(string path);

    /// <summary>
    /// Opens the file as the scorer will (regular files only, links not followed, never blocking on a FIFO) and tries
    /// an advisory lock: on Linux .NET and Samba writers still holding the file make this <see cref="OpenProbe.Locked"/>;
    /// writers that take no lock are covered by the stable-age rules instead.
    /// </summary>
    OpenProbe ProbeOpen(string path, out string? reason);

    /// <summary>Moves a file into <paramref name="folder"/> without overwriting (suffixes on collision); returns the new path.</summary>
    string MoveNoOverwrite(string source, string folder, string fileName);
}

/// <summary>Free space of the disk holding a folder, behind a seam so the watermark is tested without filling a disk.</summary>
internal interface IDiskSpace
{
    /// <summary>Bytes available to this user on the file system of <paramref name="folder"/>, or null when unknown.</summary>
    long? AvailableBytes(string folder);
}

internal sealed class PhysicalIntakeFileSystem(DurableFile durable) : IIntakeFileSystem
{
    private FileSystemOps Ops => durable.Ops;

    public IEnumerable<string> EnumerateFiles(string folder) =>
        Ops.ListNames(folder).Select(n => Path.Combine(folder, n)).Where(p => Ops.Inspect(p).Kind is not (EntryKind.Directory or EntryKind.Missing));

    public EntryInfo Inspect(string path) => Ops.Inspect(path);

    public OpenProbe ProbeOpen(string path, out string? reason)
    {
        reason = null;
        try
        {
            using var handle = Ops.OpenRegular(path, out _);
            return Ops.TryLock(handle) ? OpenProbe.Ok : OpenProbe.Locked;
        }
        catch (FileOpenException e) when (e.PermissionDenied)
        {
            reason = e.Message;
            return OpenProbe.PermissionDenied;
        }
        catch (IOException) { return OpenProbe.Gone; }
    }

    public string MoveNoOverwrite(string source, string folder, string fileName) => durable.MoveNoOverwrite(source, folder, fileName);
}

internal sealed class PhysicalDiskSpace : IDiskSpace
{
    public long? AvailableBytes(string folder)
    {
        try { return new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return null; }
    }
}
