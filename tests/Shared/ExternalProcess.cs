using System.Diagnostics;

namespace MLRFNet.Tests;

/// <summary>Runs a reference tool (Debian's /usr/bin/python3, a committed script) and returns its exit code and output.</summary>
internal static class ExternalProcess
{
    /// <summary>Exit code and stdout + stderr; (-1, "timed out") when it runs past <paramref name="timeoutMs"/> (then killed).</summary>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, int timeoutMs)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs)) { p.Kill(); return (-1, "timed out"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
