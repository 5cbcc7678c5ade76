namespace MLRFNet.Onnx.Float16;

/// <summary>Settings of <see cref="Float16Converter"/>, validated before conversion.</summary>
public sealed record Float16Options
{
    /// <summary>Op types kept in float32 (default <see cref="Float16BlockList.DefaultOpTypes"/>, each justified there).</summary>
    public IReadOnlyCollection<string> OpBlockList { get; init; } = Float16BlockList.DefaultOpTypes;

    /// <summary>Node names kept in float32 (e.g. a layer the QA gate shows to be sensitive).</summary>
    public IReadOnlyCollection<string> NodeBlockList { get; init; } = [];

    /// <summary>
    /// Keep a Sigmoid or Softmax that produces a graph output in float32. float16 spacing just below 1 is 2^-11
    /// (~4.9e-4): probabilities above 0.9995 would collapse onto a handful of values, creating ties that move
    /// AUCs and decisions at high thresholds. The cost is one cast of C values per image.
    /// </summary>
    public bool KeepOutputActivationsInFloat32 { get; init; } = true;

    /// <summary>Weights above this magnitude are clamped to it (default 65504, the largest finite float16) with a warning.</summary>
    public float MaxFiniteValue { get; init; } = 65504f;

    /// <summary>
    /// Non-zero weights below this magnitude become +-this value instead of rounding to zero (default 2^-24, the
    /// smallest float16 subnormal), keeping their sign and non-zeroness as onnxconverter-common does; reported as a
    /// warning too.
    /// </summary>
    public float MinPositiveValue { get; init; } = 5.9604645E-08f;

    public Float16Options Validate()
    {
        ArgumentNullException.ThrowIfNull(OpBlockList, nameof(OpBlockList));
        ArgumentNullException.ThrowIfNull(NodeBlockList, nameof(NodeBlockList));
        if (OpBlockList.Any(string.IsNullOrWhiteSpace) || NodeBlockList.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("Block lists must not contain empty names.");
        if (!(MaxFiniteValue > 0 && MaxFiniteValue <= 65504f))
            throw new ArgumentOutOfRangeException(nameof(MaxFiniteValue), MaxFiniteValue, "The clamp limit is in (0, 65504], the float16 range.");
        if (!(MinPositiveValue >= 5.9604645E-08f && MinPositiveValue < MaxFiniteValue))
            throw new ArgumentOutOfRangeException(nameof(MinPositiveValue), MinPositiveValue,
                "The smallest kept magnitude is at least 2^-24 (5.96e-8, the smallest float16 subnormal) and below the clamp limit.");
        return this;
    }
}
