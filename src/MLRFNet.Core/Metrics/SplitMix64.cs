namespace MLRFNet.Core.Metrics;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood 2014; constants as in Vigna's https://prng.di.unimi.it/splitmix64.c), used for
/// bootstrap resampling because its output is fixed by its definition: the same seed gives the same resamples on
/// every .NET version and in the Python fixture script (System.Random's seeded sequence is not guaranteed stable).
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong Next()
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A uniform integer in [0, bound): Lemire 2019, "Fast random integer generation in an interval" (ACM TOMACS
    /// 29(1)): take the high word of next * bound and redraw the few low words that would bias it.
    /// </summary>
    public int Below(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be positive.");
        var range = (ulong)bound;
        var high = Math.BigMul(Next(), range, out var low);
        if (low < range)
        {
            var threshold = (0UL - range) % range;
            while (low < threshold) high = Math.BigMul(Next(), range, out low);
        }
        return (int)high;
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextUnit() => (Next() >> 11) * (1.0 / (1UL << 53));
}
