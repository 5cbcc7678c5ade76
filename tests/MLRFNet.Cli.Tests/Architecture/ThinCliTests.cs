namespace MLRFNet.Cli.Tests.Architecture;

/// <summary>
/// Issue 17: <c>src/MLRFNet.Cli</c> parses arguments, calls the library and prints; the work lives in the libraries
/// (quantization and QA in MLRFNet.Onnx's jobs, benchmarks in mlrfnet-bench). These checks read the source tree.
/// </summary>
public sealed class ThinCliTests
{
    private const int MaxLines = 100;

    /// <summary>
    /// Library entry points that do quantization or QA work, the ONNX protobuf model and ONNX Runtime: a CLI file that
    /// names one is doing the library's job (the fallback loop, a manifest derivation, a gate run, a verdict recorded).
    /// </summary>
    private static readonly string[] Forbidden =
    [
        "using Onnx;", "Google.Protobuf", "Microsoft.ML.OnnxRuntime", "OrtModelRunner", "OnnxModelFile",
        "QdqQuantizer", "Float16Converter", "AccuracyAwareFallback", "QuantizationDebugger", "SensitiveLayers",
        "ICalibrationDataReader", "DatasetTensors", "QualityGate.Run", "QaReportWriter", "ToQaResult", ".Derive(",
        "Process.Start", "\"build\"",
    ];

    private static string CliFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "MLRFNet.Cli");
            if (File.Exists(Path.Combine(dir.FullName, "MLRFNet.Edge.sln")) && Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"No src/MLRFNet.Cli above {AppContext.BaseDirectory}; these tests read the source tree.");
    }

    private static IEnumerable<string> SourceFiles()
    {
        var root = CliFolder();
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }

    [Fact]
    public void No_cli_source_file_is_longer_than_100_lines()
    {
        var files = SourceFiles().ToArray();
        Assert.True(files.Length >= 10, $"found only {files.Length} .cs files under {CliFolder()}");
        var tooLong = files.Select(f => (File: Path.GetRelativePath(CliFolder(), f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > MaxLines).Select(f => $"{f.File}: {f.Lines} lines").ToArray();
        Assert.True(tooLong.Length == 0, $"CLI files over {MaxLines} lines (move the work into a library): {string.Join("; ", tooLong)}");
    }

    [Fact]
    public void No_cli_source_file_does_quantization_or_qa_work_or_builds_other_projects()
    {
        var offences = SourceFiles()
            .SelectMany(f => Forbidden.Where(token => File.ReadAllText(f).Contains(token, StringComparison.Ordinal))
                .Select(token => $"{Path.GetRelativePath(CliFolder(), f)} uses {token}"))
            .ToArray();
        Assert.True(offences.Length == 0, "CLI files doing library work: " + string.Join("; ", offences));
    }

    [Fact]
    public void The_cli_project_does_not_reference_the_benchmarks_or_the_edge_service()
    {
        var project = File.ReadAllText(Path.Combine(CliFolder(), "MLRFNet.Cli.csproj"));
        Assert.DoesNotContain("MLRFNet.Benchmarks", project, StringComparison.Ordinal);
        Assert.DoesNotContain("MLRFNet.Edge", project, StringComparison.Ordinal);
        Assert.DoesNotContain(SourceFiles(), f => File.ReadAllText(f).Contains("namespace MLRFNet.Cli.Benchmarks", StringComparison.Ordinal));
    }
}
