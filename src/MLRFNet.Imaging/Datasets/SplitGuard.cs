namespace MLRFNet.Imaging.Datasets;

/// <summary>Thrown when an evaluation set holds images a run's split reserves for something else.</summary>
public sealed class SplitOverlapException(string message, SplitOverlap overlap) : ArgumentException(message)
{
    public SplitOverlap Overlap { get; } = overlap;
}

/// <summary>
/// The rules that keep a run's parts apart after training, on the run folder's <c>split.json</c>:
/// <list type="bullet">
/// <item><see cref="ForThresholds"/>: thresholds are chosen on the validation part (or on data the run never saw);
/// never on train images (the model fit them, so their scores are optimistic) nor on test images (the test part
/// stays untouched by every choice, thresholds included).</item>
/// <item><see cref="ForJudging"/> (QA, final figures): no image that trained the model, train or validation (the
/// validation part chose the checkpoint).</item>
/// </list>
/// </summary>
public static class SplitGuard
{
    public static void ForThresholds(string runFolder, IEnumerable<string> imageIds)
    {
        var overlap = SplitRecord.Read(runFolder).Overlap(imageIds);
        if (overlap.Train.Count == 0 && overlap.Test.Count == 0) return;
        var parts = new List<string>();
        if (overlap.Train.Count > 0) parts.Add(SplitOverlap.Describe(overlap.Train, "train"));
        if (overlap.Test.Count > 0) parts.Add(SplitOverlap.Describe(overlap.Test, "test"));
        throw new SplitOverlapException(
            $"--write-thresholds: this set holds {string.Join(" and ", parts)} of the run in {runFolder}; thresholds must not be chosen on images the model trained on, nor on the held-out test part. " +
            $"Choose them on the run's validation part: mlrfnet evaluate --run {runFolder} --split validation --model MODEL.onnx --out PRED.csv --write-thresholds", overlap);
    }

    public static void ForJudging(string runFolder, IEnumerable<string> imageIds)
    {
        var overlap = SplitRecord.Read(runFolder).Overlap(imageIds);
        if (overlap.TrainedOn.Count == 0) return;
        var parts = new List<string>();
        if (overlap.Train.Count > 0) parts.Add(SplitOverlap.Describe(overlap.Train, "train"));
        if (overlap.Validation.Count > 0) parts.Add(SplitOverlap.Describe(overlap.Validation, "validation"));
        throw new SplitOverlapException(
            $"this set holds {string.Join(" and ", parts)} of the run in {runFolder}: images that trained the model (or chose its checkpoint) would flatter it. " +
            $"Judge on the run's test part (mlrfnet evaluate --run {runFolder} --split test) or on data the run never saw.", overlap);
    }
}
