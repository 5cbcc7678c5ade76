using System.Runtime.InteropServices;

namespace MLRFNet.Edge.Storage;

/// <summary>
/// The libc calls .NET does not offer (or offers only with races): renameat2(RENAME_NOREPLACE), link/unlink,
/// statx without following links, open with O_NOFOLLOW|O_NONBLOCK, flock, readdir with the name's raw bytes, and
/// inotify. Source-generated <c>[LibraryImport]</c>, so Native AOT compiles them without reflection. Paths are NUL-
/// terminated byte arrays from <see cref="RawNames.ToBytes"/>. statx is used instead of stat/fstat because its
/// struct has one layout on every architecture (x64 and the Jetson's arm64 differ for struct stat).
/// </summary>
internal static unsafe partial class Posix
{
    public const int AT_FDCWD = -100;
    public const uint RENAME_NOREPLACE = 1;
    public const int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200, O_APPEND = 0x400;
    public const int O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    public const int AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    public const int LOCK_EX = 2, LOCK_NB = 4;
    public const int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, EAGAIN = 11, EACCES = 13, EEXIST = 17, EXDEV = 18;
    public const int EINVAL = 22, ENOSPC = 28, EROFS = 30, EMLINK = 31, ENAMETOOLONG = 36, ENOSYS = 38, ELOOP = 40, EOPNOTSUPP = 95;

    // O_NOFOLLOW and O_DIRECTORY differ between x64 and arm64 (asm-generic).
    public static int O_NOFOLLOW => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    // S_IFMT values of the mode word.
    public const int S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFLNK = 0xA000, S_IFREG = 0x8000, S_IFBLK = 0x6000;
    public const int S_IFDIR = 0x4000, S_IFCHR = 0x2000, S_IFIFO = 0x1000;

    /// <summary>statx(2) for a path (not following a final link) or, with a null path, for an open descriptor.</summary>
    public static int Statx(int dirFd, byte[]? path, int flags, out StatxInfo info)
    {
        var buffer = stackalloc byte[256];
        int rc;
        fixed (byte* p = path ?? [0]) rc = StatxNative(dirFd, p, flags, 0x7FF /* STATX_BASIC_STATS */, buffer);
        info = rc == 0
            ? new StatxInfo(*(ushort*)(buffer + 28), *(long*)(buffer + 40), *(long*)(buffer + 112), *(uint*)(buffer + 120),
                *(long*)(buffer + 32), *(uint*)(buffer + 20))
            : default;
        return rc;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int StatxNative(int dirFd, byte* path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte[] path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    public static partial int Renameat2(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true)]
    public static partial int Rename(byte[] oldPath, byte[] newPath);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true)]
    public static partial int Link(byte[] oldPath, byte[] newPath);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true)]
    public static partial int Unlink(byte[] path);

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true)]
    public static partial nint OpenDir(byte[] path);

    [LibraryImport("libc", EntryPoint = "readdir", SetLastError = true)]
    public static partial nint ReadDir(nint dir);

    [LibraryImport("libc", EntryPoint = "closedir")]
    public static partial int CloseDir(nint dir);

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    public static partial int InotifyInit1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true)]
    public static partial int InotifyAddWatch(int fd, byte[] path, uint mask);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>The message of an errno, e.g. "Permission denied".</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}

/// <summary>What statx reported: type and permission bits, size, modification time, owner.</summary>
internal readonly record struct StatxInfo(ushort Mode, long Size, long MtimeSeconds, uint MtimeNanoseconds, long Inode, uint Uid)
{
    public int Type => Mode & Posix.S_IFMT;
    public DateTime LastWriteUtc => DateTime.UnixEpoch.AddTicks(MtimeSeconds * TimeSpan.TicksPerSecond + MtimeNanoseconds / 100);
}
