using System.Diagnostics;
using MLRFNet.Onnx.Tests.Support;
using Xunit.Abstractions;

namespace MLRFNet.Onnx.Tests;

/// <summary>
/// Every graph the tests build passes <c>onnx.checker.check_model(path, full_check=True)</c> (the reference ONNX
/// implementation's validator, including strict shape inference), via the committed Fixtures/check_models.py.
/// Skipped, visibly, where /usr/bin/python3 has no onnx package.
/// </summary>
public sealed class ModelCheckerTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [SkippableFact]
    public void Every_built_graph_passes_the_onnx_checker()
    {
        Skip.IfNot(File.Exists(Python) && Run("-c \"import onnx\"").ExitCode == 0,
            $"{Python} with the onnx package is not installed (Debian: python3-onnx): ONNX checker test skipped.");
        var dir = Directory.CreateTempSubdirectory("mlrfnet-onnx-check-");
        try
        {
            foreach (var name in ReferenceGraphs.CaseNames) ReferenceGraphs.Build(name).Save(Path.Combine(dir.FullName, name + ".onnx"));
            var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "check_models.py");
            var (exit, stdout) = Run($"\"{script}\" \"{dir.FullName}\"");
            output.WriteLine(stdout);
            Assert.True(exit == 0, stdout);
            Assert.Equal(ReferenceGraphs.CaseNames.Count, stdout.Split('\n').Count(l => l.StartsWith("OK ", StringComparison.Ordinal)));
            Assert.All(stdout.Split('\n').Where(l => l.StartsWith("OK ", StringComparison.Ordinal)), l => Assert.Contains("ir=8 opset=17", l));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (int ExitCode, string Output) Run(string arguments)
    {
        using var p = Process.Start(new ProcessStartInfo(Python, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(); return (-1, "timed out"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
