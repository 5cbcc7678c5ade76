using Microsoft.ML.OnnxRuntime;

namespace MLRFNet.Export.Tests.Support;

/// <summary>One ONNX Runtime CPU session (all graph optimizations) reused for several runs, e.g. batch 8 then batch 1.</summary>
internal sealed class OrtModel : IDisposable
{
    private readonly SessionOptions options;

    public OrtModel(byte[] model)
    {
        options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        Session = new InferenceSession(model, options);
    }

    public OrtModel(string path)
    {
        options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        Session = new InferenceSession(path, options);
    }

    public InferenceSession Session { get; }

    /// <summary>All outputs for <paramref name="batch"/> images of [channels, size, size].</summary>
    public Dictionary<string, (float[] Values, long[] Shape)> Run(float[] images, int batch, int channels = 3, int size = 224)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(images, [batch, channels, size, size]);
        using var runOptions = new RunOptions();
        var names = Session.OutputNames;
        using var results = Session.Run(runOptions, [Session.InputNames.Single()], [value], names);
        var outputs = new Dictionary<string, (float[], long[])>();
        for (var i = 0; i < names.Count; i++)
            outputs[names[i]] = (results[i].GetTensorDataAsSpan<float>().ToArray(), results[i].GetTensorTypeAndShape().Shape);
        return outputs;
    }

    public void Dispose()
    {
        Session.Dispose();
        options.Dispose();
    }
}
