using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Quantization;

/// <summary>
/// Finds where quantization loses accuracy: runs the float and the QDQ model on the same inputs with their
/// intermediate tensors exposed, pairs each float tensor T with the QDQ model's T_DequantizeLinear_Output (through
/// <see cref="TensorNames"/>), and ranks the pairs by SQNR, worst first. Modelled on ORT's qdq_loss_debug.py
/// (https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/qdq_loss_debug.py):
/// both models run unoptimized, so the QDQ model computes in float with fake quantization, which is what the
/// fused integer kernels approximate. Where the quantizer removed a Relu or Clip (U8S8: the QuantizeLinear's
/// saturation clips instead), the value before the QuantizeLinear is the activation's input; the pair's own error
/// is then measured against the activation applied to it, so the intended clipping is not counted as noise.
/// </summary>
public static class QuantizationDebugger
{
    public static QuantizationDebugReport Compare(ModelProto floatModel, ModelProto qdqModel, ICalibrationDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(qdqModel);
        ArgumentNullException.ThrowIfNull(reader);
        var floatIndex = new GraphIndex(floatModel.Graph);
        var qdqIndex = new GraphIndex(qdqModel.Graph);
        var floatTensors = floatIndex.GraphInputs.Concat(floatModel.Graph.Node.SelectMany(n => n.Output)).ToHashSet(StringComparer.Ordinal);

        // (float tensor, QDQ dequantized tensor, QDQ tensor before its QuantizeLinear or null).
        var pairs = new List<(string Float, string Dequantized, string? BeforeQuantize)>();
        var fusedActivations = new Dictionary<string, (float Min, float Max)>(StringComparer.Ordinal);
        foreach (var node in qdqModel.Graph.Node.Where(n => n.OpType == "DequantizeLinear"))
        {
            if (qdqIndex.IsInitializer(node.Input[0])) continue; // a weight or bias
            var output = node.Output[0];
            var name = TensorNames.FloatTensorOf(output) ?? (qdqIndex.GraphOutputs.Contains(output) ? output : null);
            if (name is null || !floatTensors.Contains(name)) continue;
            var quantize = qdqIndex.ProducerOf(node.Input[0]);
            var before = quantize?.OpType == "QuantizeLinear" ? quantize.Input[0] : null;
            pairs.Add((name, output, before));
            if (before is not null && FusedActivationBounds(floatIndex, name, qdqIndex.ProducerOf(before)) is { } bounds)
                fusedActivations[name] = bounds;
        }
        foreach (var output in floatModel.Graph.Output.Select(o => o.Name).Where(o => qdqIndex.GraphOutputs.Contains(o) && pairs.All(p => p.Float != o)))
            pairs.Add((output, output, null));

        var floatNames = pairs.Select(p => p.Float).Distinct(StringComparer.Ordinal).ToArray();
        var qdqNames = pairs.Select(p => p.Dequantized).Concat(pairs.Where(p => p.BeforeQuantize is not null).Select(p => p.BeforeQuantize!))
            .Distinct(StringComparer.Ordinal).ToArray();
        using var floatSession = OrtModelRunner.Create(ActivationCollector.WithOutputs(floatModel, floatNames), new OrtRunnerOptions { Optimize = false });
        using var qdqSession = OrtModelRunner.Create(ActivationCollector.WithOutputs(qdqModel, qdqNames), new OrtRunnerOptions { Optimize = false });

        var cross = pairs.ToDictionary(p => p.Float, _ => new NoiseSums(), StringComparer.Ordinal);
        var local = pairs.Where(p => p.BeforeQuantize is not null).ToDictionary(p => p.Float, _ => new NoiseSums(), StringComparer.Ordinal);
        var batches = 0;
        foreach (var batch in reader.ReadBatches())
        {
            var floats = floatSession.Run(batch, floatNames).ToDictionary(t => t.Name, t => t.Data, StringComparer.Ordinal);
            var qdqs = qdqSession.Run(batch, qdqNames).ToDictionary(t => t.Name, t => t.Data, StringComparer.Ordinal);
            foreach (var (name, dequantized, before) in pairs)
            {
                cross[name].Add(floats[name], qdqs[dequantized]);
                if (before is null) continue;
                local[name].Add(fusedActivations.TryGetValue(name, out var bounds) ? Clamp(qdqs[before], bounds) : qdqs[before], qdqs[dequantized]);
            }
            batches++;
        }
        if (batches == 0) throw new InvalidDataException("The debug data reader gave no batches.");

        var activations = pairs
            .Select(p => new TensorSqnr(p.Float, floatIndex.ProducerOf(p.Float)?.Name, cross[p.Float].Sqnr(),
                local.TryGetValue(p.Float, out var l) ? l.Sqnr() : null, cross[p.Float].Count))
            .OrderBy(a => a.AgainstFloatModel).ThenBy(a => a.Tensor, StringComparer.Ordinal).ToArray();
        return new QuantizationDebugReport(activations, WeightErrors(floatIndex, qdqModel, qdqIndex), batches);
    }

