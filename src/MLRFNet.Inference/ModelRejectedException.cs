namespace MLRFNet.Inference;

/// <summary>
/// A model the scorer refuses to load after its manifest was accepted (manifest rules live in MLRFNet.Core's
/// <c>ManifestPolicy</c>, which throws <c>ModelRefusedException</c>). The subclasses say why; every message names the file and the fix, because
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

/// <summary>The model's inputs or outputs do not match the manifest or MLRFNet's I/O contract.</summary>
public sealed class ModelContractException(string modelPath, string message) : ModelRejectedException(modelPath, message);
