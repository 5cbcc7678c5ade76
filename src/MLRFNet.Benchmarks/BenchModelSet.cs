using MLRFNet.Core.Manifest;
using MLRFNet.Export;
using MLRFNet.Onnx.Float16;
using MLRFNet.Onnx.Qa;
using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Proto;
using MLRFNet.Training.Checkpoints;

namespace MLRFNet.Benchmarks;

/// <summary>One ONNX model of the benchmark and where it came from.</summary>
/// <param name="Path">The .onnx file; its manifest is beside it.</param>
/// <param name="Source">"given" (file and manifest as passed), "given, bench manifest" (file passed without a manifest)
/// or "made from the checkpoint".</param>
/// <param name="Scheme">An INT8 model's scheme ("U8S8", "S8S8"); null for FP32/FP16 or a graph of mixed types.</param>
public sealed record BenchModel(ModelPrecision Precision, string Path, string Source, long Bytes, string? Scheme = null)
{
    /// <summary>The precision as the tables show it, with the INT8 scheme: "FP32", "INT8 U8S8".</summary>
    public string Label => Scheme is null ? Precision.ToString().ToUpperInvariant() : $"{Precision.ToString().ToUpperInvariant()} {Scheme}";
}

/// <summary>
/// The FP32, FP16 and INT8 ONNX models to benchmark: the given files, or made here from the checkpoint with the
/// toolchain's own library calls (<see cref="CheckpointExporter"/>, <see cref="Float16Converter"/>,
/// <see cref="QdqQuantizer"/> calibrated on phantoms through the model's preprocessing). INT8 made here comes in every
/// scheme of <see cref="BenchSettings.Int8Schemes"/> (default U8S8 and S8S8), so one run shows which is faster here.
/// </summary>
public static class BenchModelSet
{
    /// <summary>
    /// What a manifest written here says in place of a QA result. The edge service refuses FP16/INT8 models without a
    /// passed QA record; these models exist only to be timed in a scratch folder, so their record says in every field
    /// a person reads that accuracy was NOT checked, and the scratch folder is deleted after the run.
    /// </summary>
    public const string UncheckedNotice = "NOT EVALUATED: speed-benchmark model made by `mlrfnet-bench`; accuracy was never checked. Do not deploy.";

    /// <summary>
    /// The models of the selected engines (fp32, fp16, int8: one per scheme when made here), in that order; FP32 is
    /// made whenever another is made from it.
    /// </summary>
    public static IReadOnlyList<BenchModel> Prepare(BenchSettings settings, CheckpointConfig config, string scratch, Action<string> log)
    {
        var folder = Path.Combine(scratch, "models");
        Directory.CreateDirectory(folder);
        if (!settings.Runs("fp32") && !settings.Runs("fp16") && !settings.Runs("int8")) return [];
        var fp32 = settings.Fp32Model is { } given32
            ? Given(given32, ModelPrecision.Fp32, null, config, folder)
            : Export(settings.Checkpoint, Path.Combine(folder, "bench-fp32.onnx"), log);
        var models = new List<BenchModel>();
        if (settings.Runs("fp32")) models.Add(fp32);
        if (settings.Runs("fp16"))
            models.Add(settings.Fp16Model is { } given16
                ? Given(given16, ModelPrecision.Fp16, fp32, config, folder)
                : MakeFp16(fp32, Path.Combine(folder, "bench-fp16.onnx"), log));
        if (settings.Runs("int8"))
        {
            if (settings.Int8Model is { } given8)
                models.Add(Given(given8, ModelPrecision.Int8, fp32, config, folder) with { Scheme = SchemeOf(given8) });
            else
                foreach (var scheme in settings.Int8Schemes)
                    models.Add(MakeInt8(fp32, Path.Combine(folder, $"bench-int8-{scheme.ToString().ToLowerInvariant()}.onnx"), config, settings, scheme, log));
        }
        SignForThisRun(folder);
        return models;
    }

