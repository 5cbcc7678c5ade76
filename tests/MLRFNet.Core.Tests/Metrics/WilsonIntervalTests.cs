using MLRFNet.Core.Metrics;

namespace MLRFNet.Core.Tests.Metrics;

/// <summary>The gate's interval for the share of studies whose findings change, against SciPy.</summary>
public sealed class WilsonIntervalTests
{
    // Reference: /usr/bin/python3 -c "from scipy.stats import binomtest;
    //   print(binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson'))"  (SciPy 1.10.1)
    [Theory]
    [InlineData(2, 84, 0.006553902690167354, 0.0827144100856992)]
    [InlineData(0, 84, 0.0, 0.04373172841465988)]
    [InlineData(34, 84, 0.3061960226154048, 0.5116576399397685)]
    [InlineData(5, 10, 0.236593090512564, 0.7634069094874361)]
    [InlineData(10, 10, 0.7224672001371109, 1.0)]
    public void Matches_scipy(int successes, int trials, double lower, double upper)
    {
        var (l, u) = WilsonInterval.Of(successes, trials);
        Assert.Equal(lower, l, 9);
        Assert.Equal(upper, u, 9);
    }
}
