using MLRFNet.Core.Manifest;
using MLRFNet.Core.Metrics;
using MLRFNet.Imaging.Datasets;

namespace MLRFNet.Onnx.Qa;

/// <summary>What <see cref="QaJob"/> judges, on which images, and where it writes.</summary>
public sealed record QaJobOptions
{
    /// <summary>The FP32 model the candidate was made from.</summary>
    public required string ReferencePath { get; init; }

    /// <summary>The FP16 or INT8 model, with the manifest <see cref="Quantization.Jobs.QuantizeJob"/> wrote.</summary>
    public required string CandidatePath { get; init; }

    /// <summary>Folder for report.html and report.json (created; existing reports are not overwritten).</summary>
    public required string ReportFolder { get; init; }

    /// <summary>Gate images, held out from training and calibration.</summary>
    public required XrayDataset Images { get; init; }

    /// <summary>The images' name for the record (the labels file's name, never a local path).</summary>
    public required string ImagesName { get; init; }

    public GateThresholdOverrides Thresholds { get; init; } = new();

    /// <summary>Images per inference run while scoring.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Timed batch-1 runs per model (the median is reported).</summary>
    public int LatencyRuns { get; init; } = 20;

    /// <summary>Paired bootstrap resamples for the ΔAUC CIs (0 = none).</summary>
    public int Bootstrap { get; init; } = 1000;

    /// <summary>Preprocessed-image cache folder; null takes the shared default.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>
    /// The training run folder (with its <c>split.json</c>) the reference model came from; when given, gate images
    /// that trained the model or chose its checkpoint (the run's train or validation part) are refused before anything
    /// is scored or written.
    /// </summary>
    public string? RunFolder { get; init; }

    /// <summary>Signs the candidate's manifest with the verdict; null writes it unsigned (clinic boxes refuse it).</summary>
    public SigningKey? SignKey { get; init; }

    /// <summary>The gate settings these options give for a candidate of <paramref name="precision"/>.</summary>
    public QualityGateOptions GateOptions(ModelPrecision precision)
    {
        if (Bootstrap < 0) throw new ArgumentException($"--bootstrap must be 0 or more (got {Bootstrap}).");
        if (BatchSize is < 1 or > Inference.XrayScorerOptions.MaxBatchSize)
            throw new ArgumentException($"--batch-size must be at least 1 and at most {Inference.XrayScorerOptions.MaxBatchSize} (got {BatchSize}).");
        if (LatencyRuns < 1) throw new ArgumentException($"--latency-runs must be at least 1 (got {LatencyRuns}).");
        return new QualityGateOptions
        {
            Precision = precision,
            Thresholds = Thresholds.Resolve(precision),
            BatchSize = BatchSize,
            LatencyRuns = LatencyRuns,
            Evaluation = new EvaluationOptions { Bootstrap = Bootstrap == 0 ? null : new BootstrapOptions { Iterations = Bootstrap } },
        }.Validate();
    }
}

/// <summary>What <see cref="QaJob.Run"/> decided and wrote.</summary>
/// <param name="Written">The candidate's manifest as recorded (signed when a key was given).</param>
public sealed record QaJobResult(QualityGateOutcome Outcome, string HtmlPath, string JsonPath, string ManifestPath, ModelManifest Written)
{
    public QualityGateReport Report => Outcome.Report;
}
