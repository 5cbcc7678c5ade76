using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using MLRFNet.Cli.Tests.Support;
using MLRFNet.Core.Manifest;
using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;
using Xunit.Abstractions;

namespace MLRFNet.Cli.Tests.Commands;

/// <summary>
/// <c>mlrfnet quantize</c> and <c>mlrfnet qa</c> as QA scripts run them, on <c>mlrfnet-tiny</c> trained on phantoms
/// (<see cref="TrainedPhantomModel"/>): issue 6's "done" criteria through the real command line.
/// </summary>
public sealed class QuantizeQaCommandTests(TrainedPhantomModel model, ITestOutputHelper log) : IClassFixture<TrainedPhantomModel>
{
    [Fact]
    public void The_fixture_model_learnt_the_phantoms_so_the_gate_numbers_mean_something()
    {
        log.WriteLine($"training {model.TrainingSeconds:F0} s, best validation mean AUC {model.BestValidationAuc:F3}; export {model.Export.Seconds:F1} s");
        Assert.True(model.BestValidationAuc >= 0.85, $"validation mean AUC {model.BestValidationAuc:F3}: the model did not learn, AUC deltas would be noise");
    }

    [Fact]
    public void Quantized_models_get_a_manifest_copied_from_the_FP32_one_with_their_own_precision_and_sha()
    {
        var fp32 = ModelManifest.Load(ModelManifest.ManifestPathFor(model.Fp32));
        var fp32Sha = ModelManifest.Sha256OfFile(model.Fp32);
        foreach (var (q, precision) in new[] { (model.Fp16, ModelPrecision.Fp16), (model.Int8, ModelPrecision.Int8), (model.Int8U8S8, ModelPrecision.Int8) })
        {
            log.WriteLine($"{precision}: {q.Step}");
            var m = q.ManifestAfterQuantize;
            Assert.Equal(precision, m.Precision);
            Assert.Equal(ModelManifest.Sha256OfFile(q.Path), m.OnnxSha256);
            Assert.NotEqual(fp32Sha, m.OnnxSha256);
            Assert.Equal(fp32Sha, m.ReferenceModelSha256);
            Assert.Null(m.Qa); // not checked yet
            Assert.Equal(fp32.Labels, m.Labels);
            Assert.Equal(fp32.Preprocessing, m.Preprocessing);
            Assert.Equal(fp32.Architecture, m.Architecture);
            Assert.Equal(fp32.SourceCheckpointSha256, m.SourceCheckpointSha256);
            Assert.Contains(m.OnnxSha256, q.Step.Output);
        }
        Assert.Null(model.Fp16.ManifestAfterQuantize.CalibrationData);
        var calibration = model.Int8.ManifestAfterQuantize.CalibrationData!;
        Assert.StartsWith($"{TrainedPhantomModel.CalibrationImages} images from labels.csv (fingerprint ", calibration);
        Assert.DoesNotContain(Path.GetDirectoryName(model.TrainLabels)!, calibration); // no path of this machine
        Assert.Contains("S8S8, MinMax calibration, per-channel weights", calibration);
        Assert.Contains("U8S8, MinMax calibration", model.Int8U8S8.ManifestAfterQuantize.CalibrationData);
        // The scheme follows the target and is stated in the output and the manifest (issue 18): without --target or
        // --scheme, U8S8 for ONNX Runtime's CPU provider (the graph test below checks its uint8 activations);
        // --target tensorrt, S8S8. Catches: the default left at S8S8 (slower than FP32 on an x86 CPU), a manifest
        // without the scheme.
        Assert.Equal("U8S8, target cpu", model.Int8U8S8.ManifestAfterQuantize.QuantizationScheme);
        Assert.Contains("int8 scheme: U8S8 for --target cpu", model.Int8U8S8.Step.Output);
        Assert.Equal("S8S8, target tensorrt", model.Int8.ManifestAfterQuantize.QuantizationScheme);
        Assert.Contains("int8 scheme: S8S8 for --target tensorrt", model.Int8.Step.Output);
        Assert.Null(model.Fp16.ManifestAfterQuantize.QuantizationScheme);
        // The FP32 file and its manifest are left as they were.
        Assert.Equal(fp32Sha, fp32.OnnxSha256);
        Assert.Equal(ModelPrecision.Fp32, fp32.Precision);
    }

