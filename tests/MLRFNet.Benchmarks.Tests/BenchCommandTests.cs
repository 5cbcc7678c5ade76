using System.CommandLine;
using System.Text.Json;
using MLRFNet.Core.Labels;
using MLRFNet.Training.Checkpoints;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Models;
using static TorchSharp.torch;

namespace MLRFNet.Benchmarks.Tests;

/// <summary>
/// <c>mlrfnet-bench</c> from a checkpoint alone, tiny model, few rounds: a smoke test of the plumbing (every row
/// present, the service really scored every dropped image), not of the speed; there are no timing assertions.
/// </summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("mlrfnet-cli-bench-");

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = BenchRun.Invoke(BenchCommand.Create(output, error).Parse(args), error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The service built beside this test (same configuration), started as <c>dotnet mlrfnet-edge.dll</c>.</summary>
    private static string EdgeDll()
    {
        var bin = AppContext.BaseDirectory;
        var marker = Path.Combine("tests", "MLRFNet.Benchmarks.Tests") + Path.DirectorySeparatorChar;
        var at = bin.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"test output {bin} is not under tests/MLRFNet.Benchmarks.Tests");
        return Path.Combine(bin[..at], "src", "MLRFNet.Edge", bin[(at + marker.Length)..], "mlrfnet-edge.dll");
    }

    private string TinyCheckpoint(int seed = 11)
    {
        manual_seed(seed);
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), LabelSets.ChestXray14.Count);
        var path = Path.Combine(dir.FullName, seed == 11 ? "tiny.ckpt" : $"tiny-{seed}.ckpt");
        CheckpointFile.Save(path, model, CheckpointConfig.For(model, LabelSets.ChestXray14, LossSettings.PaperBiasedFocal));
        return path;
    }

    [Fact]
    public void FromACheckpointAloneWritesEveryEngineServiceAndTargetRow()
    {
        // Catches: an engine or precision missing from the output, the service losing or failing an image, the
        // docs page without its machine description, p95 below the median (percentile from the wrong end).
        var outFolder = Path.Combine(dir.FullName, "out");
        var docs = Path.Combine(dir.FullName, "docs", "benchmarks.md");
        var (code, output, error) = Run("--checkpoint", TinyCheckpoint(), "--out", outFolder, "--repetitions", "2", "--warmup", "1",
            "--calibration-images", "2", "--phantom-size", "256", "--matmul-size", "256", "--edge-images", "3", "--edge-starts", "1",
            "--edge-binary", EdgeDll(), "--edge-timeout-seconds", "300", "--write-docs", docs,
            "--console-clients", "3", "--console-images", "3", "--console-rounds", "1");
        Assert.True(code == 0, $"exit {code}\n{error}\n{output}");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outFolder, "bench.json")));
        var root = json.RootElement;
        Assert.Equal("mlrfnet-tiny", root.GetProperty("variant").GetString());
        Assert.True(root.GetProperty("multiplyAccumulates").GetInt64() > 0);
        var engines = root.GetProperty("engines").EnumerateArray().Select(e => e.GetProperty("timings")).ToArray();
        // INT8 in both schemes (issue 18: bench shows which is faster here), the default U8S8 first.
        Assert.Equal(["TorchSharp eager FP32", "ONNX Runtime FP32", "ONNX Runtime FP16", "ONNX Runtime INT8 U8S8", "ONNX Runtime INT8 S8S8"], engines.Select(e => e.GetProperty("name").GetString()));
        foreach (var e in engines)
        {
            var b1 = e.GetProperty("batch1");
            Assert.Equal(2, b1.GetProperty("runs").GetInt32());
            Assert.True(b1.GetProperty("medianMs").GetDouble() > 0 && b1.GetProperty("p95Ms").GetDouble() >= b1.GetProperty("medianMs").GetDouble());
            Assert.True(e.GetProperty("imagesPerSecond").GetDouble() > 0);
        }
        // The same model in every engine: FP32 ORT agrees with TorchSharp to float rounding.
        Assert.InRange(engines[1].GetProperty("maxAbsDifferenceVsReference").GetDouble(), 0, 1e-4);
        Assert.True(root.GetProperty("matmul").GetProperty("medianGflops").GetDouble() > 0);

        var edge = root.GetProperty("edge").EnumerateArray().Select(e => e.GetProperty("run")).ToArray();
        Assert.Equal(["FP32", "FP16", "INT8 U8S8"], edge.Select(e => e.GetProperty("precision").GetString()));
        foreach (var e in edge)
        {
            Assert.False(e.TryGetProperty("error", out var failure), failure.ToString());
            Assert.Equal(3, e.GetProperty("images").GetInt32());
            Assert.Equal(0, e.GetProperty("exitCode").GetInt32());
            Assert.True(e.GetProperty("coldStartMedianMs").GetDouble() > 0 && e.GetProperty("perImageMs").GetDouble() > 0);
            Assert.True(e.GetProperty("peakRssMb").GetDouble() >= e.GetProperty("idleRssMb").GetDouble());
            Assert.True(e.GetProperty("stages").GetProperty("inferenceMs").GetDouble() > 0);
        }
        var targets = root.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("target").GetString()!).ToArray();
        Assert.Equal(10, targets.Length); // 2 speed-ups, 3 overheads, 3 cold starts, 1 RSS, 1 console busy/idle

        // Issue 16: one idle and one busy run of the FP32 model with the console on; the clients got answers, none failed.
        var console = root.GetProperty("consoleLoad");
        Assert.False(console.TryGetProperty("error", out var consoleFailure), consoleFailure.ToString());
        Assert.Equal("FP32", console.GetProperty("precision").GetString());
        Assert.Equal(1, console.GetProperty("idleImagesPerSecond").GetArrayLength());
        Assert.Equal(1, console.GetProperty("busyImagesPerSecond").GetArrayLength());
        Assert.True(console.GetProperty("idleMedian").GetDouble() > 0 && console.GetProperty("busyMedian").GetDouble() > 0);
        var requests = console.GetProperty("requests");
        Assert.True(requests.GetProperty("requests").GetInt64() >= 3);
        Assert.Equal(requests.GetProperty("requests").GetInt64(), requests.GetProperty("succeeded").GetInt64());

        var markdown = File.ReadAllText(Path.Combine(outFolder, "bench.md"));
        Assert.Equal(markdown, File.ReadAllText(docs));
        foreach (var row in new[] { "| TorchSharp eager FP32 |", "| ONNX Runtime FP32 |", "| ONNX Runtime FP16 |", "| ONNX Runtime INT8 U8S8 |", "| ONNX Runtime INT8 S8S8 |", "| FP32 |", "| FP16 |", "| INT8 U8S8 |", "| INT8 S8S8 |", "matmul", "| CPU |", "| ONNX Runtime | ", "| Load average", "### Clinic console: scoring idle vs busy" })
            Assert.Contains(row, markdown);
        Assert.All(targets, t => Assert.Contains(t, markdown));
    }

    [Fact]
    public void AModelGivenAsTheWrongPrecisionIsOneErrorLine()
    {
        // Catches: an FP32 file timed and reported as the INT8 row because the options were mixed up.
        var checkpoint = TinyCheckpoint();
        var fp32 = Path.Combine(dir.FullName, "tiny.onnx");
        MLRFNet.Export.CheckpointExporter.Export(checkpoint, fp32);
        var (code, output, error) = Run("--checkpoint", checkpoint, "--out", Path.Combine(dir.FullName, "out"), "--int8", fp32, "--no-edge");
        Assert.Equal(2, code);
        Assert.Equal($"mlrfnet-bench: error: '{fp32}' was given as the Int8 model but its graph is Fp32; check the --fp32/--fp16/--int8 options.", error.Trim());
        Assert.False(File.Exists(Path.Combine(dir.FullName, "out", "bench.json")), output);
    }

    [Fact]
    public void AGivenInt8ThatFailedQaIsTimedFromAScratchCopy_AndItsManifestIsUntouched()
    {
        // Catches: the service run of a given INT8 model failing because its manifest records a failed QA gate
        // (the service refuses such a model), or the bench "fixing" that by rewriting the user's manifest.
        var checkpoint = TinyCheckpoint();
        var fp32 = Path.Combine(dir.FullName, "tiny.onnx");
        MLRFNet.Export.CheckpointExporter.Export(checkpoint, fp32);
        var int8 = Path.Combine(dir.FullName, "tiny.int8.onnx");
        var spec = CheckpointFile.ReadConfig(checkpoint).Preprocessing;
        var reader = new MLRFNet.Onnx.Quantization.Calibration.TensorListDataReader("image", [spec.Channels, spec.CropSize, spec.CropSize],
            PhantomInputs.Tensors(spec, 2, 256), batchSize: 2);
        MLRFNet.Onnx.Quantization.QdqQuantizer.Quantize(fp32, int8, reader);
        var manifestPath = MLRFNet.Core.Manifest.ModelManifest.ManifestPathFor(int8);
        var reference = MLRFNet.Core.Manifest.ModelManifest.Load(MLRFNet.Core.Manifest.ModelManifest.ManifestPathFor(fp32));
        (reference with
        {
            Precision = MLRFNet.Core.Manifest.ModelPrecision.Int8,
            OnnxSha256 = MLRFNet.Core.Manifest.ModelManifest.Sha256OfFile(int8),
            ReferenceModelSha256 = reference.OnnxSha256,
            Qa = new MLRFNet.Core.Manifest.QaResult { Passed = false, ReferenceSha256 = reference.OnnxSha256, EvaluationData = "test: a failed gate" },
        }).Validate().Save(manifestPath);
        var before = File.ReadAllText(manifestPath);

        var outFolder = Path.Combine(dir.FullName, "out");
        var (code, output, error) = Run("--checkpoint", checkpoint, "--out", outFolder, "--engines", "int8", "--fp32", fp32, "--int8", int8,
            "--repetitions", "1", "--warmup", "0", "--phantom-size", "256", "--matmul-size", "256", "--edge-images", "2", "--edge-starts", "1",
            "--edge-binary", EdgeDll(), "--edge-timeout-seconds", "300", "--console-clients", "0");
        var benchJson = Path.Combine(outFolder, "bench.json");
        Assert.True(code == 0, $"exit {code}\n{error}\n{output}\n{(File.Exists(benchJson) ? File.ReadAllText(benchJson) : "")}");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outFolder, "bench.json")));
        var run = json.RootElement.GetProperty("edge").EnumerateArray().Single().GetProperty("run");
        Assert.False(run.TryGetProperty("error", out var failure), failure.ToString());
        Assert.Equal(2, run.GetProperty("images").GetInt32());
        Assert.Contains("QA failed", File.ReadAllText(Path.Combine(outFolder, "bench.md")) + json.RootElement.ToString());
        Assert.Equal(before, File.ReadAllText(manifestPath));
    }

    [Fact]
    public void TorchSharpOnOtherWeightsThanTheGivenFp32_IsTimedButNotComparedWithIt()
    {
        // Catches: a TorchSharp row whose "max abs Δp" compares two different sets of weights (huge and meaningless),
        // and FP32 rows then measured against it instead of against ORT FP32.
        var exported = TinyCheckpoint();
        var fp32 = Path.Combine(dir.FullName, "tiny.onnx");
        MLRFNet.Export.CheckpointExporter.Export(exported, fp32);
        var other = TinyCheckpoint(seed: 12);
        var outFolder = Path.Combine(dir.FullName, "out");
        var (code, output, error) = Run("--checkpoint", other, "--out", outFolder, "--engines", "torch,fp32", "--fp32", fp32,
            "--repetitions", "1", "--warmup", "0", "--phantom-size", "256", "--matmul-size", "256", "--no-edge");
        Assert.True(code == 0, $"exit {code}\n{error}\n{output}");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outFolder, "bench.json")));
        var engines = json.RootElement.GetProperty("engines").EnumerateArray().Select(e => e.GetProperty("timings")).ToArray();
        // Null is left out of bench.json: TorchSharp's row has no difference at all.
        Assert.False(engines[0].TryGetProperty("maxAbsDifferenceVsReference", out var torchDifference) && torchDifference.ValueKind != JsonValueKind.Null);
        Assert.Equal(0, engines[1].GetProperty("maxAbsDifferenceVsReference").GetDouble());
        Assert.Contains("n/a (other weights)", File.ReadAllText(Path.Combine(outFolder, "bench.md")));
    }

    public void Dispose() => dir.Delete(recursive: true);
}
