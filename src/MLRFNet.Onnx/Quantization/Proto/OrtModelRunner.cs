using System.Diagnostics;
using Google.Protobuf;
using MLRFNet.Inference.ExecutionProviders;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace MLRFNet.Onnx.Quantization.Proto;

/// <summary>How <see cref="OrtModelRunner"/> builds its ONNX Runtime CPU session.</summary>
public sealed record OrtRunnerOptions
{
    /// <summary>
    /// Apply ORT's graph optimizations (QDQ fusion into QLinearConv etc.). Calibration and the quantization
    /// debugger turn them off, as ORT's calibrate.py and qdq_loss_debug.py do, so every intermediate tensor exists.
    /// </summary>
    public bool Optimize { get; init; } = true;

    /// <summary>Where ORT writes the graph it actually runs (after optimization); null writes nothing.</summary>
    public string? OptimizedModelPath { get; init; }

    /// <summary>Threads for one operator; 0 lets ORT choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// ORT's "session.qdqisint8allowed": let the QDQ fusion keep int8 activations. ORT's default on x86 is off
    /// (QDQIsInt8Allowed() is true only on ARM), so S8S8 QDQ models are converted to uint8 activations first;
    /// null keeps ORT's default.
    /// </summary>
    public bool? QdqIsInt8Allowed { get; init; }

    public OrtRunnerOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpThreads);
        return this;
    }
}

/// <summary>
/// One ONNX Runtime CPU session over an in-memory or on-disk model, fed and read as float32 tensors (float16
/// outputs are widened). Used for calibration runs and the quantization debugger (raw graph execution); the QA gate
/// scores through the box's <c>OnnxXrayScorer</c> instead (<see cref="Qa.GateScoring"/>).
/// </summary>
public sealed class OrtModelRunner : IDisposable
{
    private readonly InferenceSession session;
    private readonly SessionOptions sessionOptions;

    private OrtModelRunner(Func<SessionOptions, InferenceSession> open, OrtRunnerOptions? options)
    {
        options = (options ?? new OrtRunnerOptions()).Validate();
        // No busy-waiting between runs, as the edge service's sessions: the gate times two models one after the
        // other, and a spinning pool of one would slow the other.
        sessionOptions = OrtSessionOptions.Create(
            options.Optimize ? GraphOptimizationLevel.ORT_ENABLE_ALL : GraphOptimizationLevel.ORT_DISABLE_ALL, options.IntraOpThreads, allowSpinning: false);
        sessionOptions.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
        if (options.OptimizedModelPath is { } path) sessionOptions.OptimizedModelFilePath = path;
        if (options.QdqIsInt8Allowed is { } int8) sessionOptions.AddSessionConfigEntry("session.qdqisint8allowed", int8 ? "1" : "0");
        try
        {
            session = open(sessionOptions);
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
        InputNames = session.InputMetadata.Keys.ToArray();
        OutputNames = session.OutputMetadata.Keys.ToArray();
    }

    public static OrtModelRunner Create(ModelProto model, OrtRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var bytes = model.ToByteArray();
        return new OrtModelRunner(o => Wrap(() => new InferenceSession(bytes, o), "the in-memory model"), options);
    }

    public static OrtModelRunner Create(string path, OrtRunnerOptions? options = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        return new OrtModelRunner(o => Wrap(() => new InferenceSession(path, o), $"'{path}'"), options);
    }

    public IReadOnlyList<string> InputNames { get; }
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Input dimensions as the model declares them (-1 for symbolic ones such as the batch).</summary>
    public int[] InputDimensions(string name) =>
        session.InputMetadata.TryGetValue(name, out var meta)
            ? meta.Dimensions
            : throw new ArgumentException($"The model has no input '{name}'; its inputs are {string.Join(", ", InputNames)}.", nameof(name));

    /// <summary>ONNX element type (a TensorProto.DataType value) and dimensions of every output, as ORT resolved them.</summary>
    public IReadOnlyDictionary<string, (int ElementType, int[] Dimensions)> OutputTypes() =>
        session.OutputMetadata.ToDictionary(
            kv => kv.Key,
            kv => (kv.Value.IsTensor ? (int)kv.Value.ElementDataType : 0, kv.Value.IsTensor ? kv.Value.Dimensions : []),
            StringComparer.Ordinal);

    /// <summary>Runs the model and returns the requested outputs (all outputs when null), in request order.</summary>
    public IReadOnlyList<NamedTensor> Run(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputs = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        outputs ??= OutputNames;
        foreach (var input in inputs)
        {
            input.Validate();
            if (!session.InputMetadata.ContainsKey(input.Name))
                throw new ArgumentException($"The model has no input '{input.Name}'; its inputs are {string.Join(", ", InputNames)}.", nameof(inputs));
        }
        var missing = InputNames.Except(inputs.Select(i => i.Name)).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"No value given for model input(s) {string.Join(", ", missing)}.", nameof(inputs));

        var values = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(i.Data, i.Shape)).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, inputs.Select(i => i.Name).ToArray(), values, outputs.ToArray());
            var tensors = new NamedTensor[outputs.Count];
            var k = 0;
            foreach (var value in results) tensors[k] = ToNamedTensor(outputs[k++], value);
            return tensors;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>Wall-clock milliseconds of each of <paramref name="runs"/> runs after <paramref name="warmup"/> untimed ones.</summary>
    public double[] MeasureMilliseconds(IReadOnlyList<NamedTensor> inputs, int warmup, int runs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var first = new[] { OutputNames[0] };
        for (var i = 0; i < warmup; i++) Run(inputs, first);
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Run(inputs, first);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return times;
    }

    public void Dispose()
    {
        session.Dispose();
        sessionOptions.Dispose();
    }

    private static NamedTensor ToNamedTensor(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        float[] data = info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Float16 => ToFloats(value.GetTensorDataAsSpan<Microsoft.ML.OnnxRuntime.Float16>()),
            _ => throw new NotSupportedException($"Output '{name}' is {info.ElementDataType}; only float32/float16 outputs can be read as floats."),
        };
        return new NamedTensor(name, data, shape);
    }

    private static float[] ToFloats(ReadOnlySpan<Microsoft.ML.OnnxRuntime.Float16> halfs)
    {
        var floats = new float[halfs.Length];
        for (var i = 0; i < floats.Length; i++) floats[i] = (float)BitConverter.UInt16BitsToHalf(halfs[i].value);
        return floats;
    }

    private static InferenceSession Wrap(Func<InferenceSession> open, string what)
    {
        try
        {
            return open();
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX Runtime could not load {what}: {e.Message}", e);
        }
    }
}
