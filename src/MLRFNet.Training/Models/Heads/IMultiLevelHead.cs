using MLRFNet.Training.Models.Backbones;
using static TorchSharp.torch;

namespace MLRFNet.Training.Models.Heads;

/// <summary>Logits plus the class score maps they were pooled from (one per level the head reads).</summary>
public sealed record HeadOutput(Tensor Logits, IReadOnlyList<Tensor> ScoreMaps) : IDisposable
{
    public void Dispose()
    {
        Logits.Dispose();
        foreach (var map in ScoreMaps) map.Dispose();
    }
}

/// <summary>A classifier over the backbone levels U2, U3, U4.</summary>
public interface IMultiLevelHead
{
    /// <summary>Levels read, as indexes into (U2, U3, U4); ECA is applied only to these.</summary>
    IReadOnlyList<int> Levels { get; }

    HeadOutput Classify(IReadOnlyList<Tensor> levels);
}
