using System.Net.Sockets;
using System.Text;

namespace MLRFNet.Edge.Health;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram per message to the unix socket in <c>$NOTIFY_SOCKET</c> (a path,
/// or an abstract name when it starts with '@'). See https://www.freedesktop.org/software/systemd/man/sd_notify.html.
/// Inactive when the variable is unset (not run by systemd, or no Type=notify).
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? socket;
    private readonly UnixDomainSocketEndPoint? endPoint;

    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket)) return;
        // An abstract socket is written '@name' in the variable and addressed with a leading NUL byte.
        var address = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        endPoint = new UnixDomainSocketEndPoint(address);
        socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>The keep-alive interval systemd asks for: half of <c>$WATCHDOG_USEC</c> (sd_watchdog_enabled(3)), or null.</summary>
    public static TimeSpan? WatchdogInterval(string? watchdogUsec, string? watchdogPid)
    {
        if (!long.TryParse(watchdogUsec, out var usec) || usec <= 0) return null;
        // WATCHDOG_PID, when set, names the process the watchdog is meant for.
        if (int.TryParse(watchdogPid, out var pid) && pid != Environment.ProcessId) return null;
        return TimeSpan.FromMicroseconds(usec / 2.0);
    }

    public bool IsActive => socket is not null;

    /// <summary>Sends newline-separated assignments such as <c>READY=1</c>; false when inactive or the send failed.</summary>
    public bool Notify(string state)
    {
        if (socket is null || endPoint is null) return false;
        try
        {
            socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, endPoint);
            return true;
        }
        catch (SocketException)
        {
            // systemd went away (shutdown) or the socket is not there: nothing to tell.
            return false;
        }
    }

    public void Dispose() => socket?.Dispose();
}
