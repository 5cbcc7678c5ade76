namespace MLRFNet.Imaging.Datasets;

/// <summary>
/// One batch ready for the model: <see cref="Images"/> is Count × C × H × W floats (row-major, NCHW) and
/// <see cref="Targets"/> Count × classes, both owned by the batch.
/// </summary>
public sealed record Batch(int Count, float[] Images, float[] Targets, string[] ImageIndices);
