namespace MLRFNet.Edge.Intake;

/// <summary>Size and modification time of a file, the two things that must stop changing before it is taken.</summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc);

/// <summary>The file-system calls the intake makes, behind a seam so stability rules are tested without real files.</summary>
internal interface IIntakeFileSystem
{
    /// <summary>Files directly in <paramref name="folder"/> (not sub-folders).</summary>
    IEnumerable<string> EnumerateFiles(string folder);

    /// <summary>The file's stamp, or null when it is gone or not a regular file.</summary>
    FileStamp? TryStat(string path);

    /// <summary>
    /// True when the file can be opened for reading with FileShare.None. On Linux .NET takes an advisory flock
    /// for that, so a .NET or Samba writer still holding the file makes this false; writers that take no lock are
    /// covered by the stable-age rule instead.
    /// </summary>
    bool CanOpenExclusively(string path);

    /// <summary>Moves a file into <paramref name="folder"/> without overwriting (suffixes on collision); returns the new path.</summary>
    string MoveNoOverwrite(string source, string folder, string fileName);
}

/// <summary>Free space of the disk holding a folder, behind a seam so the watermark is tested without filling a disk.</summary>
internal interface IDiskSpace
{
    /// <summary>Bytes available to this user on the file system of <paramref name="folder"/>, or null when unknown.</summary>
    long? AvailableBytes(string folder);
}

internal sealed class PhysicalIntakeFileSystem : IIntakeFileSystem
{
    public IEnumerable<string> EnumerateFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", new EnumerationOptions
        {
            RecurseSubdirectories = false, AttributesToSkip = FileAttributes.None, IgnoreInaccessible = true,
        });

    public FileStamp? TryStat(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || (info.Attributes & FileAttributes.Directory) != 0) return null;
        return new FileStamp(info.Length, info.LastWriteTimeUtc);
    }

    public bool CanOpenExclusively(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return true;
        }
        catch (IOException) { return false; }            // still held by a writer, or vanished
        catch (UnauthorizedAccessException) { return false; } // not readable yet (permissions set after copy)
    }

    public string MoveNoOverwrite(string source, string folder, string fileName) =>
        Storage.DurableFile.MoveNoOverwrite(source, folder, fileName);
}

internal sealed class PhysicalDiskSpace : IDiskSpace
{
    public long? AvailableBytes(string folder)
    {
        try { return new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return null; }
    }
}
