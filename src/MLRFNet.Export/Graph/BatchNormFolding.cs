namespace MLRFNet.Export.Graph;

/// <summary>Running statistics and affine parameters of an eval-mode BatchNorm2d (one value per channel).</summary>
public sealed record BatchNormParameters(float[] Gamma, float[] Beta, float[] RunningMean, float[] RunningVar, float Epsilon = 1e-5f)
{
    public int Channels => Gamma.Length;

    public BatchNormParameters Validate()
    {
        var c = Gamma?.Length ?? 0;
        if (c == 0 || Beta?.Length != c || RunningMean?.Length != c || RunningVar?.Length != c)
            throw new ArgumentException(
                $"BatchNorm parameters disagree in length: gamma {Gamma?.Length}, beta {Beta?.Length}, mean {RunningMean?.Length}, var {RunningVar?.Length}.");
        if (!(Epsilon >= 0)) throw new ArgumentException($"BatchNorm epsilon must be non-negative (got {Epsilon}).");
        foreach (var v in RunningVar)
            if (!(v + Epsilon > 0)) throw new ArgumentException($"BatchNorm running variance {v} + epsilon {Epsilon} is not positive.");
        return this;
    }
}

/// <summary>Folds an eval-mode BatchNorm into the convolution before it, so the exported graph has no BatchNormalization node.</summary>
public static class BatchNormFolding
{
    /// <summary>
    /// For output channel o with s = gamma[o] / sqrt(var[o] + eps): W'[o] = W[o]·s and b'[o] = (b[o] − mean[o])·s + beta[o],
    /// which equals BN(conv(x; W, b)) exactly in real arithmetic (computed in double, rounded once to float).
    /// </summary>
    /// <param name="convWeight">Conv weights, output channel first ([O, I/groups, kH, kW] or [O, I, k]).</param>
    /// <param name="convBias">Conv bias (length O), or null for a conv without bias.</param>
    public static (float[] Weight, float[] Bias) FoldBatchNorm(float[] convWeight, float[]? convBias,
        float[] gamma, float[] beta, float[] runningMean, float[] runningVar, float epsilon)
    {
        ArgumentNullException.ThrowIfNull(convWeight);
        var bn = new BatchNormParameters(gamma, beta, runningMean, runningVar, epsilon).Validate();
        var outChannels = bn.Channels;
        if (convWeight.Length == 0 || convWeight.Length % outChannels != 0)
            throw new ArgumentException($"Conv weights ({convWeight.Length} values) do not split into the BatchNorm's {outChannels} output channels.");
        if (convBias is not null && convBias.Length != outChannels)
            throw new ArgumentException($"Conv bias has {convBias.Length} values for {outChannels} output channels.");

        var perChannel = convWeight.Length / outChannels;
        var weight = new float[convWeight.Length];
        var bias = new float[outChannels];
        for (var o = 0; o < outChannels; o++)
        {
            var scale = gamma[o] / Math.Sqrt((double)runningVar[o] + epsilon);
            for (var k = 0; k < perChannel; k++) weight[o * perChannel + k] = (float)(convWeight[o * perChannel + k] * scale);
            bias[o] = (float)(((convBias?[o] ?? 0.0) - runningMean[o]) * scale + beta[o]);
        }
        return (weight, bias);
    }

    /// <inheritdoc cref="FoldBatchNorm(float[], float[], float[], float[], float[], float[], float)"/>
    public static (float[] Weight, float[] Bias) FoldBatchNorm(float[] convWeight, float[]? convBias, BatchNormParameters bn) =>
        FoldBatchNorm(convWeight, convBias, bn.Gamma, bn.Beta, bn.RunningMean, bn.RunningVar, bn.Epsilon);
}
