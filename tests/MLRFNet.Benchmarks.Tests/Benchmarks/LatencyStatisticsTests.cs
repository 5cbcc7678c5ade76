using System.Text.Json;
using MLRFNet.Benchmarks;

namespace MLRFNet.Benchmarks.Tests;

/// <summary>Median and p95 against numpy.percentile (Fixtures/make_latency_percentiles.py).</summary>
public sealed class LatencyStatisticsTests
{
    public static TheoryData<int> Cases => new(Enumerable.Range(0, Fixture().GetArrayLength()));

    private static JsonElement Fixture() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "latency_percentiles.json"))).RootElement;

    [Theory]
    [MemberData(nameof(Cases))]
    public void MedianAndPercentilesMatchNumpy(int index)
    {
        // Catches: nearest-rank instead of linear interpolation, (n) instead of (n - 1) positions, unsorted input,
        // p95 taken from the wrong end.
        var c = Fixture()[index];
        var values = c.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var stats = LatencyStatistics.Of(values);
        Assert.Equal(c.GetProperty("median").GetDouble(), stats.MedianMs, 9);
        Assert.Equal(c.GetProperty("p95").GetDouble(), stats.P95Ms, 9);
        Assert.Equal(c.GetProperty("p90").GetDouble(), LatencyStatistics.Percentile(values.Order().ToArray(), 90), 9);
        Assert.Equal(values.Min(), stats.MinMs);
        Assert.Equal(values.Max(), stats.MaxMs);
        Assert.Equal(values.Length, stats.Runs);
    }

    [Fact]
    public void NoRunsIsAnError() => Assert.Throws<ArgumentException>(() => LatencyStatistics.Of([]));
}
