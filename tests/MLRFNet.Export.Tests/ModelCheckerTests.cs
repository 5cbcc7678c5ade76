using MLRFNet.Export.Tests.Support;
using Xunit.Abstractions;

namespace MLRFNet.Export.Tests;

/// <summary>
/// Every graph the tests build passes <c>onnx.checker.check_model(path, full_check=True)</c> (the reference ONNX
/// implementation's validator, including strict shape inference), via the committed Fixtures/check_models.py.
/// Skipped, visibly, where /usr/bin/python3 has no onnx package. Exported variants: VariantExportTests.
/// </summary>
public sealed class ModelCheckerTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Every_built_graph_passes_the_onnx_checker()
    {
        ModelChecker.SkipUnlessAvailable();
        var dir = Directory.CreateTempSubdirectory("mlrfnet-onnx-check-");
        try
        {
            foreach (var name in ReferenceGraphs.CaseNames) ReferenceGraphs.Build(name).Save(Path.Combine(dir.FullName, name + ".onnx"));
            var (exit, stdout) = ModelChecker.CheckDirectory(dir.FullName);
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
}
