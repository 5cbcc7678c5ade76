using MLRFNet.Core.Metrics;
using static MLRFNet.Core.Tests.Metrics.MetricsFixture;

namespace MLRFNet.Core.Tests.Metrics;

public sealed class NormalDistributionTests
{
    // Against scipy.stats.norm.sf. Catches a wrong erfc branch (series/continued fraction), a missing sqrt(2),
    // and loss of relative precision in the far tail (p-values of large z).
    [Fact]
    public void Upper_tail_matches_scipy()
    {
        foreach (var node in Array("normal"))
        {
            var z = (double)node!["z"]!;
            var expected = (double)node["sf"]!;
            var actual = NormalDistribution.UpperTail(z);
            Assert.True(Math.Abs(actual - expected) <= 1e-15 + 1e-12 * expected, $"sf({z}) = {actual:R}, scipy {expected:R}");
            Close(Math.Min(1, 2 * (z >= 0 ? expected : 1 - expected)), NormalDistribution.TwoSidedP(z), $"two-sided p({z})", 1e-15);
        }
    }

    [Fact]
    public void Quantile_matches_scipy()
    {
        foreach (var node in Array("normal_quantile"))
        {
            var p = (double)node!["p"]!;
            Close((double)node["z"]!, NormalDistribution.Quantile(p), $"ppf({p})", 1e-12);
        }
    }
}
