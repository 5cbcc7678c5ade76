using MLRFNet.Core.Metrics;
using MLRFNet.Onnx.Qa;

namespace MLRFNet.Onnx.Tests.Qa;

public class GateThresholdsTests
{
    [Theory]
    // 2 positives among 84: one swapped pair moves the AUC by 1/164 = 0.0061, more than FP16's 0.002.
    [InlineData(0.002, 1, 2, 82, 1.0 / 164)]
    [InlineData(0.002, 2, 2, 82, 2.0 / 164)]
    // 12 positives: one pair is 1/864 = 0.0012, finer than the limit, which then applies as it is.
    [InlineData(0.002, 1, 12, 72, 0.002)]
    // INT8's 0.01 is coarser than one pair here, and the floor is off with 0.
    [InlineData(0.01, 1, 2, 82, 0.01)]
    [InlineData(0.002, 0, 2, 82, 0.002)]
    // A class without positives or negatives has no AUC: the bare limit.
    [InlineData(0.002, 1, 0, 84, 0.002)]
    public void AllowedClassDrop_IsTheLimitOrOneAucStep_WhicheverIsCoarser(double limit, int pairs, int positives, int negatives, double expected) =>
        Assert.Equal(expected, new GateThresholds(0.001, limit, pairs).AllowedClassDrop(positives, negatives), 12);

    [Fact]
    public void OnePairSwapped_IsExactlyOneStep_AndTwoSwapsExceedTheFloor()
    {
        // Checks the floor against the AUC itself (Core's sklearn-matched RocAuc), not against the formula above:
        // swapping one positive below one negative costs exactly the floor; swapping two costs more.
        int[] labels = [1, 1, 0, 0, 0, 0, 0];
        float[] reference = [0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f];
        float[] oneSwap = [0.9f, 0.65f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f];
        float[] twoSwaps = [0.9f, 0.55f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f];
        var thresholds = new GateThresholds(0.001, 0.002);
        var allowed = thresholds.AllowedClassDrop(2, 5);
        var auc = RocAuc.Compute(reference, labels).Auc!.Value;
        Assert.Equal(allowed, auc - RocAuc.Compute(oneSwap, labels).Auc!.Value, 12);
        Assert.True(auc - RocAuc.Compute(twoSwaps, labels).Auc!.Value > allowed);
    }

    [Fact]
    public void Validate_RejectsAFloorOutsideZeroToTen()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GateThresholds(0.001, 0.002, -1).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GateThresholds(0.001, 0.002, 11).Validate());
    }
}