    /// <summary>
    /// Folder of the public key that signed the scratch models (see <see cref="SignForThisRun"/>): <c>trusted-keys</c>
    /// beside the model. A given model without one falls back to the repository's layout, <c>keys/trusted</c> beside it
    /// (models/chestxray14-demo.onnx is signed by models/keys/trusted's demo key).
    /// </summary>
    public static string TrustedKeysFolder(string modelPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        var own = Path.Combine(folder, "trusted-keys");
        var repository = Path.Combine(folder, "keys", "trusted");
        return !Directory.Exists(own) && Directory.Exists(repository) ? repository : own;
    }

    /// <summary>
    /// The service only runs models whose manifests a trusted key signed. The scratch models are signed with a key made
    /// for this run alone, whose public half is the only one the benchmarked service is told to trust; the key is
    /// thrown away with the scratch folder, so nothing it signed can be trusted anywhere else.
    /// </summary>
    private static void SignForThisRun(string folder)
    {
        using var key = SigningKey.Create();
        var trusted = Path.Combine(folder, "trusted-keys");
        Directory.CreateDirectory(trusted);
        File.WriteAllText(Path.Combine(trusted, "bench-run.pub.pem"), key.PublicKeyPem());
        foreach (var manifest in Directory.GetFiles(folder, "*.manifest.json"))
            key.Sign(ModelManifest.Load(manifest)).Save(manifest);
    }

    private static BenchModel Export(string checkpoint, string path, Action<string> log)
    {
        var result = CheckpointExporter.Export(checkpoint, path, new ExportOptions { ModelName = "bench-fp32", ModelVersion = "bench" });
        log($"exported FP32 ONNX ({result.OnnxBytes / 1048576.0:F1} MiB) in {result.Elapsed.TotalSeconds:F1} s");
        return new BenchModel(ModelPrecision.Fp32, path, "made from the checkpoint", result.OnnxBytes);
    }

