using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Quantization;

/// <summary>One round of the fallback: the nodes kept float so far and whether the gate passed.</summary>
public sealed record FallbackStep(IReadOnlyList<string> FloatNodes, bool Passed, string? WorstTensor, double? WorstSqnr);

/// <summary>Outcome of <see cref="AccuracyAwareFallback.Run"/>.</summary>
/// <param name="Result">The last quantization (the passing one when <paramref name="Passed"/>).</param>
/// <param name="Passed">Whether the gate accepted it.</param>
/// <param name="KeptInFloat">Nodes the fallback excluded, in the order it did.</param>
/// <param name="Steps">Each gate evaluation.</param>
public sealed record FallbackResult(QuantizationResult Result, bool Passed, IReadOnlyList<string> KeptInFloat, IReadOnlyList<FallbackStep> Steps);

/// <summary>
/// Accuracy-aware fallback: quantize, ask the gate; while it fails, keep in float the quantized layer whose own
/// Q/DQ adds the most noise (lowest SQNR at its Q/DQ pair, from <see cref="QuantizationDebugger"/>) and quantize
/// again, until the gate passes or <paramref name="maxFloatNodes"/> layers are float. Ranking by the local SQNR,
/// not the accumulated one, picks the layer that quantizes badly rather than simply the deepest one. Calibration
/// runs once; later rounds reuse its ranges.
/// </summary>
public static class AccuracyAwareFallback
{
    public static FallbackResult Run(ModelProto floatModel, ICalibrationDataReader reader, QuantizationOptions options,
        Func<ModelProto, bool> gate, int maxFloatNodes = 8)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFloatNodes);
        var named = floatModel.Clone();
        OnnxModelFile.NameUnnamedNodes(named.Graph);
        var index = new GraphIndex(named.Graph);
        var cache = new Dictionary<string, TensorRange>(StringComparer.Ordinal);
        var kept = new List<string>();
        var steps = new List<FallbackStep>();
        while (true)
        {
            var current = options with { ExcludedNodeNames = [.. options.ExcludedNodeNames, .. kept] };
            var result = QdqQuantizer.Quantize(named, reader, current, cache);
            var passed = gate(result.Model);
            if (passed || kept.Count >= maxFloatNodes)
            {
                steps.Add(new FallbackStep(kept.ToArray(), passed, null, null));
                return new FallbackResult(result, passed, kept.ToArray(), steps);
            }

            var report = QuantizationDebugger.Compare(named, result.Model, reader);
            var candidate = report.Activations
                .Where(a => a.AtThisQdq is not null)
                .OrderBy(a => a.AtThisQdq)
                .Select(a => (a.Tensor, a.AtThisQdq, Node: LayerOf(a.Tensor, index, result)))
                .FirstOrDefault(c => c.Node is not null && !kept.Contains(c.Node));
            if (candidate.Node is null)
            {
                steps.Add(new FallbackStep(kept.ToArray(), false, null, null));
                return new FallbackResult(result, false, kept.ToArray(), steps);
            }
            steps.Add(new FallbackStep(kept.ToArray(), false, candidate.Tensor, candidate.AtThisQdq));
            kept.Add(candidate.Node);
        }
    }

    /// <summary>
    /// The quantized node a tensor belongs to: its producer, or for a Relu/Clip output (kept or fused into its
    /// producer) the node computing the Relu's input, since that is the layer whose quantization sets the range.
    /// Null for graph inputs and for nodes that are not quantized.
    /// </summary>
    private static string? LayerOf(string tensor, GraphIndex index, QuantizationResult result)
    {
        var producer = index.ProducerOf(tensor);
        if (producer is { OpType: "Relu" or "Clip" } && index.ProducerOf(producer.Input[0]) is { } upstream) producer = upstream;
        return producer is not null && result.QuantizedNodes.Contains(producer.Name) ? producer.Name : null;
    }
}
