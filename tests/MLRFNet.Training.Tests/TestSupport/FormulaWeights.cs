using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.TestSupport;

/// <summary>
/// C# twin of reference_models.formula_tensor / formula_input (Fixtures/reference_models.py): deterministic weights
/// both languages produce bit-identically (SplitMix64, integer arithmetic), so full-size backbones can be compared with
/// torchvision without a committed weight file.
/// </summary>
internal static class FormulaWeights
{
    public static int KeySeed(string key)
    {
        long sum = 0;
        for (var i = 0; i < key.Length; i++) sum += (i + 1) * (long)key[i];
        return (int)(sum % 1000003);
    }

    public static double[] Values(string key, long count)
    {
        var values = new double[count];
        unchecked
        {
            var seed = (ulong)KeySeed(key) * 0x2545F4914F6CDD1DUL;
            for (long j = 0; j < count; j++)
            {
                var z = seed + (ulong)(j + 1) * 0x9E3779B97F4A7C15UL;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                z ^= z >> 31;
                values[j] = 2.0 * ((z >> 11) * (1.0 / 9007199254740992.0)) - 1.0;
            }
        }
        return values;
    }

    /// <summary>Same rules as formula_tensor: by the last key segment and the tensor's rank.</summary>
    public static Tensor For(string key, long[] shape)
    {
        var leaf = key[(key.LastIndexOf('.') + 1)..];
        if (leaf == "num_batches_tracked") return zeros(shape, int64);
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var v = Values(key, count);
        Func<double, double> map = leaf switch
        {
            "running_var" => x => 1.0 + 0.5 * x * x,
            "running_mean" or "bias" => x => 0.1 * x,
            _ when shape.Length == 1 => x => 0.5 + 0.25 * x,
            _ => FanInScale(shape),
        };
        return tensor(v.Select(x => (float)map(x)).ToArray()).reshape(shape);
    }

    /// <summary>Overwrites every state_dict entry of <paramref name="module"/> with its formula value.</summary>
    public static void Fill(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (key, target) in module.state_dict())
        {
            using var value = For(key, target.shape);
            target.copy_(value);
        }
    }

    /// <summary>x[n,c,h,w] = sin(0.05 h (c+1) + 0.03 w + 0.4 n) + 0.1 c.</summary>
    public static Tensor Input(int batch, int channels, int height, int width)
    {
        var data = new float[batch * channels * height * width];
        var i = 0;
        for (var n = 0; n < batch; n++)
            for (var c = 0; c < channels; c++)
                for (var h = 0; h < height; h++)
                    for (var w = 0; w < width; w++)
                        data[i++] = (float)(Math.Sin(0.05 * h * (c + 1) + 0.03 * w + 0.4 * n) + 0.1 * c);
        return tensor(data).reshape(batch, channels, height, width);
    }

    private static Func<double, double> FanInScale(long[] shape)
    {
        var fanIn = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        var scale = Math.Sqrt(6.0 / fanIn);
        return x => x * scale;
    }
}
