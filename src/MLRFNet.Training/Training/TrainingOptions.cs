using MLRFNet.Imaging.Transforms;
using MLRFNet.Training.Devices;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Models;

namespace MLRFNet.Training.Training;

/// <summary>
/// Training settings; defaults are the paper's (Section IV-C): Adam, learning rate 1e-4 multiplied by 0.9 every
/// 2 epochs, batch 32, at most 20 epochs, early stopping on validation loss, the biased focal loss.
/// </summary>
public sealed record TrainingOptions
{
    public string Variant { get; init; } = ModelVariants.Default;
    public int Epochs { get; init; } = 20;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Multiplier applied every <see cref="LearningRateStepEpochs"/> epochs (StepLR gamma).</summary>
    public double LearningRateDecay { get; init; } = 0.9;

    public int LearningRateStepEpochs { get; init; } = 2;

    /// <summary>Stop after this many epochs without a lower validation loss; 0 disables early stopping.</summary>
    public int Patience { get; init; } = 5;

    public int Seed { get; init; }

    /// <summary>Intra-op threads for libtorch; on the CPU, all cores by default.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Threads decoding and augmenting batches ahead of the model.</summary>
    public int LoaderWorkers { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    public LossSettings Loss { get; init; } = LossSettings.PaperBiasedFocal;
    public AugmentationOptions Augmentation { get; init; } = AugmentationOptions.Default;

    /// <summary>A PyTorch state_dict (zip) or, for <c>mlrfnet-r18</c>, the ResNet-18 ONNX to initialize the backbone.</summary>
    public string? Pretrained { get; init; }

    /// <summary>Accept a pretrained file that leaves backbone weights missing (otherwise refused).</summary>
    public bool AllowPartialPretrained { get; init; }

    /// <summary>Where decoded, resized images are cached; default <c>RUN_DIR/../.cache</c>.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>Where the model trains: <c>cpu</c> or <c>cuda:N</c> (needs a build with <c>-p:TorchSharpPackage=cuda</c>).</summary>
    public TrainingDevice Device { get; init; } = TrainingDevice.Cpu;

    /// <summary>
    /// Mixed precision (autocast + gradient scaling) on CUDA. Refused for now: TorchSharp 0.107 has no autocast, see
    /// <see cref="MixedPrecision"/>'s check in <see cref="Validate"/>.
    /// </summary>
    public bool MixedPrecision { get; init; }

    /// <summary>Cap on training batches per epoch (quick checks); null = the whole training set.</summary>
    public int? MaxBatchesPerEpoch { get; init; }

    public TrainingOptions Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"--epochs must be at least 1 (got {Epochs}).");
        if (BatchSize < 2) throw new ArgumentException($"--batch-size must be at least 2: BatchNorm needs more than one image per batch (got {BatchSize}).");
        if (!(LearningRate > 0)) throw new ArgumentException($"--lr must be positive (got {LearningRate}).");
        if (!(LearningRateDecay > 0 && LearningRateDecay <= 1)) throw new ArgumentException($"Learning-rate decay must be in (0, 1] (got {LearningRateDecay}).");
        if (LearningRateStepEpochs < 1) throw new ArgumentException($"Learning-rate step must be at least 1 epoch (got {LearningRateStepEpochs}).");
        if (Patience < 0) throw new ArgumentException($"--patience must be 0 (off) or more (got {Patience}).");
        if (Threads < 1) throw new ArgumentException($"--threads must be at least 1 (got {Threads}).");
        if (LoaderWorkers < 1) throw new ArgumentException($"Loader workers must be at least 1 (got {LoaderWorkers}).");
        if (MaxBatchesPerEpoch is < 1) throw new ArgumentException($"Max batches per epoch must be at least 1 (got {MaxBatchesPerEpoch}).");
        if (Pretrained is not null && !File.Exists(Pretrained)) throw new FileNotFoundException($"--pretrained file not found: {Pretrained}", Pretrained);
        if (MixedPrecision && !Device.IsCuda) throw new ArgumentException("--mixed-precision is for CUDA devices; add --device cuda, or leave it out on the CPU.");
        if (MixedPrecision) throw new NotSupportedException(MixedPrecisionSupport.Missing);
        ModelVariants.Get(Variant);
        Loss.Validate();
        Augmentation.Validate();
        return this;
    }

    /// <summary>StepLR: the learning rate of a zero-based epoch, so a resumed run continues the same schedule.</summary>
    public double LearningRateAt(int epoch) => LearningRate * Math.Pow(LearningRateDecay, epoch / LearningRateStepEpochs);
}
