using MLRFNet.Edge.Storage;
using Microsoft.Win32.SafeHandles;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>
/// The real file-system calls with faults injected at the seam: a rename, a write or an fsync can be delayed, made to
/// fail (ENOSPC, EIO) or preceded by a hook (another writer taking a name at the worst moment). Thread-safe.
/// </summary>
internal sealed class FaultyFileSystemOps : FileSystemOps
{
    /// <summary>Sleeps before every rename (how the issue made the duplicate race visible: 2 ms).</summary>
    public TimeSpan RenameDelay { get; set; }

    /// <summary>Called with (source, target) just before a no-replace rename.</summary>
    public Action<string, string>? BeforeRename { get; set; }

    /// <summary>Returns an exception to throw instead of a write (new file or append) of the given final path, or null.</summary>
    public Func<string, Exception?>? FailWrite { get; set; }

    /// <summary>Returns an exception to throw instead of a rename to the given target, or null.</summary>
    public Func<string, Exception?>? FailRename { get; set; }

    /// <summary>renameat2 answers with this errno (EINVAL: a file system without RENAME_NOREPLACE) when set.</summary>
    public int? RenameAt2Errno { get; set; }

    public int Renames;
    public int Writes;

    public static IOException DiskFull(string path) => Error(Posix.ENOSPC, "write", path, null);

    public override bool TryRenameNoReplace(string source, string target)
    {
        Interlocked.Increment(ref Renames);
        if (RenameDelay > TimeSpan.Zero) Thread.Sleep(RenameDelay);
        BeforeRename?.Invoke(source, target);
        if (FailRename?.Invoke(target) is { } e) throw e;
        return base.TryRenameNoReplace(source, target);
    }

    public override void RenameReplace(string source, string target)
    {
        if (RenameDelay > TimeSpan.Zero) Thread.Sleep(RenameDelay);
        if (FailRename?.Invoke(target) is { } e) throw e;
        base.RenameReplace(source, target);
    }

    protected override int RenameNoReplaceCall(byte[] from, byte[] to) => RenameAt2Errno ?? base.RenameNoReplaceCall(from, to);

    public override void WriteNewFile(string path, ReadOnlySpan<byte> content)
    {
        Interlocked.Increment(ref Writes);
        if (FailWrite?.Invoke(path) is { } e)
        {
            // A real ENOSPC leaves the created (partial) file behind: so does this.
            base.WriteNewFile(path, content[..Math.Min(3, content.Length)]);
            throw e;
        }
        base.WriteNewFile(path, content);
    }

    public override void Append(string path, ReadOnlySpan<byte> content)
    {
        Interlocked.Increment(ref Writes);
        if (FailWrite?.Invoke(path) is { } e) throw e;
        base.Append(path, content);
    }

    public override void Fsync(SafeFileHandle handle, string path) => base.Fsync(handle, path);
}