    private static BenchModel MakeFp16(BenchModel fp32, string path, Action<string> log)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Float16Converter.Convert(fp32.Path, path);
        WriteDerivedManifest(fp32, path, ModelPrecision.Fp16, calibration: null);
        log($"made FP16 ONNX ({result.ConvertedTensors} tensors, {result.CastsInserted} casts) in {clock.Elapsed.TotalSeconds:F1} s");
        return new BenchModel(ModelPrecision.Fp16, path, "made from the checkpoint", new FileInfo(path).Length);
    }

    private static BenchModel MakeInt8(BenchModel fp32, string path, CheckpointConfig config, BenchSettings settings, QuantizationScheme scheme, Action<string> log)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var p = config.Preprocessing;
        // Calibration phantoms are numbered after the timed inputs, so the INT8 ranges never saw the timed images.
        var samples = PhantomInputs.Tensors(p, settings.CalibrationImages, settings.PhantomSize, first: 1000);
        var reader = new TensorListDataReader(GraphNames.Image, [p.Channels, p.CropSize, p.CropSize], samples, batchSize: 4);
        var result = QdqQuantizer.Quantize(fp32.Path, path, reader, new QuantizationOptions { Scheme = scheme });
        var calibration = $"{scheme}, MinMax over {settings.CalibrationImages} chest phantoms (seed {PhantomInputs.Seed}, {settings.PhantomSize} px) through the model's preprocessing";
        WriteDerivedManifest(fp32, path, ModelPrecision.Int8, calibration);
        log($"made INT8 {scheme} QDQ ONNX ({result.QuantizedNodes.Count} quantized nodes, {result.CalibrationBatches} calibration batches) in {clock.Elapsed.TotalSeconds:F1} s");
        return new BenchModel(ModelPrecision.Int8, path, $"made from the checkpoint ({scheme}, calibrated on {settings.CalibrationImages} phantoms)", new FileInfo(path).Length, scheme.ToString());
    }

    /// <summary>A QDQ graph's scheme from its activations' zero-point type (uint8: U8S8, int8: S8S8); null when mixed or none.</summary>
    public static string? SchemeOf(string path)
    {
        var graph = OnnxModelFile.Load(path).Graph;
        var types = graph.Node.Where(n => n.OpType == "QuantizeLinear" && n.Input.Count > 2)
            .Select(n => graph.Initializer.FirstOrDefault(t => t.Name == n.Input[2])?.DataType)
            .Distinct().ToArray();
        return types switch
        {
            [(int)global::Onnx.TensorProto.Types.DataType.Uint8] => nameof(QuantizationScheme.U8S8),
            [(int)global::Onnx.TensorProto.Types.DataType.Int8] => nameof(QuantizationScheme.S8S8),
            _ => null,
        };
    }

    /// <summary>
    /// A given file: checked to be of the precision it was passed as; used in place with its manifest, or timed from a
    /// scratch copy with a bench manifest when it has none (the scorer and the service need one) or when it is an
    /// FP16/INT8 model whose manifest has no passed QA (the service would refuse it; the given manifest is not touched).
    /// </summary>
    private static BenchModel Given(string path, ModelPrecision precision, BenchModel? fp32, CheckpointConfig config, string folder)
    {
        var detected = ModelPrecisionDetector.Detect(OnnxModelFile.Load(path));
        if (detected != precision)
            throw new ArgumentException($"'{path}' was given as the {precision} model but its graph is {detected}; check the --fp32/--fp16/--int8 options.");
        var manifestPath = ModelManifest.ManifestPathFor(path);
        var uncheckedQa = precision == ModelPrecision.Fp32 ? null : UncheckedQa(fp32!);
        if (File.Exists(manifestPath))
        {
            var manifest = ModelManifest.Load(manifestPath);
            if (!manifest.Labels.SequenceEqual(config.LabelSet.Labels))
                throw new ArgumentException($"'{path}' has labels [{string.Join(", ", manifest.Labels)}] but the checkpoint has [{string.Join(", ", config.LabelSet.Labels)}]; benchmark models of the same checkpoint.");
            if (precision == ModelPrecision.Fp32 || manifest.Qa is { Passed: true })
                return new BenchModel(precision, Path.GetFullPath(path), "given", new FileInfo(path).Length);
            return ScratchCopy(path, precision, folder, manifest with { Qa = uncheckedQa },
                $"given (its QA {(manifest.Qa is null ? "never ran" : "failed")}; timed from a scratch copy)");
        }
        var bench = new ModelManifest
        {
            ModelName = $"given-{precision.ToString().ToLowerInvariant()}",
            ModelVersion = "bench",
            Architecture = config.Variant.Name,
            Precision = precision,
            LabelSetName = config.LabelSet.Name,
            Labels = [.. config.LabelSet.Labels],
            Preprocessing = config.Preprocessing,
            OnnxSha256 = ModelManifest.Sha256OfFile(path),
            ReferenceModelSha256 = fp32 is null ? null : ModelManifest.Sha256OfFile(fp32.Path),
            Qa = uncheckedQa,
        };
        return ScratchCopy(path, precision, folder, bench, "given, bench manifest (no QA)");
    }

    /// <summary>Copies <paramref name="path"/> into the scratch folder with <paramref name="manifest"/> beside it.</summary>
    private static BenchModel ScratchCopy(string path, ModelPrecision precision, string folder, ModelManifest manifest, string source)
    {
        var copy = Path.Combine(folder, $"given-{precision.ToString().ToLowerInvariant()}.onnx");
        File.Copy(path, copy, overwrite: true);
        manifest.Validate().Save(ModelManifest.ManifestPathFor(copy));
        return new BenchModel(precision, copy, source, new FileInfo(copy).Length);
    }

    private static void WriteDerivedManifest(BenchModel fp32, string path, ModelPrecision precision, string? calibration)
    {
        var reference = ModelManifest.Load(ModelManifest.ManifestPathFor(fp32.Path));
        (reference with
        {
            ModelName = $"bench-{precision.ToString().ToLowerInvariant()}",
            ModelVersion = "bench-unchecked",
            Precision = precision,
            OnnxSha256 = ModelManifest.Sha256OfFile(path),
            ReferenceModelSha256 = reference.OnnxSha256,
            CalibrationData = calibration,
            Qa = UncheckedQa(fp32),
            CreatedUtc = DateTimeOffset.UtcNow,
        }).Validate().Save(ModelManifest.ManifestPathFor(path));
    }

    private static QaResult UncheckedQa(BenchModel fp32) => new()
    {
        // The service only starts reduced-precision models with a passed record; see UncheckedNotice.
        Passed = true,
        ReferenceSha256 = ModelManifest.Sha256OfFile(fp32.Path),
        EvaluationData = UncheckedNotice,
        Images = 0,
    };
}