    [Theory]
    [InlineData("s8s8")]
    [InlineData("u8s8")]
    public void The_int8_graph_has_QDQ_around_every_conv_and_ORT_fuses_them_into_QLinearConv(string scheme)
    {
        var quantized = scheme == "s8s8" ? model.Int8 : model.Int8U8S8;
        var int8 = OnnxModelFile.Load(quantized.Path);
        var fp32 = OnnxModelFile.Load(model.Fp32);
        var producers = int8.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var consumers = int8.Graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
        var convs = int8.Graph.Node.Where(n => n.OpType == "Conv").ToArray();
        Assert.Equal(fp32.Graph.Node.Count(n => n.OpType == "Conv"), convs.Length);
        foreach (var conv in convs)
        {
            // Activation, weight and bias all arrive through DequantizeLinear; the activation's through a QuantizeLinear first.
            Assert.All(conv.Input, i => Assert.Equal("DequantizeLinear", producers[i].OpType));
            Assert.Equal("QuantizeLinear", producers[producers[conv.Input[0]].Input[0]].OpType);
            // A backbone conv's output (or the Relu after it) is quantized again for the next layer; the CSRA head
            // convs write the class score maps, graph outputs (heatmaps), which stay float.
            var after = consumers[conv.Output[0]].ToArray();
            var quantizedOutput = after.Any(n => n.OpType == "QuantizeLinear")
                || after.Where(n => n.OpType == "Relu").Any(r => consumers[r.Output[0]].Any(n => n.OpType == "QuantizeLinear"));
            Assert.True(quantizedOutput == !IsHeadConv(conv.Name), $"{conv.Name}: output quantized {quantizedOutput}");
        }
        Assert.Equal(3, convs.Count(c => IsHeadConv(c.Name)));

        // Activations of the scheme's type (S8S8 int8, U8S8 uint8); weights int8 either way.
        var activationType = scheme == "s8s8" ? TensorProto.Types.DataType.Int8 : TensorProto.Types.DataType.Uint8;
        var zeroPoints = int8.Graph.Node.Where(n => n.OpType == "QuantizeLinear").Select(n => int8.Graph.Initializer.Single(t => t.Name == n.Input[2]).DataType).Distinct();
        Assert.Equal([(int)activationType], zeroPoints);

        var optimizedPath = model[$"int8-{scheme}.optimized.onnx"];
        using (OrtModelRunner.Create(quantized.Path, new OrtRunnerOptions { OptimizedModelPath = optimizedPath })) { }
        var optimized = OnnxModelFile.Load(optimizedPath).Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        log.WriteLine($"ORT-optimized INT8 {scheme} graph: " + string.Join(", ", optimized.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}")));
        var backbone = convs.Count(c => !IsHeadConv(c.Name));
        var fused = optimized.GetValueOrDefault("QLinearConv");
        Assert.Equal(convs.Length, fused + optimized.GetValueOrDefault("Conv") + optimized.GetValueOrDefault("FusedConv"));
        if (scheme == "u8s8")
        {
            // Every backbone conv runs as QLinearConv; the head convs (float score maps out) stay float convs.
            Assert.Equal(backbone, fused);
        }
        else
        {
            // Measured on this machine's CPU (no int8 dot product): 36 of the 48 fuse; every bottleneck's conv1 and
            // downsample conv, the two readers of the block input, stay DQ -> Conv -> Q. Processors where ORT keeps
            // S8S8 (VNNI, ARM) may fuse more, so only "most" is asserted.
            Assert.InRange(fused, backbone / 2 + 1, backbone);
        }

        if (scheme != "s8s8") return;
        var fp16 = OnnxModelFile.Load(model.Fp16.Path);
        Assert.All(fp16.Graph.Node.Where(n => n.OpType == "Conv"), conv =>
            Assert.Equal((int)TensorProto.Types.DataType.Float16, fp16.Graph.Initializer.Single(t => t.Name == conv.Input[1]).DataType));
        Assert.Equal((int)TensorProto.Types.DataType.Float, fp16.Graph.Input.Single().Type.TensorType.ElemType);
        Assert.All(fp16.Graph.Output, o => Assert.Equal((int)TensorProto.Types.DataType.Float, o.Type.TensorType.ElemType));
    }

    [Theory]
    [InlineData("int8")]
    [InlineData("fp16")]
    public void Float_input_conv_keeps_only_the_stem_in_float32(string precision)
    {
        // Catches: the flag naming the wrong node (or none), or excluding more than the stem.
        var stem = SensitiveLayers.InputConvolutions(OnnxModelFile.Load(model.Fp32)).Single();
        var path = model[$"stem-float-{precision}.onnx"];
        string[] extra = precision == "int8"
            ? ["--scheme", "u8s8", "--calibration-labels", model.TrainLabels, "--calibration-images", model.TrainImages, "--max-calibration-images", "8", "--cache", model.Cache]
            : [];
        var step = CliStep.Run(["quantize", "--model", model.Fp32, "--precision", precision, "--out", path, "--float-input-conv", .. extra]);
        Assert.True(step.Code == 0, step.ToString());
        Assert.Contains($"kept in float (--float-input-conv): {stem}", step.Output);

        var graph = OnnxModelFile.Load(path).Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        foreach (var conv in graph.Node.Where(n => n.OpType == "Conv"))
        {
            // The stem's weight is a float32 initializer read directly; every other conv's comes through a
            // DequantizeLinear (int8) or is stored as float16.
            var weightIsFloat32 = initializers.TryGetValue(conv.Input[1], out var w) && w.DataType == (int)TensorProto.Types.DataType.Float;
            Assert.True(weightIsFloat32 == (conv.Name == stem), $"{conv.Name}: float32 weight {weightIsFloat32}");
            if (precision == "int8" && conv.Name != stem) Assert.Equal("DequantizeLinear", producers[conv.Input[1]].OpType);
        }
    }

    [Fact]
    public void Debug_prints_the_SQNR_table_worst_first_and_writes_every_tensor_to_json()
    {
        var output = model.Int8.Step.Output;
        var jsonPath = Path.ChangeExtension(model.Int8.Path, ".sqnr.json");
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var activations = json.RootElement.GetProperty("activations").EnumerateArray().ToArray();
        Assert.Equal(TrainedPhantomModel.CalibrationImages, json.RootElement.GetProperty("images").GetInt32());
        var sqnr = activations.Select(a => a.GetProperty("vsFloatModelDb").GetDouble()).ToArray();
        Assert.Equal(sqnr.Order(), sqnr); // worst (lowest) first
        // Every quantized conv output of the FP32 model is compared (the table covers the quantized layers, not a
        // sample); the head convs' score maps stay float (see the graph test) and have no Q/DQ pair to compare.
        var tensors = activations.Select(a => a.GetProperty("tensor").GetString()).ToHashSet();
        var fp32 = OnnxModelFile.Load(model.Fp32);
        Assert.All(fp32.Graph.Node.Where(n => n.OpType == "Conv" && !IsHeadConv(n.Name)), c => Assert.Contains(c.Output[0], tensors));
        Assert.Contains("probabilities", tensors); // float graph outputs are compared too
        Assert.True(json.RootElement.GetProperty("weights").GetArrayLength() >= fp32.Graph.Node.Count(n => n.OpType == "Conv"));

        // The printed table is the JSON's head, in the same order.
        var header = output.Split('\n').ToList().FindIndex(l => l.StartsWith("tensor ", StringComparison.Ordinal));
        Assert.True(header > 0, output);
        var rows = output.Split('\n').Skip(header + 1).Take(20).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]).ToArray();
        Assert.Equal(activations.Take(20).Select(a => a.GetProperty("tensor").GetString()), rows);
        log.WriteLine(string.Join('\n', output.Split('\n').Skip(header).Take(6)));
    }

    /// <remarks>
    /// INT8 here is U8S8: on this model S8S8 (symmetric, so ReLU outputs use 7 of the 8 bits) moves the weakly
    /// learnt Nodule class's AUC by up to ~0.012 depending on the calibration subset (see
    /// <see cref="TrainedPhantomModel"/>), so whether it passes the 0.01 limit is a coin toss a CI test cannot
    /// assert; S8S8's exit code is checked against its own report below.
    /// </remarks>
    [Theory]
    [InlineData("fp16", 0.001, 0.002)]
    [InlineData("int8-u8s8", 0.005, 0.01)]
    public void Qa_records_the_verdict_of_the_FP16_and_INT8_models_and_exits_with_its_code(string name, double meanLimit, double classLimit)
    {
        // NOTE: since issue 13 the gate judges intervals (and the flag-change share), so whether these candidates pass
        // on 600 phantoms is measured, not assumed: the exit code must follow the recorded verdict.
        var candidate = name == "fp16" ? model.Fp16 : model.Int8U8S8;
        var (qa, report) = model.QaOf(name);
        log.WriteLine(qa.ToString());
        var manifest = ModelManifest.Load(ModelManifest.ManifestPathFor(candidate.Path));
        var result = manifest.Qa!;
        Assert.Equal(ExitCodeOf(result.EffectiveVerdict), qa.Code);
        Assert.Contains(result.EffectiveVerdict.ToString().ToUpperInvariant(), qa.Output);
        Assert.Equal(result.EffectiveVerdict == QaVerdict.Passed, result.Passed);
        Assert.Equal(ModelManifest.Sha256OfFile(model.Fp32), result.ReferenceSha256);
        Assert.Equal(TrainedPhantomModel.HeldOutImageCount, result.Images);
        Assert.Equal(ModelManifest.Sha256OfFile(candidate.Path), manifest.OnnxSha256); // the model file itself is untouched
        Assert.Equal(meanLimit, result.MaxMeanAucDrop);
        Assert.Equal(classLimit, result.MaxClassAucDrop);
        if (result.Passed)
        {
            Assert.InRange(result.MeanAucDropUpper!.Value, -1, meanLimit);
            Assert.InRange(result.FlagChangeShareUpper!.Value, 0, result.MaxFlagChangeShare!.Value);
        }
        Assert.NotNull(result.MeanAucDifferenceLower);
        Assert.True(result.ReferenceLatencyMs > 0 && result.CandidateLatencyMs > 0);

        // report.json holds the same numbers; report.html embeds one ROC figure per class.
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "report.json")));
        Assert.Equal(result.Passed, json.RootElement.GetProperty("passed").GetBoolean());
        // The FP32 model must separate the phantoms (over every defined class; the gate's own mean is over judged ones).
        var referenceMean = json.RootElement.GetProperty("classes").EnumerateArray()
            .Where(c => c.TryGetProperty("referenceAuc", out _)).Average(c => c.GetProperty("referenceAuc").GetDouble());
        Assert.True(referenceMean >= 0.85, $"reference mean AUC {referenceMean:F4} on held-out phantoms");
        Assert.Equal(result.CandidateMeanAuc, json.RootElement.GetProperty("candidateMeanAuc").GetDouble());
        Assert.Equal(manifest.OnnxSha256, json.RootElement.GetProperty("candidateSha256").GetString());
        var html = File.ReadAllText(Path.Combine(report, "report.html"));
        Assert.Equal(14, html.Split("<img alt=\"ROC curves of ").Length - 1);

        // The printed summary shows the numbers the manifest holds.
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"reference {result.ReferenceMeanAuc:F4}, candidate {result.CandidateMeanAuc:F4}"), qa.Output);
        log.WriteLine(Describe(name, result));
    }

    [Fact]
    public void Qa_exit_code_of_the_TensorRT_S8S8_model_follows_its_gate_decision()
    {
        var (qa, report) = model.QaOf("int8");
        log.WriteLine(qa.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "report.json")));
        var passed = json.RootElement.GetProperty("passed").GetBoolean();
        var verdict = Enum.Parse<QaVerdict>(json.RootElement.GetProperty("verdict").GetString()!);
        Assert.Equal(ExitCodeOf(verdict), qa.Code);
        var result = ModelManifest.Load(ModelManifest.ManifestPathFor(model.Int8.Path)).Qa!;
        Assert.Equal(passed, result.Passed);
        Assert.Equal(passed, json.RootElement.GetProperty("failures").GetArrayLength() == 0);
        // The mean AUC moves much less than single weak classes (measured within +-0.0021): well inside 0.005.
        Assert.InRange(result.MeanAucDrop, -0.005, 0.005);
        log.WriteLine(Describe("int8 s8s8", result));
    }

    [Fact]
    public void Qa_scores_the_images_as_evaluate_does()
    {
        // An independent path to the same number: `mlrfnet evaluate` scores through MLRFNet.Inference's scorer and
        // Core's evaluator; qa builds its own evaluation set through the loader and scores with the gate's runner.
        // A misaligned image/label pairing or a different preprocessing in qa would change the reference AUC.
        var (qa, report) = model.QaOf("fp16");
        Assert.True(qa.Code is 0 or 1 or 3, qa.ToString());
        var evaluate = CliStep.Run("evaluate", "--model", model.Fp32, "--labels", model.HeldOutLabels, "--images", model.HeldOutImages,
            "--out", model["evaluate-fp32.csv"], "--report", model["evaluate-fp32"], "--bootstrap", "0");
        Assert.True(evaluate.Code == 0, evaluate.ToString());
        using var gate = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "report.json")));
        using var metrics = JsonDocument.Parse(File.ReadAllText(model["evaluate-fp32/metrics.json"]));
        var expected = metrics.RootElement.GetProperty("metrics").GetProperty("meanAuc").GetDouble();
        // The gate's own mean is over judged classes only; the mean of its per-class reference AUCs is evaluate's.
        var perClass = gate.RootElement.GetProperty("classes").EnumerateArray()
            .Where(c => c.TryGetProperty("referenceAuc", out _)).Select(c => c.GetProperty("referenceAuc").GetDouble()).ToArray();
        Assert.Equal(expected, perClass.Average(), 6);
    }

    [Fact]
    public void Qa_fails_with_exit_code_1_when_one_layer_quantization_scale_is_multiplied_by_100()
    {
        // Damage the INT8 model whose AUCs hold (U8S8), so the AUC failure is the damage's doing.
        _ = model.QaOf("int8-u8s8"); // the gate on the undamaged model, recorded in its manifest
        var undamaged = ModelManifest.Load(ModelManifest.ManifestPathFor(model.Int8U8S8.Path)).Qa!;
        Assert.True(undamaged.MeanAucDrop <= 0.005 && undamaged.WorstClassAucDrop <= 0.01, Describe("undamaged", undamaged));
        var damaged = model["models/int8-damaged.onnx"];
        var factor = DamageScale(model.Int8U8S8.Path, DamagedTensor, 100f, damaged);
        var (qa, report) = model.Qa(damaged, model["qa-damaged"], model.HeldOutFirst100Labels, "--bootstrap", "200", "--latency-runs", "5");
        log.WriteLine($"scale of {DamagedTensor}: {factor}");
        log.WriteLine(qa.ToString());
        Assert.Equal(1, qa.Code);
        Assert.Contains("FAILED", qa.Output);
        var result = ModelManifest.Load(ModelManifest.ManifestPathFor(damaged)).Qa!;
        Assert.False(result.Passed);
        Assert.True(result.MeanAucDrop > 0.005 || result.WorstClassAucDrop > 0.01);
        Assert.True(File.Exists(Path.Combine(report, "report.html")));
        log.WriteLine(Describe("damaged", result));
    }

    [Fact]
    public void Fallback_keeps_the_worst_layer_in_float_names_it_and_exits_1_when_the_gate_still_fails()
    {
        // A deliberately ruinous calibration (clip every activation at its 60th percentile) fails the gate by far;
        // with one layer allowed back to float the fallback must pick one, say which, and still report failure.
        var gateLabels = model.HeldOutFirst100Labels;
        var output = model["models/int8-fallback.onnx"];
        var step = CliStep.Run("quantize", "--model", model.Fp32, "--precision", "int8", "--out", output,
            "--calibration-labels", model.TrainLabels, "--calibration-images", model.TrainImages, "--max-calibration-images", "16",
            "--calibration", "percentile", "--percentile", "60", "--cache", model.Cache,
            "--fallback", "--labels", gateLabels, "--images", model.HeldOutImages, "--max-float-nodes", "1");
        log.WriteLine(step.ToString());
        Assert.Equal(1, step.Code);
        Assert.Contains("fallback round 0: ", step.Output);
        Assert.Contains("fallback round 1: ", step.Output);
        Assert.Contains("the gate still fails with 1 layer(s) in float", step.Error);
        var kept = step.Output.Split('\n').Single(l => l.StartsWith("fallback: kept in float: ", StringComparison.Ordinal))["fallback: kept in float: ".Length..].Trim();

        // The named layer exists in the FP32 model and runs in float in the written one: no DequantizeLinear feeds it.
        Assert.Contains(OnnxModelFile.Load(model.Fp32).Graph.Node, n => n.Name == kept);
        var written = OnnxModelFile.Load(output);
        var producers = written.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var node = written.Graph.Node.Single(n => n.Name == kept);
        Assert.All(node.Input.Where(producers.ContainsKey), i => Assert.NotEqual("DequantizeLinear", producers[i].OpType));
        var manifest = ModelManifest.Load(ModelManifest.ManifestPathFor(output));
        Assert.EndsWith($"fallback kept in float: {kept}", manifest.CalibrationData);
        Assert.Null(manifest.Qa);
    }

    [Fact]
    public void Nothing_is_overwritten_outputs_and_reports_that_exist_are_refused_with_exit_code_2()
    {
        var before = ModelManifest.Sha256OfFile(model.Fp16.Path);
        var manifestBefore = File.ReadAllText(ModelManifest.ManifestPathFor(model.Fp16.Path));
        var again = CliStep.Run("quantize", "--model", model.Fp32, "--precision", "fp16", "--out", model.Fp16.Path);
        Assert.Equal(2, again.Code);
        Assert.Equal($"mlrfnet quantize: error: {model.Fp16.Path} already exists; choose another --out (nothing is overwritten).", again.Error.Trim());
        Assert.Equal(before, ModelManifest.Sha256OfFile(model.Fp16.Path));
        Assert.Equal(manifestBefore, File.ReadAllText(ModelManifest.ManifestPathFor(model.Fp16.Path)));

        // A report folder that already holds a report is refused before any model runs; the manifest stays as it was.
        var folder = model["qa-existing"];
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "report.json"), "{}");
        var qa = CliStep.Run("qa", "--reference", model.Fp32, "--candidate", model.Fp16.Path, "--labels", model.HeldOutLabels,
            "--images", model.HeldOutImages, "--report", folder);
        Assert.Equal(2, qa.Code);
        Assert.Contains("already exists", qa.Error);
        Assert.Equal("{}", File.ReadAllText(Path.Combine(folder, "report.json")));
        Assert.Equal(manifestBefore, File.ReadAllText(ModelManifest.ManifestPathFor(model.Fp16.Path)));
    }

    /// <summary>The 1x1 convs of the three class-specific residual attention heads (classifier.csra.{0,1,2}).</summary>
    private static bool IsHeadConv(string node) => node.StartsWith("classifier.csra.", StringComparison.Ordinal);

    private static string Describe(string name, QaResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{name}: mean AUC {r.ReferenceMeanAuc:F4} -> {r.CandidateMeanAuc:F4} (drop {r.MeanAucDrop:F4}, CI of the difference [{r.MeanAucDifferenceLower:F4}, {r.MeanAucDifferenceUpper:F4}]), worst class drop {r.WorstClassAucDrop:F4} ({r.WorstClass}), max |dp| {r.MaxAbsProbabilityDifference:F4}, agreement {100 * r.DecisionAgreement:F2}%, latency FP32 {r.ReferenceLatencyMs:F2} ms / candidate {r.CandidateLatencyMs:F2} ms");

    /// <summary>
    /// The activation damaged by the failure test: the output of layer2's first bottleneck (after its residual
    /// addition and ReLU), which every later layer and all three heads read.
    /// </summary>
    private const string DamagedTensor = "backbone.layer2.0.relu_4";

    private static int ExitCodeOf(QaVerdict verdict) => verdict switch { QaVerdict.Passed => 0, QaVerdict.Inconclusive => 3, _ => 1 };

    /// <summary>Copies a model and its manifest into <paramref name="folder"/> (so a test may rewrite the manifest).</summary>
    private string CopyModel(string path, string folder)
    {
        var target = model[Path.Combine(folder, Path.GetFileName(path))];
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(path, target, overwrite: true);
        File.Copy(ModelManifest.ManifestPathFor(path), ModelManifest.ManifestPathFor(target), overwrite: true);
        return target;
    }

    private string NewKey(string name)
    {
        var keys = model["keys-" + name];
        var step = CliStep.Run("keys", "new", "--out", keys, "--name", name);
        Assert.True(step.Code == 0, step.ToString());
        return Path.Combine(keys, name + ".pem");
    }

    [Fact]
    public void Qa_on_eight_images_exits_with_the_inconclusive_code_3_and_records_the_verdict_signed()
    {
        // The case: 8 images (most classes without a positive) used to give exit 0, "passed".
        var candidate = CopyModel(model.Fp16.Path, "eight");
        var labels = model["eight/labels.csv"];
        File.WriteAllLines(labels, File.ReadAllLines(model.HeldOutLabels).Take(9));
        var key = NewKey("eight");
        var (qa, _) = model.Qa(candidate, model["qa-eight"], labels, "--sign-key", key, "--bootstrap", "200", "--latency-runs", "2");
        log.WriteLine(qa.ToString());
        Assert.True(qa.Code == 3, qa.ToString());
        Assert.Contains("INCONCLUSIVE", qa.Output);
        var manifest = ModelManifest.Load(ModelManifest.ManifestPathFor(candidate));
        Assert.Equal(QaVerdict.Inconclusive, manifest.Qa!.Verdict);
        Assert.False(manifest.Qa.Passed);
        Assert.Equal(8, manifest.Qa.EvaluationSet!.Images);
        Assert.Equal("labels.csv", manifest.Qa.EvaluationSet.Name);
        var trusted = model["keys-eight-trusted"];
        Directory.CreateDirectory(trusted);
        File.Copy(Path.Combine(Path.GetDirectoryName(key)!, "eight.pub.pem"), Path.Combine(trusted, "eight.pub.pem"));
        Assert.Equal(SignatureStatus.Valid, TrustedKeys.Load(trusted).Check(manifest));
        // ...and the box refuses it like a failed one.
        var policy = new ManifestPolicy { TrustedKeys = TrustedKeys.Load(trusted), RequireQaVerdict = true };
        Assert.Equal(RefusalReason.QaInconclusive, Assert.Throws<ModelRefusedException>(() => policy.Load(candidate)).Reason);
    }

    [Fact]
    public void Evaluate_write_thresholds_signs_and_records_the_data_set_by_name_and_fingerprint_and_qa_then_warns()
    {
        var fp32 = CopyModel(model.Fp32, "thresholds");
        var candidate = CopyModel(model.Fp16.Path, "thresholds");
        var key = NewKey("thresholds");
        var evaluate = CliStep.Run("evaluate", "--model", fp32, "--labels", model.HeldOutFirst100Labels, "--images", model.HeldOutImages,
            "--out", model["thresholds/predictions.csv"], "--bootstrap", "0", "--write-thresholds", "--sign-key", key);
        Assert.True(evaluate.Code == 0, evaluate.ToString());
        var manifest = ModelManifest.Load(ModelManifest.ManifestPathFor(fp32));
        Assert.NotNull(manifest.Signature);
        Assert.Equal(ModelManifest.Sha256OfFile(fp32), manifest.OnnxSha256); // the model file is untouched
        var chosenOn = manifest.ThresholdsChosenOn!;
        Assert.Equal(100, chosenOn.Images);
        Assert.DoesNotContain('/', chosenOn.Name);
        // Independent fingerprint: each listed image's SHA-256 and its 0/1 labels, lines sorted, hashed.
        var rows = File.ReadAllLines(model.HeldOutFirst100Labels).Skip(1).Select(l => l.Split(',')).ToArray();
        var lines = rows.Select(r => ModelManifest.Sha256OfFile(Path.Combine(model.HeldOutImages, r[0])) + "," + string.Concat(r.Skip(2))).Order(StringComparer.Ordinal);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines))));
        Assert.Equal(expected, chosenOn.Fingerprint);

        // QA on the same images warns that the thresholds were chosen there (the candidate copies the FP32 thresholds).
        var fp16 = ModelManifest.Load(ModelManifest.ManifestPathFor(candidate));
        (fp16 with { Thresholds = manifest.Thresholds }).Save(ModelManifest.ManifestPathFor(candidate));
        var qa = CliStep.Run("qa", "--reference", fp32, "--candidate", candidate, "--labels", model.HeldOutFirst100Labels, "--images", model.HeldOutImages,
            "--report", model["qa-thresholds"], "--cache", model.Cache, "--bootstrap", "200", "--latency-runs", "2");
        log.WriteLine(qa.ToString());
        Assert.Contains("WARNING: The decision thresholds were chosen on the same images", qa.Output);
    }

    /// <summary>
    /// Copies the INT8 model with the QuantizeLinear scale of <paramref name="tensor"/> multiplied by
    /// <paramref name="factor"/> (edited with the ONNX protobuf classes, not the quantizer) and gives the copy a
    /// manifest with its own SHA-256, as a tampered or mis-calibrated file would arrive. Returns the original scale.
    /// </summary>
    private static float DamageScale(string int8Path, string tensor, float factor, string outPath)
    {
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(int8Path));
        var quantize = proto.Graph.Node.First(n => n.OpType == "QuantizeLinear" && n.Input[0] == tensor);
        var scale = proto.Graph.Initializer.Single(t => t.Name == quantize.Input[1]);
        Assert.Equal((int)TensorProto.Types.DataType.Float, scale.DataType);
        Assert.Empty(scale.Dims); // one scale for the whole tensor
        float original;
        if (scale.RawData.Length == 4)
        {
            original = BitConverter.ToSingle(scale.RawData.Span);
            scale.RawData = ByteString.CopyFrom(BitConverter.GetBytes(original * factor));
        }
        else
        {
            original = scale.FloatData.Single();
            scale.FloatData[0] = original * factor;
        }
        File.WriteAllBytes(outPath, proto.ToByteArray());
        var manifest = ModelManifest.Load(ModelManifest.ManifestPathFor(int8Path));
        (manifest with { OnnxSha256 = ModelManifest.Sha256OfFile(outPath), Qa = null }).Save(ModelManifest.ManifestPathFor(outPath));
        return original;
    }
}
