namespace MLRFNet.Inference;

/// <summary>
/// A model the scorer refuses to load. The subclasses say why; every message names the file and the fix, because
/// the person reading it is usually installing a model on a clinic box, not debugging code.
/// </summary>
public abstract class ModelRejectedException : Exception
{
    protected ModelRejectedException(string modelPath, string message, Exception? inner = null) : base(message, inner)
    {
        ModelPath = modelPath;
    }

    /// <summary>The ONNX file that was refused.</summary>
    public string ModelPath { get; }
}

/// <summary>The ONNX file's SHA-256 differs from the one its manifest records.</summary>
public sealed class ModelIntegrityException : ModelRejectedException
{
    public ModelIntegrityException(string modelPath, string manifestPath, string expectedSha256, string actualSha256)
        : base(modelPath,
            $"Model file '{modelPath}' has SHA-256 {actualSha256}, but its manifest '{manifestPath}' records {expectedSha256}. " +
            "The file was changed or the manifest belongs to another model. Copy the .onnx and its .manifest.json from " +
            "the same export together, or re-export with `mlrfnet export` (which writes a matching manifest).")
    {
        ManifestPath = manifestPath;
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
    }

    public string ManifestPath { get; }
    public string ExpectedSha256 { get; }
    public string ActualSha256 { get; }
}

/// <summary>The manifest's QA result does not satisfy <see cref="XrayScorerOptions.QaRequirement"/>.</summary>
public sealed class ModelQaPolicyException(string modelPath, string message) : ModelRejectedException(modelPath, message);

/// <summary>The model's inputs or outputs do not match the manifest or MLRFNet's I/O contract.</summary>
public sealed class ModelContractException(string modelPath, string message) : ModelRejectedException(modelPath, message);
