using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MLRFNet.Edge.Storage;

/// <summary>What a directory entry is, seen without following a link (lstat).</summary>
internal enum EntryKind { Missing, Regular, Directory, Symlink, Fifo, Socket, Device }

/// <summary>An entry as lstat sees it.</summary>
internal readonly record struct EntryInfo(EntryKind Kind, long Size, DateTime LastWriteUtc);

/// <summary>An open that was refused, with the errno and a reason a person can act on.</summary>
internal sealed class FileOpenException(int errno, string message) : IOException(message)
{
    public int Errno { get; } = errno;
    public bool PermissionDenied => Errno is Posix.EACCES or Posix.EPERM;
}

/// <summary>
/// Every file-system call whose timing or failure matters for "never lose an X-ray": the seam the tests use to
/// delay or fail a rename, a write or an fsync (a subclass overrides the call). Paths may hold raw name bytes
/// (<see cref="RawNames"/>); they go to the kernel unchanged.
/// </summary>
internal class FileSystemOps
{
    public static readonly FileSystemOps Real = new();

    private int noReplaceUnsupported; // 1 once renameat2 said EINVAL/ENOSYS: use link+unlink from then on

    /// <summary>
    /// Renames <paramref name="source"/> to <paramref name="target"/> unless the target exists (then false and
    /// nothing changed). Never replaces: renameat2(RENAME_NOREPLACE); where the file system does not support it
    /// (EINVAL, ENOSYS, EOPNOTSUPP: some FUSE and network file systems) link(2) then unlink(2), which refuses an
    /// existing target the same way.
    /// </summary>
    public virtual bool TryRenameNoReplace(string source, string target)
    {
        var from = RawNames.ToBytes(source);
        var to = RawNames.ToBytes(target);
        if (Volatile.Read(ref noReplaceUnsupported) == 0)
        {
            var errno = RenameNoReplaceCall(from, to);
            if (errno == 0) return true;
            if (errno == Posix.EEXIST) return false;
            if (errno is not (Posix.EINVAL or Posix.ENOSYS or Posix.EOPNOTSUPP)) throw Error(errno, "rename", source, target);
            Volatile.Write(ref noReplaceUnsupported, 1);
        }
        if (Posix.Link(from, to) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Posix.EEXIST) return false;
            throw Error(errno, "link", source, target);
        }
        if (Posix.Unlink(from) != 0) throw Error(Marshal.GetLastPInvokeError(), "unlink", source, null);
        return true;
    }

    /// <summary>renameat2(RENAME_NOREPLACE); returns 0 or the errno.</summary>
    protected virtual int RenameNoReplaceCall(byte[] from, byte[] to) =>
        Posix.Renameat2(Posix.AT_FDCWD, from, Posix.AT_FDCWD, to, Posix.RENAME_NOREPLACE) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>rename(2): replaces the target (state files only, such as the health file).</summary>
    public virtual void RenameReplace(string source, string target)
    {
        if (Posix.Rename(RawNames.ToBytes(source), RawNames.ToBytes(target)) != 0)
            throw Error(Marshal.GetLastPInvokeError(), "rename", source, target);
    }

    /// <summary>Creates <paramref name="path"/> (which must not exist), writes all of it and fsyncs it.</summary>
    public virtual void WriteNewFile(string path, ReadOnlySpan<byte> content)
    {
        using var handle = OpenHandle(path, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_CLOEXEC, "create");
        RandomAccess.Write(handle, content, 0);
        Fsync(handle, path);
    }

    /// <summary>Appends bytes at the end of <paramref name="path"/> (created when missing) and fsyncs.</summary>
    public virtual void Append(string path, ReadOnlySpan<byte> content)
    {
        // O_APPEND: the kernel puts the bytes at the end whatever the offset given.
        using var handle = OpenHandle(path, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_APPEND | Posix.O_CLOEXEC, "open");
        RandomAccess.Write(handle, content, RandomAccess.GetLength(handle));
        Fsync(handle, path);
    }

    /// <summary>fsync(2) of an open file.</summary>
    public virtual void Fsync(SafeFileHandle handle, string path)
    {
        if (Posix.Fsync((int)handle.DangerousGetHandle()) != 0) throw Error(Marshal.GetLastPInvokeError(), "fsync", path, null);
    }

    /// <summary>fsync(2) of a folder, so a rename into it survives a power cut; best effort.</summary>
    public virtual void SyncFolder(string folder)
    {
        var fd = Posix.Open(RawNames.ToBytes(folder), Posix.O_RDONLY | Posix.O_CLOEXEC, 0);
        if (fd < 0) return;
        try { _ = Posix.Fsync(fd); }
        finally { _ = Posix.Close(fd); }
    }

    /// <summary>Removes a name; false when it was not there.</summary>
    public virtual bool Delete(string path)
    {
        if (Posix.Unlink(RawNames.ToBytes(path)) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == Posix.ENOENT) return false;
        throw Error(errno, "unlink", path, null);
    }

    /// <summary>lstat: what the entry itself is (a link is reported as a link, never followed).</summary>
    public virtual EntryInfo Inspect(string path)
    {
        if (Posix.Statx(Posix.AT_FDCWD, RawNames.ToBytes(path), Posix.AT_SYMLINK_NOFOLLOW, out var info) != 0)
            return new EntryInfo(EntryKind.Missing, 0, default);
        return new EntryInfo(KindOf(info.Type), info.Size, info.LastWriteUtc);
    }

    /// <summary>
    /// Opens a regular file for reading and nothing else: O_NOFOLLOW (a link fails with ELOOP), O_NONBLOCK (a FIFO
    /// cannot block the open), then fstat on the handle: anything but a regular file is refused before a byte is read.
    /// </summary>
    public virtual SafeFileHandle OpenRegular(string path, out long size)
    {
        var handle = OpenHandle(path, Posix.O_RDONLY | Posix.O_NOFOLLOW | Posix.O_NONBLOCK | Posix.O_CLOEXEC, "open");
        if (Posix.Statx((int)handle.DangerousGetHandle(), null, Posix.AT_EMPTY_PATH, out var info) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw Error(errno, "fstat", path, null);
        }
        if (info.Type != Posix.S_IFREG)
        {
            handle.Dispose();
            throw new FileOpenException(Posix.EINVAL, $"'{RawNames.Display(path)}' is a {Describe(KindOf(info.Type))}, not a regular file; it is not read");
        }
        size = info.Size;
        return handle;
    }

    /// <summary>Reads a whole regular file of at most <paramref name="maxBytes"/> (links and pipes refused).</summary>
    public byte[] ReadAllBytes(string path, long maxBytes)
    {
        using var handle = OpenRegular(path, out var size);
        if (size > maxBytes) throw new IOException($"'{RawNames.Display(path)}' is {size} bytes, more than the {maxBytes} expected.");
        return ReadAll(handle, size);
    }

    /// <summary>Reads <paramref name="size"/> bytes from the start of an open file; a file that shrank meanwhile ends early.</summary>
    public static byte[] ReadAll(SafeFileHandle handle, long size)
    {
        var data = new byte[size];
        var read = 0;
        while (read < data.Length)
        {
            var n = RandomAccess.Read(handle, data.AsSpan(read), read);
            if (n == 0) break;
            read += n;
        }
        return read == data.Length ? data : data[..read];
    }

    /// <summary>True when an advisory lock could be taken (no writer holds one): Samba and .NET writers lock.</summary>
    public virtual bool TryLock(SafeFileHandle handle) =>
        Posix.Flock((int)handle.DangerousGetHandle(), Posix.LOCK_EX | Posix.LOCK_NB) == 0;

    /// <summary>Names in <paramref name="folder"/> with their raw bytes kept (not "." and "..").</summary>
    public virtual List<string> ListNames(string folder)
    {
        var dir = Posix.OpenDir(RawNames.ToBytes(folder));
        if (dir == 0) throw Error(Marshal.GetLastPInvokeError(), "opendir", folder, null);
        var names = new List<string>();
        try
        {
            while (true)
            {
                var entry = Posix.ReadDir(dir);
                if (entry == 0) break;
                // struct dirent (glibc, 64-bit): d_ino 8, d_off 8, d_reclen 2, d_type 1, then d_name.
                var name = ReadName(entry + 19);
                if (name is "." or "..") continue;
                names.Add(name);
            }
        }
        finally { _ = Posix.CloseDir(dir); }
        return names;
    }

    private static unsafe string ReadName(nint pointer) =>
        RawNames.FromBytes(MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)pointer));

    private static SafeFileHandle OpenHandle(string path, int flags, string what)
    {
        var fd = Posix.Open(RawNames.ToBytes(path), flags, 0b110_100_100 /* 0644 */);
        if (fd < 0) throw Error(Marshal.GetLastPInvokeError(), what, path, null);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public static EntryKind KindOf(int type) => type switch
    {
        Posix.S_IFREG => EntryKind.Regular,
        Posix.S_IFDIR => EntryKind.Directory,
        Posix.S_IFLNK => EntryKind.Symlink,
        Posix.S_IFIFO => EntryKind.Fifo,
        Posix.S_IFSOCK => EntryKind.Socket,
        _ => EntryKind.Device,
    };

    public static string Describe(EntryKind kind) => kind switch
    {
        EntryKind.Symlink => "symbolic link",
        EntryKind.Fifo => "named pipe (FIFO)",
        EntryKind.Socket => "socket",
        EntryKind.Device => "device file",
        EntryKind.Directory => "folder",
        _ => "regular file",
    };

    /// <summary>An IOException naming the call, the path(s) and the reason; permission errors carry the fix.</summary>
    public static FileOpenException Error(int errno, string call, string path, string? target)
    {
        var where = target is null ? $"'{RawNames.Display(path)}'" : $"'{RawNames.Display(path)}' -> '{RawNames.Display(target)}'";
        var reason = errno switch
        {
            Posix.EACCES or Posix.EPERM => "permission denied: give the service user read access (and write access to its folder)",
            Posix.ENOSPC => "no space left on the disk",
            Posix.ELOOP => "it is a symbolic link, which is never followed",
            Posix.ENAMETOOLONG => "the name is longer than the file system allows",
            _ => Posix.Describe(errno),
        };
        return new FileOpenException(errno, $"{call} {where} failed: {reason}");
    }
}
