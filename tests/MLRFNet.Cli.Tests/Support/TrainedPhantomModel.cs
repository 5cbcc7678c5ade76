using System.Diagnostics;
using MLRFNet.Core.Manifest;
using MLRFNet.Imaging.Synthetic;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Training;

namespace MLRFNet.Cli.Tests.Support;

/// <summary>A finished <c>mlrfnet</c> run: exit code, stdout, stderr, wall time.</summary>
public sealed record CliStep(int Code, string Output, string Error, double Seconds)
{
    public static CliStep Run(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var (code, output, error) = CliProcess.Run(args);
        return new CliStep(code, output, error, clock.Elapsed.TotalSeconds);
    }

    public override string ToString() => $"exit {Code} after {Seconds:F1} s\n{Output}\n{Error}";
}

/// <summary>A model written by <c>mlrfnet quantize</c>, with its manifest as it was right after quantizing.</summary>
public sealed record QuantizedModel(string Path, CliStep Step, ModelManifest ManifestAfterQuantize);

/// <summary>A <c>mlrfnet qa</c> run against the FP32 model on the held-out phantoms, and its report folder.</summary>
public sealed record QaRun(CliStep Step, string ReportFolder);

/// <summary>
/// Shared by the quantize/qa tests (built once per test class): <c>mlrfnet-tiny</c> trained in-process on 320
/// phantoms (256 px, 8 epochs, lr 2e-3: the recipe TrainerTests shows reaching a validation AUC of at least 0.9),
/// exported with <c>mlrfnet export</c>, converted by <c>mlrfnet quantize</c> to FP16, to INT8 S8S8 (--target tensorrt,
/// with --debug) and to INT8 U8S8 (no --target or --scheme: the default; both calibrated on 64 training phantoms), and 600 phantoms of another seed that
/// no step has seen, for the gate. A model that learnt nothing would give AUCs near 0.5, whose deltas say nothing
/// about quantization. Each step runs once, on first use, whatever the test order.
/// </summary>
/// <remarks>
/// Why 600 gate images: the tiny model learns Nodule (a small spot) only weakly (AUC ~0.6), and on a near-chance
/// class INT8 noise reorders many images. Measured on one trained model, S8S8 at 5 calibration sizes (32-128
/// images): Nodule dAUC -0.012..+0.017 on 200 gate images, -0.012..+0.008 on 600; U8S8 on 600: -0.002..+0.005.
/// </remarks>
public sealed class TrainedPhantomModel : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly Lazy<QuantizedModel> fp16;
    private readonly Lazy<QuantizedModel> int8;
    private readonly Lazy<QuantizedModel> int8U8S8;
    private readonly Dictionary<string, Lazy<QaRun>> qa = [];

    public TrainedPhantomModel()
    {
        var clock = Stopwatch.StartNew();
        TrainLabels = PhantomDataset.Write(folder["train"], 320, seed: 1, size: 256);
        TrainImages = folder["train/images"];
        HeldOutLabels = PhantomDataset.Write(folder["held-out"], HeldOutImageCount, seed: 2, size: 256);
        HeldOutImages = folder["held-out/images"];
        var dataset = LabelledFolderDataset.Load(TrainLabels, TrainImages);
        var split = PatientSplit.TrainValidation(dataset, 0.25, seed: 0);
        var options = new TrainingOptions
        {
            Variant = "mlrfnet-tiny", Epochs = 8, BatchSize = 16, LearningRate = 2e-3, Patience = 0, Seed = 3,
            CacheFolder = folder["train-cache"],
        };
        var result = new Trainer(options).Run(split, folder["run"]);
        BestValidationAuc = result.Epochs.Max(e => e.ValidationMeanAuc ?? 0);
        TrainingSeconds = clock.Elapsed.TotalSeconds;

        Fp32 = folder["models/fp32.onnx"];
        Export = CliStep.Run("export", "--checkpoint", result.BestCheckpoint, "--out", Fp32);
        if (Export.Code != 0) throw new InvalidOperationException("mlrfnet export failed: " + Export);

        var calibration = new[] { "--calibration-labels", TrainLabels, "--calibration-images", TrainImages,
            "--max-calibration-images", CalibrationImages.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cache", Cache };
        fp16 = new(() => Quantize("fp16.onnx", "--precision", "fp16"));
        int8 = new(() => Quantize("int8.onnx", ["--precision", "int8", "--target", "tensorrt", .. calibration, "--debug"]));
        int8U8S8 = new(() => Quantize("int8-u8s8.onnx", ["--precision", "int8", .. calibration]));
        foreach (var (name, model) in new (string, Func<QuantizedModel>)[] { ("fp16", () => Fp16), ("int8", () => Int8), ("int8-u8s8", () => Int8U8S8) })
            qa[name] = new(() => Qa(model().Path, folder["qa-" + name]));
    }

    public const int CalibrationImages = 64;
    public const int HeldOutImageCount = 600;

    public string TrainLabels { get; }
    public string TrainImages { get; }
    public string HeldOutLabels { get; }
    public string HeldOutImages { get; }

    /// <summary>The exported FP32 model (its manifest beside it).</summary>
    public string Fp32 { get; }

    public CliStep Export { get; }

    /// <summary>Preprocessed-image cache of the quantize/qa runs (not the system temp one, so runs start cold and clean).</summary>
    public string Cache => folder["cache"];

    public QuantizedModel Fp16 => fp16.Value;

    /// <summary>INT8 S8S8 for TensorRT (<c>--target tensorrt</c>), quantized with --debug.</summary>
    public QuantizedModel Int8 => int8.Value;

    /// <summary>INT8 as <c>mlrfnet quantize --precision int8</c> makes it without --target or --scheme (U8S8 for the CPU).</summary>
    public QuantizedModel Int8U8S8 => int8U8S8.Value;

    /// <summary>
    /// A labels file listing the first 100 held-out images, for runs that only need an obvious verdict (a damaged
    /// model, a ruined calibration) and should not pay for scoring all 600.
    /// </summary>
    public string HeldOutFirst100Labels
    {
        get
        {
            var path = folder["held-out/first100.csv"];
            if (!File.Exists(path)) File.WriteAllLines(path, File.ReadAllLines(HeldOutLabels).Take(101));
            return path;
        }
    }

    /// <summary>The qa run of "fp16", "int8" or "int8-u8s8" (run once, on first use).</summary>
    public QaRun QaOf(string candidate) => qa[candidate].Value;

    /// <summary><c>mlrfnet qa</c> of <paramref name="candidate"/> against the FP32 model on the held-out phantoms.</summary>
    public QaRun Qa(string candidate, string reportFolder, params string[] extra) => Qa(candidate, reportFolder, HeldOutLabels, extra);

    public QaRun Qa(string candidate, string reportFolder, string labels, params string[] extra) =>
        new(CliStep.Run(["qa", "--reference", Fp32, "--candidate", candidate, "--labels", labels, "--images", HeldOutImages,
            "--report", reportFolder, "--cache", Cache, .. extra]), reportFolder);

    public double BestValidationAuc { get; }
    public double TrainingSeconds { get; }

    /// <summary>A path in the fixture's folder, for a test's outputs (tests give distinct names).</summary>
    public string this[string relative] => folder[relative];

    public void Dispose() => folder.Dispose();

    private QuantizedModel Quantize(string name, params string[] args)
    {
        var path = folder["models/" + name];
        var step = CliStep.Run(["quantize", "--model", Fp32, "--out", path, .. args]);
        if (step.Code != 0) throw new InvalidOperationException($"mlrfnet quantize {string.Join(' ', args)} failed: {step}");
        return new QuantizedModel(path, step, ModelManifest.Load(ModelManifest.ManifestPathFor(path)));
    }
}
