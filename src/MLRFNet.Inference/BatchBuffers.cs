using Microsoft.ML.OnnxRuntime;

namespace MLRFNet.Inference;

/// <summary>
/// The scorer's input and output memory, allocated once for the largest batch. ONNX Runtime reads the input from and
/// writes the outputs into these arrays directly: <see cref="OrtValue.CreateTensorValueFromMemory{T}(OrtMemoryInfo, Memory{T}, long[])"/>
/// pins them, and <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue})"/>
/// fills pre-bound outputs, so a run allocates no tensors. The OrtValue views for each batch count are made on first
/// use and kept (the edge service scores one image at a time, so count 1 is the hot one).
/// Not thread-safe: the scorer serializes runs.
/// </summary>
internal sealed class BatchBuffers : IDisposable
{
    private readonly ModelContract contract;
    private readonly int capacity;
    private readonly Views?[] views;

    public BatchBuffers(ModelContract contract, int capacity)
    {
        this.contract = contract;
        this.capacity = capacity;
        Input = new float[capacity * contract.ImageLength];
        Logits = new float[capacity * contract.Classes];
        Probabilities = new float[capacity * contract.Classes];
        ClassMaps = contract.ClassMaps.Select(m => new float[capacity * contract.Classes * m.Height * m.Width]).ToArray();
        views = new Views?[capacity + 1];
        CoreOutputNames = [ModelContract.LogitsName, ModelContract.ProbabilitiesName];
        AllOutputNames = [.. CoreOutputNames, .. contract.ClassMaps.Select(m => m.Name)];
        InputNames = [contract.InputName];
    }

    public float[] Input { get; }
    public float[] Logits { get; }
    public float[] Probabilities { get; }
    public float[][] ClassMaps { get; }
    public string[] InputNames { get; }
    public string[] CoreOutputNames { get; }
    public string[] AllOutputNames { get; }

    /// <summary>Runs the first <paramref name="count"/> images of <see cref="Input"/>.</summary>
    public void Run(InferenceSession session, RunOptions runOptions, int count, bool includeClassMaps)
    {
        var v = views[count] ??= CreateViews(count);
        if (includeClassMaps) session.Run(runOptions, InputNames, v.Inputs, AllOutputNames, v.AllOutputs);
        else session.Run(runOptions, InputNames, v.Inputs, CoreOutputNames, v.CoreOutputs);
    }

    private Views CreateViews(int count)
    {
        var info = OrtMemoryInfo.DefaultInstance;
        var c = contract;
        OrtValue View(float[] buffer, params long[] shape) =>
            OrtValue.CreateTensorValueFromMemory(info, buffer.AsMemory(0, (int)shape.Aggregate(1L, (a, b) => a * b)), shape);

        var input = View(Input, count, c.Channels, c.Height, c.Width);
        var logits = View(Logits, count, c.Classes);
        var probabilities = View(Probabilities, count, c.Classes);
        var maps = c.ClassMaps.Select((m, i) => View(ClassMaps[i], count, c.Classes, m.Height, m.Width)).ToArray();
        return new Views([input], [logits, probabilities], [logits, probabilities, .. maps]);
    }

    public void Dispose()
    {
        for (var i = 0; i <= capacity; i++)
        {
            if (views[i] is not { } v) continue;
            foreach (var value in v.Inputs.Concat(v.AllOutputs)) value.Dispose();
            views[i] = null;
        }
    }

    private sealed record Views(OrtValue[] Inputs, OrtValue[] CoreOutputs, OrtValue[] AllOutputs);
}
