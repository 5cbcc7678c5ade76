using System.Security.Cryptography;

namespace MLRFNet.Core.Manifest;

/// <summary>
/// An ONNX file read into memory with its manifest, after <see cref="ManifestPolicy"/> accepted both. A session is
/// created from <see cref="Bytes"/>, the very bytes that were hashed, so a file swapped after the check cannot slip in.
/// </summary>
public sealed record VerifiedModelFile(string ModelPath, string ManifestPath, byte[] Bytes, ModelManifest Manifest, string Sha256);

/// <summary>Hashes model bytes (a seam, so a test can count that the service hashes its model once).</summary>
public interface IModelHasher
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    string Sha256(byte[] bytes);
}

public sealed class Sha256ModelHasher : IModelHasher
{
    public static Sha256ModelHasher Instance { get; } = new();

    public string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
