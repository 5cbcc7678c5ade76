using MLRFNet.Benchmarks;

namespace MLRFNet.Benchmarks.Tests;

public sealed class ProcStatusTests
{
    // The layout of /proc/<pid>/status (proc(5)), trimmed; VmHWM and VmRSS differ so a swap shows.
    private const string Status = "Name:\tmlrfnet-edge\nUmask:\t0022\nState:\tS (sleeping)\nVmPeak:\t 2345678 kB\nVmSize:\t 2300000 kB\n" +
                                  "VmLck:\t       0 kB\nVmHWM:\t  287654 kB\nVmRSS:\t  201234 kB\nRssAnon:\t  150000 kB\nThreads:\t23\n";

    [Fact]
    public void ReadsHighWaterMarkAndResidentSetInKilobytes()
    {
        // Catches: VmPeak (virtual) taken for the peak resident set, VmHWM/VmRSS swapped, kB treated as bytes.
        var status = ProcStatus.Parse(Status);
        Assert.Equal(287654, status.VmHwmKb);
        Assert.Equal(201234, status.VmRssKb);
        Assert.Equal(287654 / 1024.0, status.VmHwmMb, 9);
    }

    [Fact]
    public void AStatusWithoutTheMemoryLinesIsAFormatError() =>
        Assert.Throws<FormatException>(() => ProcStatus.Parse("Name:\tkthreadd\nState:\tS (sleeping)\n"));

    [SkippableFact]
    public void ReadsThisProcess()
    {
        Skip.IfNot(File.Exists("/proc/self/status"), "no /proc on this system");
        var status = ProcStatus.Read(Environment.ProcessId)!;
        Assert.True(status.VmRssKb > 1024 && status.VmHwmKb >= status.VmRssKb, $"VmRSS {status.VmRssKb} kB, VmHWM {status.VmHwmKb} kB");
    }
}
