namespace MLRFNet.Export.Graph;

/// <summary>A float32 tensor given as row-major values and a shape (weights handed to the graph builder).</summary>
public sealed record FloatTensor
{
    public FloatTensor(float[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var d in shape)
        {
            if (d <= 0) throw new ArgumentException($"Shape [{string.Join(", ", shape)}] has a non-positive dimension.", nameof(shape));
            count *= d;
        }
        if (count != values.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {count} values but {values.Length} were given.", nameof(values));
        Values = values;
        Shape = shape;
    }

    public float[] Values { get; }
    public int[] Shape { get; }
    public int Rank => Shape.Length;

    public override string ToString() => $"float32[{string.Join(", ", Shape)}]";
}
