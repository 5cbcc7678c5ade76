namespace MLRFNet.Onnx.Quantization;

/// <summary>
/// Signal-to-quantization-noise ratio of one activation over the debug inputs, in dB: 20 log10(||x|| / ||x - y||)
/// (ORT's qdq_loss_debug.compute_signal_to_quantization_noice_ratio). Higher is better; each bit of precision
/// adds about 6 dB, so int8 layers usually sit at 25-45 dB.
/// </summary>
/// <param name="Tensor">The float model's tensor name.</param>
/// <param name="Node">The float model's node that produces it (null for a graph input).</param>
/// <param name="AgainstFloatModel">x = the float model's tensor, y = the QDQ model's dequantized one: the error
/// accumulated from the input up to here (ORT's "xmodel_err").</param>
/// <param name="AtThisQdq">x = the QDQ model's tensor before its QuantizeLinear, y = after its DequantizeLinear: the
/// error this one Q/DQ pair adds (ORT's "qdq_err"); null for graph outputs left float.</param>
/// <param name="Values">Values compared (elements over all debug inputs).</param>
public sealed record TensorSqnr(string Tensor, string? Node, double AgainstFloatModel, double? AtThisQdq, long Values);

/// <summary>SQNR of a quantized weight: float initializer vs its dequantized int8 values.</summary>
public sealed record WeightSqnr(string Weight, double Sqnr, int Channels);

/// <summary>The debugger's findings, worst first.</summary>
/// <param name="Activations">Quantized activations and float graph outputs, lowest <see cref="TensorSqnr.AgainstFloatModel"/> first.</param>
/// <param name="Weights">Quantized weights, lowest SQNR first.</param>
/// <param name="Batches">Debug batches run.</param>
public sealed record QuantizationDebugReport(IReadOnlyList<TensorSqnr> Activations, IReadOnlyList<WeightSqnr> Weights, int Batches)
{
    /// <summary>A plain-text table of the <paramref name="top"/> worst activations, for the CLI's --debug.</summary>
    public string ToTable(int top = 10)
    {
        var lines = new List<string> { $"{"tensor",-40} {"node",-24} {"vs FP32 dB",10} {"at Q/DQ dB",10}" };
        lines.AddRange(Activations.Take(top).Select(a =>
            $"{a.Tensor,-40} {a.Node ?? "(input)",-24} {a.AgainstFloatModel,10:F1} {(a.AtThisQdq is { } q ? q.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "-"),10}"));
        return string.Join(Environment.NewLine, lines);
    }
}
