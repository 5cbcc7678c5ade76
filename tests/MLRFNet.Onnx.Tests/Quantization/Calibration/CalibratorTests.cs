using MLRFNet.Onnx.Quantization.Calibration;

namespace MLRFNet.Onnx.Tests.Quantization.Calibration;

public class CalibratorTests
{
    public static TheoryData<int> PercentileCases()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < QuantizationFixture.Root.GetProperty("percentile").GetArrayLength(); i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(PercentileCases))]
    public void Percentile_MatchesNumpyReference(int index)
    {
        // Reference: numpy histogram/cumsum/searchsorted in the fixture script (ORT's compute_percentile).
        var c = QuantizationFixture.Root.GetProperty("percentile")[index];
        var data = QuantizationFixture.Data(c.GetProperty("data").GetString()!);
        var bins = c.GetProperty("bins").GetInt32();
        var percentile = c.GetProperty("percentile").GetDouble();

        var symmetric = new PercentileCalibrator(new CalibrationOptions { Percentile = percentile, HistogramBins = bins, Symmetric = true });
        symmetric.Collect("t", data);
        Assert.Equal(c.GetProperty("symmetricAmax").GetSingle(), symmetric.ComputeRanges()["t"].AbsoluteMax);

        var asymmetric = new PercentileCalibrator(new CalibrationOptions { Percentile = percentile, HistogramBins = bins, Symmetric = false });
        asymmetric.Collect("t", data);
        var range = asymmetric.ComputeRanges()["t"];
        Assert.Equal(c.GetProperty("asymmetricMin").GetSingle(), range.Min);
        Assert.Equal(c.GetProperty("asymmetricMax").GetSingle(), range.Max);
    }

    [Fact]
    public void Percentile_HandComputedOnOneToHundred()
    {
        // Values 1..100 in 100 bins over [0, 100]: bin k holds k (bin 99 also 100); cumulative fraction first reaches
        // 0.895 at bin 90, whose lower edge is 90.
        var calibrator = new PercentileCalibrator(new CalibrationOptions { Percentile = 89.5, HistogramBins = 100 });
        calibrator.Collect("t", Enumerable.Range(1, 100).Select(v => (float)v).ToArray());
        Assert.Equal(new TensorRange(1f, 90f), calibrator.ComputeRanges()["t"]);
    }

    [Fact]
    public void Entropy_TinyHistogramMatchesPythonReference()
    {
        // Reference: the fixture script's transcription of pytorch-quantization's _compute_amax_entropy with
        // scipy.stats.entropy, on a 12-bin histogram with 3 bits (4 levels) and start bin 4.
        var t = QuantizationFixture.Root.GetProperty("entropyTiny");
        var (amax, divergences) = EntropyCalibrator.Search(
            QuantizationFixture.Longs(t.GetProperty("hist")), QuantizationFixture.Floats(t.GetProperty("edges")),
            t.GetProperty("numBits").GetInt32(), unsigned: false, t.GetProperty("startBin").GetInt32(), stride: 1);

        var expected = QuantizationFixture.Doubles(t.GetProperty("divergences"));
        Assert.Equal(expected.Length, divergences.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            if (double.IsPositiveInfinity(expected[k])) Assert.True(double.IsPositiveInfinity(divergences[k]), $"divergence {k}");
            else Assert.Equal(expected[k], divergences[k], 12);
        }
        Assert.Equal(t.GetProperty("amax").GetSingle(), amax, 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Entropy_FullTensorRtSettingMatchesPythonReference(int index)
    {
        var c = QuantizationFixture.Root.GetProperty("entropy")[index];
        var data = QuantizationFixture.Data(c.GetProperty("data").GetString()!);
        var calibrator = new EntropyCalibrator(new CalibrationOptions { Method = CalibrationMethod.Entropy });
        calibrator.Collect("t", data);
        var range = calibrator.ComputeRanges()["t"];
        var amax = c.GetProperty("amax").GetSingle();
        // The range is [-amax, amax] clipped to the data, as ORT clips its thresholds to [min, max].
        Assert.Equal(Math.Min(amax, data.Max()), range.Max);
        Assert.Equal(Math.Max(-amax, data.Min()), range.Min);
    }

    [Fact]
    public void Entropy_KullbackLeiblerIsScipyEntropy()
    {
        // Hand-computed: p = (1/2, 1/2), q = (1/4, 3/4): 0.5 ln 2 + 0.5 ln(2/3).
        Assert.Equal(0.5 * Math.Log(2) + 0.5 * Math.Log(2.0 / 3), EntropyCalibrator.KullbackLeibler([1, 1], [1, 3]), 14);
        Assert.True(double.IsPositiveInfinity(EntropyCalibrator.KullbackLeibler([1, 1], [1, 0])));
        Assert.Equal(0, EntropyCalibrator.KullbackLeibler([0, 2], [1, 1]) - Math.Log(2), 14);
    }

    [Theory]
    [InlineData("reluLike")]
    [InlineData("signed")]
    public void MinMax_OverSeveralBatchesIsTheGlobalExtremes(string name)
    {
        var data = QuantizationFixture.Data(name);
        var calibrator = new MinMaxCalibrator();
        foreach (var chunk in data.Chunk(700)) calibrator.Collect("t", chunk);
        var expected = QuantizationFixture.Root.GetProperty("minMax").GetProperty(name);
        Assert.Equal(new TensorRange(expected.GetProperty("min").GetSingle(), expected.GetProperty("max").GetSingle()), calibrator.ComputeRanges()["t"]);
    }

    [Theory]
    [InlineData(CalibrationMethod.MinMax, typeof(MinMaxCalibrator))]
    [InlineData(CalibrationMethod.Percentile, typeof(PercentileCalibrator))]
    [InlineData(CalibrationMethod.Entropy, typeof(EntropyCalibrator))]
    public void Factory_MapsEachMethodToItsCalibrator(CalibrationMethod method, Type expected)
    {
        var calibrator = CalibratorFactory.Create(new CalibrationOptions { Method = method });
        Assert.IsType(expected, calibrator);
        Assert.Equal(method, calibrator.Method);
    }

    [Fact]
    public void Factory_ThrowsOnUnknownMethod()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CalibratorFactory.Create(new CalibrationOptions { Method = (CalibrationMethod)42 }));
        Assert.Contains("Unknown calibration method 42", e.Message);
    }

    [Theory]
    [InlineData(50.0)]
    [InlineData(100.5)]
    public void Options_RejectPercentileOutOfRange(double percentile) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CalibrationOptions { Percentile = percentile }.Validate());
}
