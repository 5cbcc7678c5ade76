using System.Diagnostics;

namespace MLRFNet.Cli.Tests.Support;

/// <summary>
/// Runs the built <c>mlrfnet</c> as a child process, exactly as QA scripts call it: real argument parsing, real
/// exit codes, real stdout/stderr.
/// </summary>
internal static class CliProcess
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "mlrfnet.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(30))) // a hang guard: a loaded CI machine can be 10x slower
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("mlrfnet " + string.Join(' ', args) + " did not finish in 30 minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlrfnet-cli-" + Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
