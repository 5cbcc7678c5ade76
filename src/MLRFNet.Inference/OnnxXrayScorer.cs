using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using MLRFNet.Core.Manifest;
using MLRFNet.Inference.ExecutionProviders;

namespace MLRFNet.Inference;

/// <summary>
/// <see cref="IXrayScorer"/> over ONNX Runtime. Loading verifies the model against its manifest (SHA-256, QA policy,
/// I/O contract) and picks an execution provider from the preference list; scoring runs batches of up to
/// <see cref="XrayScorerOptions.BatchSize"/> images through pre-allocated, pinned buffers. <see cref="Score"/> may be
/// called from several threads; runs are serialized because they share the buffers.
/// </summary>
public sealed class OnnxXrayScorer : IXrayScorer
{
    private readonly InferenceSession session;
    // Created in the constructor, after the native library binding: any ORT object (even RunOptions) loads the
    // native library, so a field initializer here would pin the packaged one before NativeLibraryPath is applied.
    private readonly RunOptions runOptions;
    private readonly BatchBuffers buffers;
    private readonly ModelContract contract;
    private readonly Lock gate = new();
    private bool disposed;

    /// <summary>Loads <paramref name="modelPath"/> and the <c>.manifest.json</c> beside it.</summary>
    /// <exception cref="ArgumentException">An option is invalid (e.g. an unknown execution provider).</exception>
    /// <exception cref="ModelRefusedException">The model or its manifest breaks a rule of <see cref="XrayScorerOptions.Policy"/>
    /// (missing, unreadable, SHA-256 mismatch, signature, QA verdict).</exception>
    /// <exception cref="ModelContractException">The model's inputs/outputs do not match the manifest.</exception>
    public OnnxXrayScorer(string modelPath, XrayScorerOptions? options = null, ILogger<OnnxXrayScorer>? logger = null)
        : this(LoadVerified(modelPath, options), options, logger)
    {
    }

    /// <summary>Creates the session from a model <see cref="ManifestPolicy"/> already accepted: nothing is read or hashed again.</summary>
    public OnnxXrayScorer(VerifiedModelFile model, XrayScorerOptions? options = null, ILogger<OnnxXrayScorer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Options = (options ?? new XrayScorerOptions()).Validate();
        ILogger log = logger ?? NullLogger<OnnxXrayScorer>.Instance;

        if (Options.NativeLibraryPath is { } native && OnnxRuntimeNativeLibrary.Use(native))
            Log.CustomNativeLibrary(log, OnnxRuntimeNativeLibrary.BoundPath!);
        if (model.Manifest.Precision != ModelPrecision.Fp32 && model.Manifest.Qa?.EffectiveVerdict != QaVerdict.Passed)
            Log.ReducedPrecisionWithoutQa(log, model.ModelPath, model.Manifest.Precision.ToString());
        Manifest = model.Manifest;
        ModelPath = model.ModelPath;

        OnnxRuntimeNativeLibrary.MarkUsed();
        (session, ExecutionProvider) = SessionFactory.Create(model.Bytes, Options, log);
        runOptions = new RunOptions();
        try
        {
            contract = ModelContract.Read(session, Manifest, ModelPath);
            buffers = new BatchBuffers(contract, Options.BatchSize);
        }
        catch
        {
            session.Dispose();
            runOptions.Dispose();
            throw;
        }
        Log.ModelLoaded(log, Manifest.ModelName, Manifest.ModelVersion, Manifest.Precision.ToString(), contract.Classes,
            model.Sha256, ModelPath, ExecutionProvider);
    }

    private static VerifiedModelFile LoadVerified(string modelPath, XrayScorerOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        return (options ?? new XrayScorerOptions()).Validate().Policy.Load(modelPath);
    }

    public ModelManifest Manifest { get; }

    public string ExecutionProvider { get; }

    /// <summary>Full path of the loaded ONNX file.</summary>
    public string ModelPath { get; }

    /// <summary>The validated options the scorer runs with.</summary>
    public XrayScorerOptions Options { get; }

    /// <summary>Names of the class-map outputs the model has, in name order (empty when it has none).</summary>
    public IReadOnlyList<string> ClassMapNames => contract.ClassMaps.Select(m => m.Name).ToArray();

    /// <summary>Values per input image: channels × height × width.</summary>
    public int ImageLength => contract.ImageLength;

    public IReadOnlyList<ScoringResult> Score(IReadOnlyList<float[]> inputs, bool includeClassMaps = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is not { } x)
                throw new ArgumentException($"Input {i} is null.", nameof(inputs));
            if (x.Length != contract.ImageLength)
                throw new ArgumentException(
                    $"Input {i} has {x.Length} values; the model takes {contract.Channels}×{contract.Height}×{contract.Width} = " +
                    $"{contract.ImageLength} (preprocess with the manifest's spec: crop {Manifest.Preprocessing.CropSize}, " +
                    $"{Manifest.Preprocessing.Channels} channels).", nameof(inputs));
        }

        var maps = includeClassMaps && contract.ClassMaps.Count > 0;
        var results = new ScoringResult[inputs.Count];
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            for (var start = 0; start < inputs.Count; start += Options.BatchSize)
            {
                var count = Math.Min(Options.BatchSize, inputs.Count - start);
                for (var i = 0; i < count; i++)
                    inputs[start + i].CopyTo(buffers.Input.AsSpan(i * contract.ImageLength, contract.ImageLength));
                buffers.Run(session, runOptions, count, maps);
                for (var i = 0; i < count; i++) results[start + i] = Collect(i, maps);
            }
        }
        return results;
    }

    private ScoringResult Collect(int index, bool includeClassMaps)
    {
        var c = contract.Classes;
        var logits = buffers.Logits.AsSpan(index * c, c).ToArray();
        var probabilities = buffers.Probabilities.AsSpan(index * c, c).ToArray();
        if (!includeClassMaps) return new ScoringResult(logits, probabilities, null);
        var maps = new ClassMap[contract.ClassMaps.Count];
        for (var m = 0; m < maps.Length; m++)
        {
            var o = contract.ClassMaps[m];
            var size = c * o.Height * o.Width;
            maps[m] = new ClassMap(o.Name, c, o.Height, o.Width, buffers.ClassMaps[m].AsSpan(index * size, size).ToArray());
        }
        return new ScoringResult(logits, probabilities, maps);
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            buffers.Dispose();
            runOptions.Dispose();
            session.Dispose();
        }
    }
}
