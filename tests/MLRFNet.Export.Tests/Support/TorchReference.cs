using MLRFNet.Training.Models;
using static TorchSharp.torch;

namespace MLRFNet.Export.Tests.Support;

/// <summary>The TorchSharp model's own eval-mode outputs (the reference the exported graph must reproduce).</summary>
internal sealed record TorchOutputs(float[] Logits, float[] Probabilities, IReadOnlyList<(float[] Values, long[] Shape)> ClassMaps);

internal static class TorchReference
{
    public static TorchOutputs Run(MLRFNetModel model, float[] images, int batch, int channels = 3, int size = 224)
    {
        model.eval();
        using var noGrad = no_grad();
        using var x = tensor(images).reshape(batch, channels, size, size);
        using var output = model.ForwardWithScoreMaps(x);
        using var probabilities = output.Probabilities();
        return new TorchOutputs(
            output.Logits.data<float>().ToArray(),
            probabilities.data<float>().ToArray(),
            output.ScoreMaps.Select(m => (m.contiguous().data<float>().ToArray(), m.shape)).ToArray());
    }
}
