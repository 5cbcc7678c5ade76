using System.Diagnostics;

namespace MLRFNet.Benchmarks;

/// <summary>
/// A running edge service with its log captured line by line, each line stamped with the milliseconds since the
/// process was started (so "ready" and "report written" times come from the service's own log).
/// </summary>
public sealed class EdgeProcess : IDisposable
{
    private readonly Process process;
    private readonly Stopwatch clock;
    private readonly List<(double Ms, string Line)> lines = [];
    private readonly Lock gate = new();

    private EdgeProcess(Process process, Stopwatch clock)
    {
        this.process = process;
        this.clock = clock;
    }

    public int ProcessId => process.Id;

    /// <summary>Milliseconds since the process was started.</summary>
    public double NowMs => clock.Elapsed.TotalMilliseconds;

    public bool HasExited => process.HasExited;

    public static EdgeProcess Start(EdgeLauncher launcher, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(launcher.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in launcher.PrefixArguments.Concat(arguments)) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        var clock = new Stopwatch();
        var edge = new EdgeProcess(process, clock);
        process.OutputDataReceived += (_, e) => edge.Add(e.Data);
        process.ErrorDataReceived += (_, e) => edge.Add(e.Data);
        clock.Start();
        if (!process.Start()) throw new IOException($"Could not start {launcher.FileName}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return edge;
    }

    private void Add(string? line)
    {
        if (line is null) return;
        var ms = clock.Elapsed.TotalMilliseconds;
        lock (gate) lines.Add((ms, line));
    }

    /// <summary>Times (ms since start) of the log lines containing <paramref name="text"/>.</summary>
    public IReadOnlyList<double> TimesOf(string text)
    {
        lock (gate) return lines.Where(l => l.Line.Contains(text, StringComparison.Ordinal)).Select(l => l.Ms).ToArray();
    }

    /// <summary>The log lines containing <paramref name="text"/>, in order.</summary>
    public IReadOnlyList<string> LinesWith(string text)
    {
        lock (gate) return lines.Where(l => l.Line.Contains(text, StringComparison.Ordinal)).Select(l => l.Line).ToArray();
    }

    /// <summary>
    /// Waits until <paramref name="count"/> lines contain <paramref name="text"/>, calling <paramref name="whileWaiting"/>
    /// every few milliseconds; returns their times. Throws when the service exits or the timeout passes first.
    /// </summary>
    public IReadOnlyList<double> WaitFor(string text, int count, TimeSpan timeout, Action? whileWaiting = null)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var times = TimesOf(text);
            if (times.Count >= count) return times;
            if (process.HasExited)
                throw new InvalidOperationException($"The service exited (code {process.ExitCode}) after {times.Count} of {count} '{text.Trim()}' lines.\n{Tail(30)}");
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"Only {times.Count} of {count} '{text.Trim()}' lines within {timeout.TotalSeconds:F0} s.\n{Tail(30)}");
            whileWaiting?.Invoke();
            Thread.Sleep(10);
        }
    }

    /// <summary>The last <paramref name="count"/> log lines, for error messages.</summary>
    public string Tail(int count)
    {
        lock (gate) return string.Join('\n', lines.TakeLast(count).Select(l => "    " + l.Line));
    }

    /// <summary>Sends SIGTERM (the service's orderly stop, as systemd does) and waits; kills it after <paramref name="timeout"/>.</summary>
    public int Stop(TimeSpan timeout)
    {
        if (!process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
                kill?.WaitForExit();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException($"The service did not stop within {timeout.TotalSeconds:F0} s of SIGTERM and was killed.\n{Tail(20)}");
            }
        }
        process.WaitForExit(); // drains the redirected output
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        process.Dispose();
    }
}
