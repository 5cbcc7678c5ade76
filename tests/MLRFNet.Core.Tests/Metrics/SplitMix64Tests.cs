using MLRFNet.Core.Metrics;
using static MLRFNet.Core.Tests.Metrics.MetricsFixture;

namespace MLRFNet.Core.Tests.Metrics;

public sealed class SplitMix64Tests
{
    // Published test vector of SplitMix64 for seed 1234567 (also the first outputs of Java's SplittableRandom
    // with that seed); the fixture script's Python generator reproduces it too. Catches a wrong constant or shift,
    // which would silently change every bootstrap interval.
    [Fact]
    public void Reproduces_the_reference_sequence()
    {
        var random = new SplitMix64(1234567);
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => random.Next()).ToArray());
        var fixture = Root["splitmix64"]!["next"]!.AsArray().Select(v => ulong.Parse((string)v!)).ToArray();
        Assert.Equal(expected, fixture[..5]);
    }

    // Catches a modulo (biased) or differently-rounded bounded draw, which would break agreement with the fixture.
    [Fact]
    public void Bounded_draws_match_the_python_generator()
    {
        var random = new SplitMix64(42);
        var bound = (int)Root["splitmix64"]!["below_bound"]!;
        Assert.Equal(Ints(Root["splitmix64"]!["below"]), Enumerable.Range(0, 6).Select(_ => random.Below(bound)).ToArray());
    }
}
