using System.Collections.Concurrent;
using MLRFNet.Edge.Pacs;

namespace MLRFNet.Edge.Tests.Pacs;

/// <summary>
/// Stands in for dcmsend: each run takes the next scripted answer (the last one repeats) and, like dcmsend, writes
/// a transfer report with the given DIMSE status when it "reached" the PACS. Records the files it was asked to send.
/// </summary>
internal sealed class FakeDcmsend(params (int ExitCode, string? Status)[] script) : IProcessRunner
{
    private int next;
    public ConcurrentQueue<string> Sent { get; } = new();
    public int Runs => Volatile.Read(ref next);
    public SemaphoreSlim Ran { get; } = new(0);
    public Func<(int ExitCode, string? Status)>? Answer { get; set; }

    public async Task<ProcessResult> RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var i = Interlocked.Increment(ref next) - 1;
        var (exit, status) = Answer?.Invoke() ?? script[Math.Min(i, script.Length - 1)];
        var report = arguments[arguments.ToList().IndexOf("--create-report-file") + 1];
        if (status is not null)
        {
            await File.WriteAllTextAsync(report, $"Detailed Report on the Transfer of Instances\n\nNumber        : 1\nFilename      : {arguments[^1]}\n" +
                $"DIMSE Status  : 0x{status}\n", cancellationToken);
            if (status == "0000") Sent.Enqueue(Path.GetFileName(arguments[^1]));
        }
        Ran.Release();
        return new ProcessResult(exit, exit == 61 ? "F: cannot negotiate network association: TCP Initialization Error: Connection refused\n" : "");
    }
}
