namespace MLRFNet.Onnx.Quantization;

/// <summary>A weight (initializer) to quantize to int8, per channel along <paramref name="Axis"/> or per tensor (null).</summary>
public sealed record WeightMark(string Tensor, int? Axis);

/// <summary>A bias (initializer) to quantize to int32 with scale = scale(Input) * scale(Weight), zero point 0.</summary>
public sealed record BiasMark(string Bias, string Input, string Weight, string Node);

/// <summary>
/// An activation to quantize with a QuantizeLinear/DequantizeLinear pair. With <paramref name="SharedWith"/> set, it
/// reuses that tensor's scale and zero point instead of its own (ORT's QDQQuantParamProvider: outputs of
/// MaxPool, Split, Reshape... carry their input's values, so the same parameters represent them exactly).
/// </summary>
public sealed record ActivationMark(string Tensor, string? SharedWith);

/// <summary>An activation node dropped because the quantization of its input's producer does its job (Relu/Clip fusion).</summary>
public sealed record FusedActivation(string Node, string Input, string Output);

/// <summary>What the op quantizers marked: the driver turns it into Q/DQ nodes.</summary>
public sealed class QuantizationPlan
{
    internal Dictionary<string, ActivationMark> Activations { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, WeightMark> Weights { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, BiasMark> Biases { get; } = new(StringComparer.Ordinal);
    internal List<FusedActivation> Fused { get; } = [];
    internal HashSet<string> QuantizedNodes { get; } = new(StringComparer.Ordinal);
    internal HashSet<string> UnitNodes { get; } = new(StringComparer.Ordinal);

    public IReadOnlyCollection<ActivationMark> ActivationMarks => Activations.Values;
    public IReadOnlyCollection<WeightMark> WeightMarks => Weights.Values;
    public IReadOnlyCollection<BiasMark> BiasMarks => Biases.Values;
    public IReadOnlyList<FusedActivation> FusedActivations => Fused;

    /// <summary>
    /// Drops Q/DQ pairs that only feed float nodes, and then any op quantized as a unit that lost its output: a
    /// pair in front of nodes that stay float adds rounding and no integer kernel. Typical case: the head's last
    /// Add or MatMul before an output Sigmoid kept float, whose int8 output would give the probabilities only 256
    /// distinct values. Repeats until nothing changes.
    /// </summary>
    internal void PruneDeadEnds(global::MLRFNet.Onnx.Quantization.Proto.GraphIndex index)
    {
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var mark in Activations.Values.ToList())
            {
                var consumers = index.ConsumersOf(mark.Tensor);
                if (consumers.Count == 0 || consumers.Any(c => QuantizedNodes.Contains(c.Name))) continue;
                if (Activations.Values.Any(a => a.SharedWith == mark.Tensor)) continue;
                Activations.Remove(mark.Tensor);
                changed = true;
                if (index.ProducerOf(mark.Tensor) is { } producer && UnitNodes.Remove(producer.Name))
                    QuantizedNodes.Remove(producer.Name);
            }
        }
    }

    /// <summary>Activation tensors needing calibrated ranges (own parameters, not constants).</summary>
    public IReadOnlyList<string> TensorsToCalibrate(Func<string, bool> isInitializer) =>
        Activations.Values.Where(a => a.SharedWith is null && !isInitializer(a.Tensor)).Select(a => a.Tensor).ToArray();
}
