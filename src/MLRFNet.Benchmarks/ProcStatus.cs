using System.Globalization;

namespace MLRFNet.Benchmarks;

/// <summary>
/// Memory of a Linux process from <c>/proc/&lt;pid&gt;/status</c> (proc(5)): <c>VmRSS</c>, the resident set now, and
/// <c>VmHWM</c>, its high-water mark (the peak resident set since the process started), both in kB.
/// </summary>
public sealed record ProcStatus(long VmRssKb, long VmHwmKb)
{
    public double VmRssMb => VmRssKb / 1024.0;
    public double VmHwmMb => VmHwmKb / 1024.0;

    /// <summary>The status of <paramref name="pid"/>, or null when the process is gone or /proc is absent.</summary>
    public static ProcStatus? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/status"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Parses the text of a status file (lines such as <c>VmHWM:\t  123456 kB</c>).</summary>
    public static ProcStatus Parse(string status)
    {
        long? rss = null, hwm = null;
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kilobytes(line);
        }
        return new ProcStatus(rss ?? throw new FormatException("No VmRSS line in the process status."),
            hwm ?? throw new FormatException("No VmHWM line in the process status."));
    }

    private static long Kilobytes(string line)
    {
        var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[2] != "kB" || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            throw new FormatException($"Unexpected status line '{line.Trim()}' (expected 'Name: <number> kB').");
        return kb;
    }
}
