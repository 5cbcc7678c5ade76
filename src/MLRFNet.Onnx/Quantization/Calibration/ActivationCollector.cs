using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>
/// Runs the FP32 model in ONNX Runtime over the calibration inputs with the requested intermediate tensors added as
/// graph outputs, and streams each tensor's values into a calibrator, batch by batch, so memory stays bounded
/// (ORT's CalibraterBase.augment_graph + collect_data, with graph optimizations off so every tensor exists).
/// </summary>
public static class ActivationCollector
{
    /// <summary>A copy of <paramref name="model"/> whose graph also outputs <paramref name="tensors"/> (untyped: ORT infers them).</summary>
    public static ModelProto WithOutputs(ModelProto model, IEnumerable<string> tensors)
    {
        var augmented = model.Clone();
        var declared = augmented.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var t in tensors)
            if (declared.Add(t)) augmented.Graph.Output.Add(new ValueInfoProto { Name = t });
        return augmented;
    }

    /// <summary>Feeds every batch of <paramref name="reader"/> through the model and <paramref name="tensors"/> into <paramref name="calibrator"/>.</summary>
    /// <returns>The number of batches run.</returns>
    public static int Collect(ModelProto model, IReadOnlyCollection<string> tensors, ICalibrationDataReader reader, ICalibrator calibrator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(calibrator);
        if (tensors.Count == 0) return 0;
        var names = tensors.ToArray();
        using var runner = OrtModelRunner.Create(WithOutputs(model, names), new OrtRunnerOptions { Optimize = false });
        var batches = 0;
        foreach (var batch in reader.ReadBatches())
        {
            var outputs = runner.Run(batch, names);
            foreach (var output in outputs) calibrator.Collect(output.Name, output.Data);
            batches++;
        }
        if (batches == 0)
            throw new InvalidDataException("The calibration data reader gave no batches; give it at least one input.");
        return batches;
    }
}
