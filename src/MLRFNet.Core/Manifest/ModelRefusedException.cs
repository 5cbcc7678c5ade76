namespace MLRFNet.Core.Manifest;

/// <summary>Why <see cref="ManifestPolicy"/> refused a model; health.json and the log name it.</summary>
public enum RefusalReason
{
    /// <summary>The model file or its manifest is missing.</summary>
    Missing,

    /// <summary>The manifest is not valid JSON or fails its own consistency checks.</summary>
    UnreadableManifest,

    /// <summary>The manifest carries no signature.</summary>
    Unsigned,

    /// <summary>Signed by a key that is not in the trusted-keys folder.</summary>
    UnknownKey,

    /// <summary>Signed by a key listed as revoked.</summary>
    RevokedKey,

    /// <summary>The manifest was changed after it was signed (the signature does not verify).</summary>
    Altered,

    /// <summary>The ONNX file's SHA-256 differs from the manifest's.</summary>
    IntegrityMismatch,

    /// <summary>A reduced-precision model without a QA verdict.</summary>
    QaMissing,

    /// <summary>The QA gate failed.</summary>
    QaFailed,

    /// <summary>The QA gate could not judge (too little evidence).</summary>
    QaInconclusive,

    /// <summary>The QA verdict is about another file or another reference model than the manifest names.</summary>
    Lineage,
}

/// <summary>A model that must not be used, with the reason and, in the message, what to do about it.</summary>
public sealed class ModelRefusedException(RefusalReason reason, string modelPath, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public RefusalReason Reason { get; } = reason;

    /// <summary>The ONNX file that was refused.</summary>
    public string ModelPath { get; } = modelPath;
}
