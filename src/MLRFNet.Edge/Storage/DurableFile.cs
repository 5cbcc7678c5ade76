using System.Runtime.InteropServices;

namespace MLRFNet.Edge.Storage;

/// <summary>
/// Writes that survive a power cut and moves that never overwrite. A record is written to a hidden temporary name in
/// its destination folder, flushed to disk, then renamed; the folder itself is fsynced so the rename is durable
/// (rename(2) is atomic, but only the folder's fsync makes the new entry survive a crash; see fsync(2), "Calling
/// fsync() does not necessarily ensure that the entry in the directory containing the file has also reached disk").
/// </summary>
internal static partial class DurableFile
{
    /// <summary>Writes <paramref name="content"/> to a fresh name derived from <paramref name="fileName"/>; returns the path used.</summary>
    public static string WriteNew(string folder, string fileName, ReadOnlySpan<byte> content)
    {
        var temp = WriteTemp(folder, fileName, content);
        try
        {
            return MoveNoOverwrite(temp, folder, fileName);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    /// <summary>Replaces <paramref name="path"/> atomically (for state such as the health file, not for records).</summary>
    public static void WriteReplace(string path, ReadOnlySpan<byte> content)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = WriteTemp(folder, Path.GetFileName(path), content);
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
        SyncFolder(folder);
    }

    /// <summary>
    /// Moves <paramref name="source"/> into <paramref name="folder"/> under <paramref name="fileName"/> or, when
    /// taken, the first free suffixed name (<c>a.png</c>, <c>a-1.png</c>, ...). Returns the new path.
    /// </summary>
    public static string MoveNoOverwrite(string source, string folder, string fileName)
    {
        // Collisions never overwrite: File.Move(overwrite: false) fails with IOException when the name is taken
        // (on Unix .NET uses link(2)+unlink(2), which refuses an existing target atomically), so try the next suffix.
        for (var attempt = 0; ; attempt++)
        {
            var target = Path.Combine(folder, UniqueNames.WithSuffix(fileName, attempt));
            if (File.Exists(target)) continue;
            try
            {
                File.Move(source, target, overwrite: false);
                SyncFolder(folder);
                return target;
            }
            catch (IOException) when (File.Exists(target) && attempt < 10_000) { }
        }
    }

    /// <summary>Appends one line and flushes it to disk (the CSV ledger).</summary>
    public static void AppendLine(string path, string line)
    {
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        // A crash mid-append leaves a last line without its newline; start on a fresh line so that partial line
        // stays one unparseable record instead of corrupting the next one.
        var needsNewline = false;
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            needsNewline = stream.ReadByte() != '\n';
        }
        stream.Seek(0, SeekOrigin.End);
        var bytes = System.Text.Encoding.UTF8.GetBytes((needsNewline ? "\n" : "") + line + "\n");
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static string WriteTemp(string folder, string fileName, ReadOnlySpan<byte> content)
    {
        // Hidden (dot) name in the same folder: same file system, so the rename is atomic, and the intake and
        // readers skip dotfiles. A crash leaves at most this orphan, which nothing reads.
        // A failed write (a full disk) or rename deletes its temp file: on a full disk every retry would otherwise
        // leave one more orphan and keep the disk full.
        var temp = Path.Combine(folder, $".{fileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        try
        {
            using (stream)
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
        return temp;
    }

    private static void DeleteQuietly(string temp)
    {
        try { File.Delete(temp); }
        catch (IOException) { } // Best effort: the caller reports the original error; the orphan is a hidden .tmp.
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>fsync(2) on the folder so a rename into it is on disk; best effort where the OS has no such call.</summary>
    public static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var fd = Open(folder, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try { _ = Fsync(fd); }
        finally { _ = Close(fd); }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
