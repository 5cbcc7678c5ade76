using MLRFNet.Onnx.Quantization.Calibration;

namespace MLRFNet.Onnx.Tests.Quantization.Calibration;

public class HistogramTests
{
    [Fact]
    public void UniformHistogram_BinsLikeNumpyHistogram()
    {
        // Catches: off-by-one binning at edges, a last bin that drops the maximum, float64 instead of float32 edges.
        var fixture = QuantizationFixture.Root.GetProperty("histogram16");
        var data = QuantizationFixture.Data(fixture.GetProperty("data").GetString()!);
        var histogram = new AbsoluteValueHistogram(16);
        histogram.Add("t", data);

        Assert.Equal(QuantizationFixture.Longs(fixture.GetProperty("counts")), histogram.Histogram!.Counts);
        Assert.Equal(QuantizationFixture.Floats(fixture.GetProperty("edges")), histogram.Histogram.Edges);
    }

    [Fact]
    public void AbsoluteValueHistogram_GrowsWithSameWidthAndKeepsEarlierCounts()
    {
        // Hand-computed: first batch |x| max 4 with 4 bins -> width 1; a later 6.5 appends bins up to ceil(6.5) = 7.
        var histogram = new AbsoluteValueHistogram(4);
        histogram.Add("t", [0f, 0.5f, -1.5f, 2.5f, 4f]);
        histogram.Add("t", [6.5f, -3.2f]);

        Assert.Equal(new long[] { 2, 1, 1, 2, 0, 0, 1 }, histogram.Histogram!.Counts);
        Assert.Equal(7f, histogram.Histogram.Edges[^1]);
        Assert.Equal(-3.2f, histogram.Min);
        Assert.Equal(6.5f, histogram.Max);
    }

    [Fact]
    public void AbsoluteValueHistogram_KeepsZerosSeenBeforeTheFirstNonZeroBatch()
    {
        // Catches: an all-zero first batch (a dead channel) being dropped or crashing the bin width.
        var histogram = new AbsoluteValueHistogram(2);
        histogram.Add("t", [0f, 0f, 0f]);
        histogram.Add("t", [1f, 2f]);
        Assert.Equal(new long[] { 3, 2 }, histogram.Histogram!.Counts);
    }

    [Fact]
    public void SignedValueHistogram_GrowsByWholeBinsOnBothSides()
    {
        // Hand-computed, as ORT merge_histogram: t = 2 with 4 bins -> stride 1; new t = 3.5 -> half = floor(1.5 / 1) + 1
        // = 2 bins per side, range [-4, 4] with 8 bins, the old counts in bins 2..5.
        var histogram = new SignedValueHistogram(4);
        histogram.Add("t", [-2f, -0.5f, 0.5f, 2f]);
        histogram.Add("t", [3.5f]);

        Assert.Equal(-4f, histogram.Histogram!.Edges[0]);
        Assert.Equal(4f, histogram.Histogram.Edges[^1]);
        Assert.Equal(new long[] { 0, 0, 1, 1, 1, 1, 0, 1 }, histogram.Histogram.Counts);
    }

    [Fact]
    public void Collect_RejectsNonFiniteValues()
    {
        var histogram = new AbsoluteValueHistogram(8);
        var e = Assert.Throws<InvalidDataException>(() => histogram.Add("conv1_out", [1f, float.NaN]));
        Assert.Contains("conv1_out", e.Message);
    }
}
