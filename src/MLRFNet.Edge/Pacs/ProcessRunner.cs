using System.Diagnostics;

namespace MLRFNet.Edge.Pacs;

/// <summary>The exit code and output of an external program.</summary>
internal sealed record ProcessResult(int ExitCode, string Output);

/// <summary>Runs an external program (dcmtk's dcmsend); a seam so the sender is tested without a network.</summary>
internal interface IProcessRunner
{
    /// <summary>Runs <paramref name="file"/>; exit code -1 when it could not be started or ran past <paramref name="timeout"/> (then killed).</summary>
    Task<ProcessResult> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken);
}

internal sealed class ProcessRunner : IProcessRunner
{
    public async Task<ProcessResult> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new ProcessResult(-1, $"{file} could not be started: {e.Message}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return new ProcessResult(-1, $"{Path.GetFileName(file)} ran past {timeout.TotalSeconds:0} s and was stopped");
            }
            return new ProcessResult(process.ExitCode, (await stdout) + (await stderr));
        }
    }
}
