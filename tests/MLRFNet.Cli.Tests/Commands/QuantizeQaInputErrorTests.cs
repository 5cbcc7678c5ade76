using MLRFNet.Cli.Tests.Support;
using MLRFNet.Core.Labels;
using MLRFNet.Core.Manifest;
using MLRFNet.Imaging.Synthetic;
using MLRFNet.Export;
using MLRFNet.Training.Checkpoints;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Models;
using static TorchSharp.torch;

namespace MLRFNet.Cli.Tests.Commands;

/// <summary>
/// Two untrained <c>mlrfnet-tiny</c> exports (different seeds), an FP16 copy of the first made by
/// <c>mlrfnet quantize</c>, and 8 small phantoms: enough for every input error, which must be refused before work.
/// </summary>
public sealed class UntrainedModels : IDisposable
{
    private readonly TempFolder folder = new();

    public UntrainedModels()
    {
        First = Export(1, "first.onnx");
        Second = Export(2, "second.onnx");
        Labels = PhantomDataset.Write(folder["data"], 8, seed: 5, size: 64);
        Images = folder["data/images"];
        Fp16 = folder["first-fp16.onnx"];
        var step = CliStep.Run("quantize", "--model", First, "--precision", "fp16", "--out", Fp16);
        if (step.Code != 0) throw new InvalidOperationException("mlrfnet quantize failed: " + step);
    }

    public string First { get; }
    public string Second { get; }
    public string Fp16 { get; }
    public string Labels { get; }
    public string Images { get; }

    public string this[string relative] => folder[relative];

    public void Dispose() => folder.Dispose();

    private string Export(int seed, string name)
    {
        manual_seed(seed);
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), LabelSets.ChestXray14.Count);
        model.eval();
        var checkpoint = folder[name + ".ckpt"];
        CheckpointFile.Save(checkpoint, model, CheckpointConfig.For(model, LabelSets.ChestXray14, LossSettings.PaperBiasedFocal));
        return CheckpointExporter.Export(checkpoint, folder[name]).OnnxPath;
    }
}

/// <summary>
/// Bad command lines and bad inputs to <c>quantize</c> and <c>qa</c>: one line on stderr naming the problem, exit
/// code 2 (never 1, which qa reserves for a failed gate), nothing written.
/// </summary>
public sealed class QuantizeQaInputErrorTests(UntrainedModels models) : IClassFixture<UntrainedModels>
{
    public static TheoryData<string, string[]> QuantizeErrors => new()
    {
        { "Option '--out' is required.", ["--precision", "fp16"] },
        { "--precision 'int4' is not known; use fp16 or int8.", ["--precision", "int4", "--out", "{out}"] },
        { "--precision int8 needs calibration images", ["--precision", "int8", "--out", "{out}"] },
        { "--scheme applies to --precision int8 only.", ["--precision", "fp16", "--scheme", "u8s8", "--out", "{out}"] },
        { "--target applies to --precision int8 only.", ["--precision", "fp16", "--target", "cpu", "--out", "{out}"] },
        { "--target 'gpu' is not known; use cpu, tensorrt, cuda.", ["--precision", "int8", "--target", "gpu", "--calibration-labels", "{labels}", "--calibration-images", "{images}", "--out", "{out}"] },
        { "--target tensorrt: TensorRT takes only int8 activations with symmetric ranges", ["--precision", "int8", "--target", "tensorrt", "--scheme", "u8s8", "--calibration-labels", "{labels}", "--calibration-images", "{images}", "--out", "{out}"] },
        { "--calibration 'kl' is not known", ["--precision", "int8", "--calibration", "kl", "--calibration-labels", "{labels}", "--calibration-images", "{images}", "--out", "{out}"] },
        { "--percentile must be in (50, 100]", ["--precision", "int8", "--calibration", "percentile", "--percentile", "40", "--calibration-labels", "{labels}", "--calibration-images", "{images}", "--out", "{out}"] },
        { "Excluded node(s) 'no.such.node' are not in the graph", ["--precision", "int8", "--exclude-node", "no.such.node", "--calibration-labels", "{labels}", "--calibration-images", "{images}", "--out", "{out}"] },
        { "--fallback needs gate images", ["--precision", "int8", "--fallback", "--calibration-labels", "{labels}", "--calibration-images", "{images}", "--out", "{out}"] },
        { "--calibration-images folder not found", ["--precision", "int8", "--calibration-labels", "{labels}", "--calibration-images", "/nonexistent/images", "--out", "{out}"] },
        { "should end in .onnx", ["--precision", "fp16", "--out", "{dir}/model.bin"] },
    };

