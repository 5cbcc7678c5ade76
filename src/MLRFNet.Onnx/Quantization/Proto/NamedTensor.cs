namespace MLRFNet.Onnx.Quantization.Proto;

/// <summary>A named float32 tensor: a model input fed to ONNX Runtime, or an output read back.</summary>
/// <param name="Name">Graph input or output name.</param>
/// <param name="Data">Row-major values.</param>
/// <param name="Shape">Dimensions; their product is <c>Data.Length</c>.</param>
public sealed record NamedTensor(string Name, float[] Data, long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    public NamedTensor Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        ArgumentNullException.ThrowIfNull(Data);
        ArgumentNullException.ThrowIfNull(Shape);
        if (Shape.Any(d => d < 0))
            throw new ArgumentException($"Tensor '{Name}' has a negative dimension in [{string.Join(",", Shape)}].", nameof(Shape));
        if (ElementCount != Data.Length)
            throw new ArgumentException(
                $"Tensor '{Name}' has {Data.Length} values but shape [{string.Join(",", Shape)}] needs {ElementCount}.", nameof(Data));
        return this;
    }
}
