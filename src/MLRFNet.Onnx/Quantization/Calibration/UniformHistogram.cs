namespace MLRFNet.Onnx.Quantization.Calibration;

/// <summary>
/// Counts of float32 values in equal-width bins over [Low, High], binned exactly as <c>numpy.histogram(values,
/// bins, range=(low, high))</c>: the edges are <c>numpy.linspace(low, high, bins + 1)</c> rounded to float32, a value
/// goes to the bin i with edges[i] &lt;= x &lt; edges[i+1] (the last bin also takes x == High), values outside the
/// range are not counted (https://github.com/numpy/numpy/blob/main/numpy/lib/_histograms_impl.py). Matching NumPy bin for bin lets the fixture script check the calibrators.
/// </summary>
public sealed class UniformHistogram
{
    public UniformHistogram(double low, double high, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (!(high > low) || !double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"Histogram range [{low}, {high}] must be finite and non-empty.");
        Low = low;
        High = high;
        Counts = new long[bins];
        Edges = new float[bins + 1];
        // numpy.linspace: start + k * (delta / div), last point set to stop exactly; then cast to float32.
        var step = (high - low) / bins;
        for (var k = 0; k < bins; k++) Edges[k] = (float)(k * step + low);
        Edges[bins] = (float)high;
    }

    public double Low { get; }
    public double High { get; }
    public long[] Counts { get; }

    /// <summary>Bins + 1 edges, float32 as NumPy stores them for float32 data.</summary>
    public float[] Edges { get; }

    public int Bins => Counts.Length;

    public long Total => Counts.Sum();

    public void Add(ReadOnlySpan<float> values)
    {
        foreach (var x in values)
            if (BinOf(x) is { } i) Counts[i]++;
    }

    /// <summary>The bin <paramref name="x"/> falls in, or null when it is outside [Low, High].</summary>
    public int? BinOf(float x)
    {
        if (!(x >= Low && x <= High)) return null;
        var bins = Counts.Length;
        var i = (int)((x - Low) * (bins / (High - Low)));
        if (i >= bins) i = bins - 1;
        if (i < 0) i = 0;
        // NumPy's corrections: the float estimate may be one bin off near an edge.
        if (x < Edges[i] && i > 0) i--;
        else if (i < bins - 1 && x >= Edges[i + 1]) i++;
        return i;
    }

    /// <summary>Adds another histogram's counts into bins [offset, offset + other.Bins) of this one.</summary>
    public void AddCounts(long[] counts, int offset)
    {
        if (offset < 0 || offset + counts.Length > Counts.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), "The merged counts do not fit in this histogram.");
        for (var i = 0; i < counts.Length; i++) Counts[offset + i] += counts[i];
    }
}
