using Onnx;

namespace MLRFNet.Onnx.Float16;

/// <summary>A weight (initializer or Constant value) with values outside the float16 range, and what was done.</summary>
/// <param name="Tensor">Initializer or Constant output name.</param>
/// <param name="ClampedToMax">Values with magnitude above the limit, clamped to +-limit.</param>
/// <param name="RaisedToMinPositive">Non-zero values below the smallest kept magnitude, set to +-that magnitude.</param>
/// <param name="LargestMagnitude">Largest |value| before clamping.</param>
/// <param name="SmallestNonZeroMagnitude">Smallest non-zero |value| before raising.</param>
public sealed record Float16Warning(string Tensor, int ClampedToMax, int RaisedToMinPositive, float LargestMagnitude, float SmallestNonZeroMagnitude)
{
    public override string ToString() =>
        $"'{Tensor}': {ClampedToMax} value(s) above the float16 range (largest |x| = {LargestMagnitude:G6}) clamped, "
        + $"{RaisedToMinPositive} tiny non-zero value(s) (smallest |x| = {SmallestNonZeroMagnitude:G6}) raised to the smallest kept magnitude.";
}

/// <summary>The float16 model and what the conversion did.</summary>
public sealed record Float16Result
{
    public required ModelProto Model { get; init; }
    public required IReadOnlyList<Float16Warning> Warnings { get; init; }

    /// <summary>Nodes kept in float32 (block lists and output activations).</summary>
    public required IReadOnlyList<string> Float32Nodes { get; init; }

    /// <summary>Cast nodes inserted at float16/float32 boundaries (graph inputs and outputs included).</summary>
    public required int CastsInserted { get; init; }

    /// <summary>Initializers and Constant values stored as float16.</summary>
    public required int ConvertedTensors { get; init; }
}
