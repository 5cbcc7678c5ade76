using Microsoft.ML.OnnxRuntime;

namespace MLRFNet.Export.Tests.Support;

/// <summary>Runs a model in ONNX Runtime (CPU, all graph optimizations unless told otherwise) on one float input.</summary>
internal static class OrtRunner
{
    public static Dictionary<string, (float[] Values, long[] Shape)> Run(byte[] model, float[] input, int[] shape,
        GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = level };
        using var session = new InferenceSession(model, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape.Select(d => (long)d).ToArray());
        using var runOptions = new RunOptions();
        var names = session.OutputNames;
        using var results = session.Run(runOptions, [session.InputNames.Single()], [value], names);
        var outputs = new Dictionary<string, (float[], long[])>();
        for (var i = 0; i < names.Count; i++)
            outputs[names[i]] = (results[i].GetTensorDataAsSpan<float>().ToArray(), results[i].GetTensorTypeAndShape().Shape);
        return outputs;
    }

    public static double MaxAbsDifference(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0.0;
        for (var i = 0; i < actual.Length; i++) max = Math.Max(max, Math.Abs((double)actual[i] - expected[i]));
        return max;
    }
}
