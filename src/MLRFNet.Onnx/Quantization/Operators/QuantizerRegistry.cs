namespace MLRFNet.Onnx.Quantization.Operators;

/// <summary>
/// Op type -> op quantizer. Op types not listed stay float (their inputs may still be dequantized outputs of
/// quantized neighbours), as ORT's registry.py (QDQRegistry, https://github.com/microsoft/onnxruntime/blob/main/onnxruntime/python/tools/quantization/registry.py)
/// falls back for unknown ops.
/// </summary>
public sealed class QuantizerRegistry
{
    private readonly Dictionary<string, IOpQuantizer> quantizers = new(StringComparer.Ordinal);

    /// <summary>The op types MLRFNet's graphs need, with the quantizer ORT uses for each.</summary>
    public static QuantizerRegistry Default { get; } = CreateDefault();

    public IReadOnlyCollection<string> OpTypes => quantizers.Keys;

    /// <summary>Registers <paramref name="quantizer"/> for <paramref name="opType"/>; a second registration of the same op type is a bug and throws.</summary>
    public QuantizerRegistry Add(string opType, IOpQuantizer quantizer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(quantizer);
        if (!quantizers.TryAdd(opType, quantizer))
            throw new ArgumentException($"Op type '{opType}' already has a quantizer ({quantizers[opType].GetType().Name}).", nameof(opType));
        return this;
    }

    public bool TryGet(string opType, out IOpQuantizer quantizer) => quantizers.TryGetValue(opType, out quantizer!);

    private static QuantizerRegistry CreateDefault()
    {
        var unit = new UnitOpQuantizer();
        var pool = new SharedParametersQuantizer(quantizesInput: true);
        var movement = new SharedParametersQuantizer(quantizesInput: false);
        var activation = new RemovableActivationQuantizer();
        return new QuantizerRegistry()
            .Add("Conv", new ConvQuantizer())
            .Add("Gemm", new GemmQuantizer())
            .Add("MatMul", new MatMulQuantizer())
            .Add("Add", unit)
            .Add("Mul", unit)
            .Add("Concat", unit)
            .Add("Sigmoid", unit)
            .Add("GlobalAveragePool", unit)
            .Add("MaxPool", pool)
            .Add("AveragePool", pool)
            .Add("Split", pool)
            .Add("Reshape", movement)
            .Add("Flatten", movement)
            .Add("Transpose", movement)
            .Add("Squeeze", movement)
            .Add("Unsqueeze", movement)
            .Add("Relu", activation)
            .Add("Clip", activation);
    }
}
