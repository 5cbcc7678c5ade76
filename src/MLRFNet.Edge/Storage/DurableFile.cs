using System.Text.RegularExpressions;

namespace MLRFNet.Edge.Storage;

/// <summary>
/// Writes that survive a power cut and moves that never overwrite. A record is written to a hidden temporary name in
/// its destination folder, flushed to disk, then renamed; the folder itself is fsynced so the rename is durable
/// (rename(2) is atomic, but only the folder's fsync makes the new entry survive a crash; see fsync(2), "Calling
/// fsync() does not necessarily ensure that the entry in the directory containing the file has also reached disk").
/// Every call goes through <see cref="FileSystemOps"/>, the seam where tests delay or fail them.
/// </summary>
internal sealed partial class DurableFile(FileSystemOps ops)
{
    /// <summary>Temporary files: hidden, fixed prefix, short (fits NAME_MAX whatever the final name), removed at start.</summary>
    public const string TempPrefix = ".mlrfnet-";

    public FileSystemOps Ops => ops;

    /// <summary>Writes <paramref name="content"/> to a fresh name derived from <paramref name="fileName"/>; returns the path used.</summary>
    public string WriteNew(string folder, string fileName, ReadOnlySpan<byte> content, int maxNameBytes = RawNames.NameMax)
    {
        var temp = WriteTemp(folder, content);
        try
        {
            return MoveNoOverwrite(temp, folder, fileName, maxNameBytes);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> under exactly <paramref name="fileName"/>; false (and nothing written) when
    /// that name is taken. The commit point of a record: the name appears complete or not at all.
    /// </summary>
    public bool TryWriteExactly(string folder, string fileName, ReadOnlySpan<byte> content)
    {
        var temp = WriteTemp(folder, content);
        try
        {
            if (!ops.TryRenameNoReplace(temp, Path.Combine(folder, fileName)))
            {
                DeleteQuietly(temp);
                return false;
            }
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
        ops.SyncFolder(folder);
        return true;
    }

    /// <summary>Replaces <paramref name="path"/> atomically (for state such as the health file, not for records).</summary>
    public void WriteReplace(string path, ReadOnlySpan<byte> content)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = WriteTemp(folder, content);
        try
        {
            ops.RenameReplace(temp, path);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
        ops.SyncFolder(folder);
    }

    /// <summary>
    /// Moves <paramref name="source"/> into <paramref name="folder"/> under <paramref name="fileName"/> or, when
    /// taken, the first free suffixed name (<c>a.png</c>, <c>a-1.png</c>, ...), each at most
    /// <paramref name="maxNameBytes"/> long. The move itself refuses an existing name (renameat2 RENAME_NOREPLACE),
    /// so no check-then-rename window exists. Returns the new path.
    /// </summary>
    public string MoveNoOverwrite(string source, string folder, string fileName, int maxNameBytes = RawNames.NameMax)
    {
        for (var attempt = 0; attempt < 100_000; attempt++)
        {
            var target = Path.Combine(folder, UniqueNames.WithSuffix(fileName, attempt, maxNameBytes));
            if (ops.TryRenameNoReplace(source, target))
            {
                ops.SyncFolder(folder);
                return target;
            }
        }
        throw new IOException($"No free name for '{RawNames.Display(fileName)}' in '{folder}' after 100000 attempts.");
    }

    /// <summary>Appends one line and flushes it to disk (the CSV ledger).</summary>
    public void AppendLine(string path, string line)
    {
        // A crash mid-append leaves a last line without its newline; start on a fresh line so that partial line
        // stays one unparseable record instead of corrupting the next one.
        var needsNewline = false;
        if (File.Exists(path))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                needsNewline = stream.ReadByte() != '\n';
            }
        }
        ops.Append(path, System.Text.Encoding.UTF8.GetBytes((needsNewline ? "\n" : "") + line + "\n"));
    }

    /// <summary>
    /// Removes temporary files a crash left in <paramref name="folder"/> (ours, and the older
    /// <c>.&lt;name&gt;.&lt;pid&gt;.&lt;guid&gt;.tmp</c> form); returns how many. Nothing else is touched.
    /// </summary>
    public int RemoveLeftoverTemps(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        var removed = 0;
        foreach (var name in ops.ListNames(folder))
        {
            if (!IsTemp(name) || ops.Inspect(Path.Combine(folder, name)).Kind != EntryKind.Regular) continue;
            if (ops.Delete(Path.Combine(folder, name))) removed++;
        }
        return removed;
    }

    public static bool IsTemp(string name) =>
        (name.StartsWith(TempPrefix, StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal)) || LegacyTemp().IsMatch(name);

    [GeneratedRegex(@"^\..+\.[0-9]+\.[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex LegacyTemp();

    private string WriteTemp(string folder, ReadOnlySpan<byte> content)
    {
        // Hidden (dot) name in the same folder: same file system, so the rename is atomic, and the intake and
        // readers skip dotfiles. A crash leaves at most this orphan, removed at the next start.
        // A failed write (a full disk) deletes its temp file: on a full disk every retry would otherwise leave one
        // more orphan and keep the disk full.
        var temp = Path.Combine(folder, $"{TempPrefix}{Guid.NewGuid():N}.tmp");
        try
        {
            ops.WriteNewFile(temp, content);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
        return temp;
    }

    private void DeleteQuietly(string temp)
    {
        try { ops.Delete(temp); }
        catch (IOException) { } // Best effort: the caller reports the original error; the orphan goes at the next start.
    }
}
