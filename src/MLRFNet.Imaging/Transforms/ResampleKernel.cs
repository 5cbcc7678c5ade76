namespace MLRFNet.Imaging.Transforms;

/// <summary>
/// One axis of the antialiased bilinear resample, modelled on Pillow's <c>precompute_coeffs</c>
/// (https://github.com/python-pillow/Pillow/blob/main/src/libImaging/Resample.c), which torch's
/// <c>_upsample_bilinear2d_aa</c> (torchvision <c>F.resize(..., antialias=True)</c>) also follows:
/// output pixel i has its centre at input coordinate <c>(i + 0.5)·s</c> with <c>s = in/out</c> (half-pixel
/// alignment, align_corners=False); the triangle filter <c>max(0, 1 − |t|)</c> is stretched by
/// <c>max(s, 1)</c>, so shrinking averages over every input pixel the output covers (antialiasing) and enlarging is
/// plain bilinear; taps are clipped at the borders and the weights renormalised to sum to 1.
/// </summary>
internal sealed class ResampleKernel
{
    /// <summary>First input index of each output pixel's taps.</summary>
    public int[] Start { get; }

    /// <summary>Number of taps of each output pixel.</summary>
    public int[] Count { get; }

    /// <summary>Weights, <see cref="Stride"/> per output pixel.</summary>
    public float[] Weights { get; }

    public int Stride { get; }

    private ResampleKernel(int[] start, int[] count, float[] weights, int stride)
    {
        Start = start;
        Count = count;
        Weights = weights;
        Stride = stride;
    }

    /// <summary>
    /// Area averaging (shrinking only): output pixel i is the mean of the input pixels its footprint
    /// <c>[i·s, (i+1)·s)</c> covers, <c>s = in/out</c>, each weighted by the fraction of it that lies inside (partial
    /// pixels at the edges count in part). The weights sum to 1. For display images, where every input pixel should
    /// count exactly once.
    /// </summary>
    public static ResampleKernel Area(int inSize, int outSize, int first, int count)
    {
        if (outSize > inSize)
            throw new ArgumentOutOfRangeException(nameof(outSize), $"Area averaging only shrinks ({inSize} → {outSize}).");
        var step = (double)inSize / outSize;
        var stride = (int)Math.Ceiling(step) + 1;
        var start = new int[count];
        var taps = new int[count];
        var weights = new float[count * stride];
        for (var o = 0; o < count; o++)
        {
            var from = (first + o) * step;
            var to = Math.Min(inSize, (first + o + 1) * step);
            var lo = (int)Math.Floor(from);
            var hi = Math.Min(inSize - 1, (int)Math.Ceiling(to) - 1);
            start[o] = lo;
            taps[o] = hi - lo + 1;
            for (var j = lo; j <= hi; j++)
                weights[o * stride + j - lo] = (float)((Math.Min(to, j + 1) - Math.Max(from, j)) / (to - from));
        }
        return new ResampleKernel(start, taps, weights, stride);
    }

    /// <summary>Builds the taps for output pixels <paramref name="first"/> .. first + count − 1.</summary>
    public ResampleKernel(int inSize, int outSize, int first, int count)
    {
        double scale = (double)inSize / outSize, filterScale = Math.Max(scale, 1.0);
        var support = 1.0 * filterScale;                         // the triangle filter's support is 1
        Stride = (int)Math.Ceiling(support) * 2 + 1;
        Start = new int[count];
        Count = new int[count];
        Weights = new float[count * Stride];
        var taps = new double[Stride];
        for (var o = 0; o < count; o++)
        {
            var center = (first + o + 0.5) * scale;
            // (int) truncates toward zero like C's cast in Pillow; negatives clamp to 0 either way.
            var xmin = Math.Max((int)(center - support + 0.5), 0);
            var xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            double total = 0;
            for (var x = 0; x < xmax; x++)
            {
                var t = Math.Abs((x + xmin - center + 0.5) / filterScale);
                taps[x] = t < 1.0 ? 1.0 - t : 0.0;
                total += taps[x];
            }
            for (var x = 0; x < xmax; x++) Weights[o * Stride + x] = (float)(total != 0 ? taps[x] / total : taps[x]);
            Start[o] = xmin;
            Count[o] = xmax;
        }
    }

    /// <summary>Input indices touched by these output pixels: [min Start, max Start + Count).</summary>
    public (int First, int End) InputSpan()
    {
        int first = int.MaxValue, end = 0;
        for (var o = 0; o < Start.Length; o++)
        {
            first = Math.Min(first, Start[o]);
            end = Math.Max(end, Start[o] + Count[o]);
        }
        return (first, end);
    }
}