    [Theory]
    [MemberData(nameof(QuantizeErrors))]
    public void Quantize_refuses_bad_arguments_with_one_line_and_exit_code_2(string message, string[] args)
    {
        var output = models[$"never-{Guid.NewGuid():N}.onnx"];
        var line = AssertOneErrorLine("quantize", ["--model", models.First, .. args.Select(a => Expand(a, output))]);
        Assert.Contains(message, line);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(ModelManifest.ManifestPathFor(output)));
    }

    [Fact]
    public void Quantize_refuses_a_model_without_manifest_or_not_FP32()
    {
        var bare = models["bare.onnx"];
        File.Copy(models.First, bare, overwrite: true);
        var line = AssertOneErrorLine("quantize", "--model", bare, "--precision", "fp16", "--out", models["bare-fp16.onnx"]);
        Assert.Contains("has no manifest", line);

        line = AssertOneErrorLine("quantize", "--model", models.Fp16, "--precision", "fp16", "--out", models["twice.onnx"]);
        Assert.Contains("is FP16 according to its manifest", line);
    }

    [Fact]
    public void Qa_refuses_a_candidate_compared_with_another_reference_or_without_a_manifest_or_with_bad_limits()
    {
        string[] data = ["--labels", models.Labels, "--images", models.Images];
        // The FP16 model was made from the first export, not the second.
        var line = AssertOneErrorLine("qa", ["--reference", models.Second, "--candidate", models.Fp16, .. data, "--report", models["r1"]]);
        Assert.Contains("compare it with the FP32 model it was quantized from", line);

        // An edited candidate no longer matches its manifest's SHA-256.
        var edited = models["edited.onnx"];
        File.Copy(models.Fp16, edited, overwrite: true);
        File.Copy(ModelManifest.ManifestPathFor(models.Fp16), ModelManifest.ManifestPathFor(edited), overwrite: true);
        File.AppendAllText(edited, "x");
        line = AssertOneErrorLine("qa", ["--reference", models.First, "--candidate", edited, .. data, "--report", models["r2"]]);
        Assert.Contains("paired with the wrong manifest", line); // ManifestPolicy's IntegrityMismatch

        File.Delete(ModelManifest.ManifestPathFor(edited));
        line = AssertOneErrorLine("qa", ["--reference", models.First, "--candidate", edited, .. data, "--report", models["r3"]]);
        Assert.Contains("has no manifest", line);

        line = AssertOneErrorLine("qa", ["--reference", models.First, "--candidate", models.Fp16, .. data, "--report", models["r4"], "--max-class-drop", "1.5"]);
        Assert.Equal("mlrfnet qa: error: --max-class-drop must be an AUC drop in [0, 1), e.g. 0.005 (got 1.5).", line);

        line = AssertOneErrorLine("qa", "--reference", models.First, "--candidate", models.Fp16, "--report", models["r5"]);
        Assert.Contains("Option '--labels' is required.", line);

        Assert.Null(ModelManifest.Load(ModelManifest.ManifestPathFor(models.Fp16)).Qa); // never recorded
        Assert.All(new[] { "r1", "r2", "r3", "r4", "r5" }, r => Assert.False(Directory.Exists(models[r])));
    }

    [Fact]
    public void Qa_refuses_a_candidate_the_box_would_refuse_with_the_box_own_message()
    {
        // Issue 17: the gate scores through the edge service's scorer and its model contract. A candidate with a fixed
        // batch dimension runs in a plain ONNX Runtime session (the old gate judged it, exit 3 on these 8 images), but
        // no clinic box loads it; qa must refuse it with exactly the box's message and record nothing.
        var unfit = models["fixed-batch-fp16.onnx"];
        var graph = MLRFNet.Onnx.Quantization.Proto.OnnxModelFile.Load(models.Fp16);
        graph.Graph.Input[0].Type.TensorType.Shape.Dim[0] = new global::Onnx.TensorShapeProto.Types.Dimension { DimValue = 1 };
        MLRFNet.Onnx.Quantization.Proto.OnnxModelFile.Save(graph, unfit);
        var manifest = ModelManifest.Load(ModelManifest.ManifestPathFor(models.Fp16));
        (manifest with { OnnxSha256 = ModelManifest.Sha256OfFile(unfit), Qa = null }).Save(ModelManifest.ManifestPathFor(unfit));
        var before = File.ReadAllText(ModelManifest.ManifestPathFor(unfit));
        var box = Assert.Throws<MLRFNet.Inference.ModelContractException>(() => new MLRFNet.Inference.OnnxXrayScorer(unfit));

        var line = AssertOneErrorLine("qa", "--reference", models.First, "--candidate", unfit, "--labels", models.Labels, "--images", models.Images, "--report", models["r6"]);
        Assert.Equal("mlrfnet qa: error: " + box.Message, line);
        Assert.Contains("fixed batch dimension 1", line);
        Assert.Equal(before, File.ReadAllText(ModelManifest.ManifestPathFor(unfit)));
        Assert.False(File.Exists(Path.Combine(models["r6"], "report.json")));
    }

    private static string AssertOneErrorLine(string verb, params string[] args)
    {
        var (code, output, error) = CliProcess.Run([verb, .. args]);
        Assert.True(code == 2, $"exit {code}\n{output}\n{error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"mlrfnet {verb}: error: ", line);
        Assert.DoesNotContain("   at ", output + error);
        return line.Trim();
    }

    private string Expand(string arg, string output) => arg
        .Replace("{out}", output, StringComparison.Ordinal)
        .Replace("{dir}", models[""].TrimEnd('/'), StringComparison.Ordinal)
        .Replace("{labels}", models.Labels, StringComparison.Ordinal)
        .Replace("{images}", models.Images, StringComparison.Ordinal);
}
