using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace MLRFNet.Benchmarks;

/// <summary>What the numbers were measured on: enough to tell two runs' machines and software apart.</summary>
public sealed record MachineDescription
{
    public required string CpuModel { get; init; }
    public required int LogicalCpus { get; init; }
    public int? PhysicalCores { get; init; }
    public required double MemoryGb { get; init; }
    public required string OperatingSystem { get; init; }
    public required string Kernel { get; init; }

    /// <summary>The CPU's SIMD extensions that decide which ORT/libtorch kernels run (AVX2, AVX-512, VNNI, AMX...).</summary>
    public required string[] SimdFlags { get; init; }
    public required string DotNet { get; init; }
    public required string OnnxRuntime { get; init; }
    public required string TorchSharp { get; init; }

    /// <summary>/proc/loadavg (1, 5, 15 minutes) when the run started and ended; above the core count means contention.</summary>
    public required double[] LoadAverageStart { get; init; }
    public double[]? LoadAverageEnd { get; init; }

    public static MachineDescription Capture()
    {
        var cpuinfo = ReadOrEmpty("/proc/cpuinfo").Split('\n');
        string? Field(string line) => line.Split(':', 2) is [_, var value] ? value.Trim() : null;
        var model = cpuinfo.Where(l => l.StartsWith("model name", StringComparison.Ordinal)).Select(Field).FirstOrDefault() ?? RuntimeInformation.ProcessArchitecture.ToString();
        // Physical cores: distinct (physical id, core id) pairs; absent in some VMs.
        var physical = cpuinfo.Where(l => l.StartsWith("physical id", StringComparison.Ordinal) || l.StartsWith("core id", StringComparison.Ordinal))
            .Select(Field).Chunk(2).Where(c => c.Length == 2).Select(c => $"{c[0]}/{c[1]}").Distinct().Count();
        var memKb = ReadOrEmpty("/proc/meminfo").Split('\n').Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        var os = ReadOrEmpty("/etc/os-release").Split('\n').Where(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            .Select(l => l["PRETTY_NAME=".Length..].Trim('"')).FirstOrDefault() ?? RuntimeInformation.OSDescription;
        return new MachineDescription
        {
            CpuModel = model,
            LogicalCpus = Environment.ProcessorCount,
            PhysicalCores = physical > 0 ? physical : null,
            MemoryGb = Math.Round(memKb / 1024 / 1024, 1),
            OperatingSystem = os,
            Kernel = "Linux " + ReadOrEmpty("/proc/sys/kernel/osrelease").Trim(),
            SimdFlags = cpuinfo.Where(l => l.StartsWith("flags", StringComparison.Ordinal)).Select(Field).FirstOrDefault()?
                .Split(' ').Where(f => f is "sse4_2" or "fma" or "f16c" || f.StartsWith("avx", StringComparison.Ordinal) || f.StartsWith("amx", StringComparison.Ordinal)).ToArray() ?? [],
            DotNet = RuntimeInformation.FrameworkDescription,
            OnnxRuntime = OrtEnv.Instance().GetVersionString(),
            TorchSharp = typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                         ?? typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            LoadAverageStart = LoadAverage(),
        };
    }

    /// <summary>The 1, 5 and 15 minute load averages (empty when /proc/loadavg is absent).</summary>
    public static double[] LoadAverage() =>
        ReadOrEmpty("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static string ReadOrEmpty(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }
}
