using MLRFNet.Core.Preprocessing;
using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Proto;
using MLRFNet.Imaging.Datasets;

namespace MLRFNet.Onnx.Quantization.Jobs;

/// <summary>
/// Calibration batches streamed from a labelled image set through the model's preprocessing
/// (<see cref="DatasetTensors"/>), a few images per run: ActivationCollector exposes every intermediate tensor of
/// the model as an output, and for Res2Net-50 at 224 px those come to ~100 MB per image, so batches stay small
/// (1-4) and nothing but the current batch is held in memory. Re-iterable (the debugger and the fallback read it
/// again); the preprocessed-image cache makes later passes cheap.
/// </summary>
public sealed class DatasetCalibrationReader : ICalibrationDataReader
{
    private readonly XrayDataset dataset;
    private readonly PreprocessingSpec spec;
    private readonly PreprocessedCache cache;
    private readonly string inputName;
    private readonly int batchSize;
    private readonly HashSet<string> unreadable = new(StringComparer.Ordinal);

    public DatasetCalibrationReader(XrayDataset dataset, PreprocessingSpec spec, PreprocessedCache cache, string inputName, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentException($"--calibration-batch-size must be at least 1 (got {batchSize}).");
        this.dataset = dataset;
        this.spec = spec.Validate();
        this.cache = cache;
        this.inputName = inputName;
        this.batchSize = batchSize;
    }

    /// <summary>Images read in the last completed pass.</summary>
    public int ImagesRead { get; private set; }

    /// <summary>"name: reason" of every image skipped because it could not be read.</summary>
    public IReadOnlyCollection<string> Unreadable => unreadable;

    public IEnumerable<IReadOnlyList<NamedTensor>> ReadBatches()
    {
        var loader = DatasetTensors.Loader(dataset, spec, cache, batchSize);
        var shape = DatasetTensors.SampleShape(spec);
        var read = 0;
        foreach (var batch in loader.Epoch(0).ToBlockingEnumerable())
        {
            read += batch.Count;
            yield return [new NamedTensor(inputName, batch.Images, [batch.Count, .. shape])];
        }
        ImagesRead = read;
        unreadable.UnionWith(loader.Unreadable);
        if (read == 0)
            throw new InvalidDataException($"None of the {dataset.Count} calibration images could be read: {string.Join("; ", loader.Unreadable.Take(3))}");
    }
}
