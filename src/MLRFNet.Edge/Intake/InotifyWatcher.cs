using System.Runtime.InteropServices;
using MLRFNet.Edge.Storage;

namespace MLRFNet.Edge.Intake;

/// <summary>What the kernel said happened to a name in the intake.</summary>
internal enum IntakeEvent
{
    /// <summary>Created or written to: a writer has it open; not to be taken on the short stable age.</summary>
    Writing,

    /// <summary>A writer closed it (IN_CLOSE_WRITE) or it was renamed into the intake complete (IN_MOVED_TO).</summary>
    Closed,

    /// <summary>Its permissions or owner changed (IN_ATTRIB): an unreadable file may have become readable.</summary>
    Attributes,
}

/// <summary>
/// A hand-written inotify(7) reader for one folder. Hand-written because .NET's FileSystemWatcher on Linux does not
/// expose IN_CLOSE_WRITE (it maps events to Created/Changed/Renamed/Deleted and "Changed" fires on every write),
/// and close-write is the one signal that a writer is done with a file. It also keeps names that are not UTF-8
/// exact (<see cref="RawNames"/>), which FileSystemWatcher replaces with U+FFFD. One background thread polls the
/// inotify descriptor (half-second timeout, so disposal is prompt) and reports each event by callback; an event
/// queue overflow (IN_Q_OVERFLOW) asks for a full rescan.
/// </summary>
internal sealed unsafe class InotifyWatcher : IDisposable
{
    private const uint IN_MODIFY = 0x2, IN_ATTRIB = 0x4, IN_CLOSE_WRITE = 0x8, IN_MOVED_TO = 0x80, IN_CREATE = 0x100;
    private const uint IN_Q_OVERFLOW = 0x4000, IN_ISDIR = 0x40000000;
    private const int IN_NONBLOCK = 0x800, IN_CLOEXEC = 0x80000;
    private const short POLLIN = 1;

    private readonly int fd;
    private readonly string folder;
    private readonly Action<string, IntakeEvent> onEvent;
    private readonly Action onOverflow;
    private readonly Thread thread;
    private volatile bool stopping;

    private InotifyWatcher(int fd, string folder, Action<string, IntakeEvent> onEvent, Action onOverflow)
    {
        this.fd = fd;
        this.folder = folder;
        this.onEvent = onEvent;
        this.onOverflow = onOverflow;
        thread = new Thread(Loop) { IsBackground = true, Name = "inotify " + folder };
        thread.Start();
    }

    /// <summary>Starts watching; throws IOException (with the reason) when inotify is not available.</summary>
    public static InotifyWatcher Start(string folder, Action<string, IntakeEvent> onEvent, Action onOverflow)
    {
        var fd = Posix.InotifyInit1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) throw FileSystemOps.Error(Marshal.GetLastPInvokeError(), "inotify_init1", folder, null);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (Posix.InotifyAddWatch(fd, RawNames.ToBytes(full), IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = Posix.Close(fd);
            throw FileSystemOps.Error(errno, "inotify_add_watch", full, null);
        }
        return new InotifyWatcher(fd, full, onEvent, onOverflow);
    }

    private void Loop()
    {
        var buffer = new byte[64 * 1024];
        fixed (byte* start = buffer)
        {
            while (!stopping)
            {
                var poll = new Posix.PollFd { Fd = fd, Events = POLLIN };
                if (Posix.Poll(&poll, 1, 500) <= 0 || stopping) continue;
                var length = (long)Posix.Read(fd, start, buffer.Length);
                if (length <= 0) continue;
                for (long offset = 0; offset + 16 <= length;)
                {
                    // struct inotify_event: int wd; uint32 mask; uint32 cookie; uint32 len; char name[len].
                    var mask = *(uint*)(start + offset + 4);
                    var nameLength = *(uint*)(start + offset + 12);
                    var name = nameLength == 0 ? "" : RawNames.FromBytes(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(start + offset + 16));
                    offset += 16 + nameLength;
                    if ((mask & IN_Q_OVERFLOW) != 0) { onOverflow(); continue; }
                    if (name.Length == 0 || (mask & IN_ISDIR) != 0) continue;
                    var kind = (mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) != 0 ? IntakeEvent.Closed
                        : (mask & (IN_CREATE | IN_MODIFY)) != 0 ? IntakeEvent.Writing
                        : IntakeEvent.Attributes;
                    onEvent(Path.Combine(folder, name), kind);
                }
            }
        }
    }

    public void Dispose()
    {
        stopping = true;
        thread.Join(TimeSpan.FromSeconds(2));
        _ = Posix.Close(fd);
    }
}
