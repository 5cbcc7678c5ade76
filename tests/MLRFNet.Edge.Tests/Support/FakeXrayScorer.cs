using MLRFNet.Core.Manifest;
using MLRFNet.Edge.Scoring;
using MLRFNet.Inference;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>
/// A deterministic stand-in for the ONNX scorer: class c's logit is <c>Slopes[c] * mean(input) + Offsets[c]</c>, and
/// each class map level is the input's first channel average-pooled to the level's grid, times (c + 1). Different
/// images give different, reproducible scores; maps have the right shapes (crop/8, /16, /32 as Res2Net's stages).
/// </summary>
internal sealed class FakeXrayScorer(ModelManifest manifest) : IXrayScorer
{
    public static readonly float[] Slopes = [2f, 1f, 0.5f];
    public static readonly float[] Offsets = [1f, 0f, -1f];

    private int calls;

    public ModelManifest Manifest { get; } = manifest;
    public string ExecutionProvider => "FakeCPU";
    public int Calls => Volatile.Read(ref calls);
    public int Images;

    /// <summary>When set, every Score call waits for it (a model run that hangs, for crash tests).</summary>
    public ManualResetEventSlim? Gate { get; set; }

    /// <summary>Signalled when a Score call starts.</summary>
    public SemaphoreSlim Started { get; } = new(0);

    /// <summary>Called at the start of every Score call with its number (1 for the first), on the scoring thread.</summary>
    public Action<int>? OnCall { get; set; }

    /// <summary>Inputs whose mean is above this make Score throw (a model that fails on some images).</summary>
    public float? FailAboveMean { get; set; }

    public IReadOnlyList<ScoringResult> Score(IReadOnlyList<float[]> inputs, bool includeClassMaps = false)
    {
        var call = Interlocked.Increment(ref calls);
        Interlocked.Add(ref Images, inputs.Count);
        OnCall?.Invoke(call);
        Started.Release();
        Gate?.Wait();
        var results = new List<ScoringResult>(inputs.Count);
        foreach (var input in inputs)
        {
            var mean = (float)input.Average();
            if (FailAboveMean is { } limit && mean > limit) throw new InvalidOperationException($"fake model failure (mean {mean:F3})");
            var logits = new float[Manifest.Labels.Length];
            var probabilities = new float[logits.Length];
            for (var c = 0; c < logits.Length; c++)
            {
                logits[c] = Slopes[c % Slopes.Length] * mean + Offsets[c % Offsets.Length];
                probabilities[c] = 1f / (1f + MathF.Exp(-logits[c]));
            }
            results.Add(new ScoringResult(logits, probabilities, includeClassMaps ? Maps(input) : null));
        }
        return results;
    }

    private List<ClassMap> Maps(float[] input)
    {
        var crop = Manifest.Preprocessing.CropSize;
        var classes = Manifest.Labels.Length;
        var maps = new List<ClassMap>();
        foreach (var (name, stride) in new[] { ("u2", 8), ("u3", 16), ("u4", 32) })
        {
            var side = crop / stride;
            var values = new float[classes * side * side];
            for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++)
            {
                double sum = 0;
                for (var dy = 0; dy < stride; dy++)
                for (var dx = 0; dx < stride; dx++) sum += input[(y * stride + dy) * crop + x * stride + dx];
                for (var c = 0; c < classes; c++) values[c * side * side + y * side + x] = (float)(sum / (stride * stride) * (c + 1));
            }
            maps.Add(new ClassMap(name, classes, side, side, values));
        }
        return maps;
    }

    public void Dispose() { }
}

internal sealed class FakeScorerFactory : IXrayScorerFactory
{
    public FakeXrayScorer? Last { get; private set; }
    public ScorerRequest? Request { get; private set; }
    public Action<FakeXrayScorer>? Configure { get; set; }

    public IXrayScorer Create(ScorerRequest request)
    {
        Request = request;
        Last = new FakeXrayScorer(request.Manifest);
        Configure?.Invoke(Last);
        return Last;
    }
}
