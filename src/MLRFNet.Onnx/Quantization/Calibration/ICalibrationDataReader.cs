using MLRFNet.Onnx.Quantization.Proto;

namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>
/// Supplies calibration inputs, one list of named input tensors per model run (ORT's CalibrationDataReader).
/// The CLI implements it over images passed through the model's own preprocessing; tests over synthetic tensors.
/// The enumeration may be repeated (calibration, then the debugger), so implementations must be re-iterable.
/// </summary>
public interface ICalibrationDataReader
{
    IEnumerable<IReadOnlyList<NamedTensor>> ReadBatches();
}

/// <summary>
/// Calibration inputs held in memory for a single-input model: each sample is one preprocessed tensor of
/// <paramref name="sampleShape"/> (e.g. [3, 224, 224]); samples are stacked into batches of
/// <paramref name="batchSize"/> along a new first axis.
/// </summary>
public sealed class TensorListDataReader : ICalibrationDataReader
{
    private readonly string inputName;
    private readonly long[] sampleShape;
    private readonly IReadOnlyList<float[]> samples;
    private readonly int batchSize;

    public TensorListDataReader(string inputName, long[] sampleShape, IReadOnlyList<float[]> samples, int batchSize = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputName);
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (samples.Count == 0)
            throw new ArgumentException("No calibration samples: give at least one preprocessed input (a few hundred is usual).", nameof(samples));
        var size = sampleShape.Aggregate(1L, (a, d) => a * d);
        for (var i = 0; i < samples.Count; i++)
            if (samples[i].Length != size)
                throw new ArgumentException(
                    $"Calibration sample {i} has {samples[i].Length} values; shape [{string.Join(",", sampleShape)}] needs {size}.", nameof(samples));
        this.inputName = inputName;
        this.sampleShape = sampleShape;
        this.samples = samples;
        this.batchSize = batchSize;
    }

    public int Count => samples.Count;

    public IEnumerable<IReadOnlyList<NamedTensor>> ReadBatches()
    {
        var size = samples[0].Length;
        for (var start = 0; start < samples.Count; start += batchSize)
        {
            var n = Math.Min(batchSize, samples.Count - start);
            var data = new float[n * size];
            for (var i = 0; i < n; i++) samples[start + i].CopyTo(data, i * size);
            yield return [new NamedTensor(inputName, data, [n, .. sampleShape])];
        }
    }
}
