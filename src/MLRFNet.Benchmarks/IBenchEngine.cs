namespace MLRFNet.Benchmarks;

/// <summary>The same images in both forms the engines take: one C×H×W array per image, and all of them back to back.</summary>
public sealed record BenchBatch(IReadOnlyList<float[]> Images, float[] Flat)
{
    public int Count => Images.Count;

    public static BenchBatch Of(IReadOnlyList<float[]> images)
    {
        if (images.Count == 0) throw new ArgumentException("A batch needs at least one image.", nameof(images));
        var size = images[0].Length;
        var flat = new float[images.Count * size];
        for (var i = 0; i < images.Count; i++) images[i].CopyTo(flat, i * size);
        return new BenchBatch(images, flat);
    }
}

/// <summary>One way of running the model that the benchmark times (TorchSharp eager, ONNX Runtime at a precision).</summary>
public interface IBenchEngine : IDisposable
{
    /// <summary>Row label, e.g. "ONNX Runtime INT8".</summary>
    string Name { get; }

    /// <summary>"TorchSharp" or "ONNX Runtime".</summary>
    string Runtime { get; }

    /// <summary>"FP32", "FP16" or "INT8".</summary>
    string Precision { get; }

    /// <summary>Runs the model on the batch and returns the probabilities, [count, classes] row-major.</summary>
    float[] Run(BenchBatch batch);
}
