namespace MLRFNet.Core.Manifest;

/// <summary>
/// The signature block of a manifest: which key signed (<see cref="KeyId"/>: SHA-256 of its SubjectPublicKeyInfo),
/// with which algorithm, over <see cref="CanonicalManifest.Bytes"/> of the manifest without this block.
/// </summary>
public sealed record ManifestSignature
{
    public const string EcdsaP256Sha256 = "ECDSA-P256-SHA256";

    public string Algorithm { get; init; } = EcdsaP256Sha256;

    /// <summary>Lower-case hex SHA-256 of the signing key's public half (DER SubjectPublicKeyInfo).</summary>
    public required string KeyId { get; init; }

    /// <summary>Base64 of the IEEE P1363 (r || s) signature.</summary>
    public required string Value { get; init; }

    public DateTimeOffset SignedUtc { get; init; } = DateTimeOffset.UtcNow;
}
