using System.Diagnostics;
using MLRFNet.Tests;

namespace MLRFNet.Training.Tests.Native;

/// <summary>
/// The build must leave TorchSharp untouched where libstdc++ is new enough (tools/native/torchsharp-native-fix.sh
/// check) and the patched wrapper must carry exactly the three edits (patch).
/// </summary>
public sealed class TorchSharpNativeFixScriptTests
{
    private static string Script => Path.Combine(SharedData.RepoRoot, "tools", "native", "torchsharp-native-fix.sh");

    [Theory]
    // Version names sit NUL-terminated in libstdc++'s .dynstr; a prefix match (3.4.321) must not count.
    [InlineData("GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0", "needed")]
    [InlineData("GLIBCXX_3.4.30\0GLIBCXX_3.4.321\0", "needed")]
    [InlineData("GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0GLIBCXX_3.4.33\0", "not-needed")]
    public void Check_ReadsVersionDefinitionsOfLibstdcxx(string versionStrings, string expected)
    {
        var fake = Path.GetTempFileName();
        try
        {
            File.WriteAllText(fake, "\u007fELF\0" + versionStrings + "tail");
            var (code, output) = Run("check", new() { ["TORCHSHARP_FIX_LIBSTDCXX"] = fake });
            Assert.Equal(0, code);
            Assert.Equal(expected, output.Trim());
        }
        finally { File.Delete(fake); }
    }

    [SkippableFact]
    public void BuildOutput_HoldsPatchedWrapperAndShim_WhenSystemLibstdcxxIsOld()
    {
        var (_, state) = Run("check", new());
        Skip.If(state.Trim() != "needed", "system libstdc++ has GLIBCXX_3.4.32: the build ships TorchSharp unpatched");
        var dir = AppContext.BaseDirectory;
        Assert.True(File.Exists(Path.Combine(dir, "libmlrfnet_ios_base_init_shim.so")), "shim missing from build output");
        var (code, dynamic) = Tool("readelf", $"-d -V --dyn-syms \"{Path.Combine(dir, "libLibTorchSharp.so")}\"");
        Skip.If(code < 0, "readelf not installed");
        Assert.Contains("[libmlrfnet_ios_base_init_shim.so]", dynamic);
        Assert.Contains("Name: GLIBCXX_3.4.32  Flags: WEAK", dynamic);
        Assert.DoesNotContain("_ZSt21ios_base_library_initv@GLIBCXX_3.4.32", dynamic);
    }

    private static (int Code, string Output) Run(string args, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo("bash", $"\"{Script}\" {args}") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    private static (int Code, string Output) Tool(string file, string args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception) { return (-1, ""); }
    }
}