    /// <summary>
    /// The bounds of the Relu/Clip that produced <paramref name="floatTensor"/> in the float model when the QDQ model
    /// computes that tensor's pre-quantization value without it (the activation was fused into the QuantizeLinear);
    /// null otherwise.
    /// </summary>
    private static (float Min, float Max)? FusedActivationBounds(GraphIndex floatIndex, string floatTensor, NodeProto? qdqProducer)
    {
        var activation = floatIndex.ProducerOf(floatTensor);
        if (activation is null || activation.OpType is not ("Relu" or "Clip") || qdqProducer?.OpType == activation.OpType) return null;
        if (activation.OpType == "Relu") return (0f, float.PositiveInfinity);
        // Clip: min/max from attributes (opset < 11) or from optional constant inputs (opset >= 11).
        float Bound(int input, string attribute, float fallback)
        {
            if (activation.Attribute.FirstOrDefault(a => a.Name == attribute) is { } a) return a.F;
            if (activation.Input.Count > input && activation.Input[input].Length > 0
                && floatIndex.Initializers.TryGetValue(activation.Input[input], out var t)) return TensorData.ReadFloats(t)[0];
            return fallback;
        }
        return (Bound(1, "min", float.NegativeInfinity), Bound(2, "max", float.PositiveInfinity));
    }

    private static float[] Clamp(float[] values, (float Min, float Max) bounds)
    {
        var clamped = new float[values.Length];
        for (var i = 0; i < values.Length; i++) clamped[i] = Math.Clamp(values[i], bounds.Min, bounds.Max);
        return clamped;
    }

    private static IReadOnlyList<WeightSqnr> WeightErrors(GraphIndex floatIndex, ModelProto qdqModel, GraphIndex qdqIndex)
    {
        var weights = new List<WeightSqnr>();
        foreach (var node in qdqModel.Graph.Node.Where(n => n.OpType == "DequantizeLinear" && qdqIndex.IsInitializer(n.Input[0])))
        {
            var name = TensorNames.FloatTensorOf(node.Output[0]);
            if (name is null || !floatIndex.Initializers.TryGetValue(name, out var original)) continue;
            var quantized = qdqIndex.Initializers[node.Input[0]];
            if (quantized.DataType == (int)TensorProto.Types.DataType.Int32) continue; // biases: exact to 1/(s_x s_w)
            var values = TensorData.ReadFloats(original);
            var q = TensorData.ReadIntegers(quantized);
            var scales = TensorData.ReadFloats(qdqIndex.Initializers[node.Input[1]]);
            var zeros = TensorData.ReadIntegers(qdqIndex.Initializers[node.Input[2]]);
            var axis = node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 1;
            var dims = original.Dims.ToArray();
            var inner = scales.Length == 1 ? values.Length : dims.Skip((int)axis + 1).Aggregate(1L, (a, d) => a * d);
            var dequantized = new float[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var c = scales.Length == 1 ? 0 : (int)(i / inner % scales.Length);
                dequantized[i] = (q[i] - zeros[c]) * scales[c];
            }
            var sums = new NoiseSums();
            sums.Add(values, dequantized);
            weights.Add(new WeightSqnr(name, sums.Sqnr(), scales.Length));
        }
        return weights.OrderBy(w => w.Sqnr).ToArray();
    }

    /// <summary>Running sums of x^2 and (x - y)^2 over all debug batches.</summary>
    private sealed class NoiseSums
    {
        private double signal;
        private double noise;

        public long Count { get; private set; }

        public void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        {
            if (x.Length != y.Length)
                throw new InvalidDataException($"Paired tensors have {x.Length} and {y.Length} values; the QDQ model does not match the float model.");
            for (var i = 0; i < x.Length; i++)
            {
                signal += (double)x[i] * x[i];
                var d = (double)x[i] - y[i];
                noise += d * d;
            }
            Count += x.Length;
        }

        /// <summary>20 log10(max(||x||, eps) / max(||x - y||, eps)), eps = float64 machine epsilon, as ORT.</summary>
        public double Sqnr() => 20 * Math.Log10(Math.Max(Math.Sqrt(signal), MachineEpsilon) / Math.Max(Math.Sqrt(noise), MachineEpsilon));

        private const double MachineEpsilon = 2.220446049250313e-16;
    }
}
