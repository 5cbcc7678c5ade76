using System.Security.Cryptography;

namespace MLRFNet.Core.Manifest;

/// <summary>
/// An ECDSA P-256 key pair that signs model manifests (<c>mlrfnet keys new</c>). The private half is a PKCS#8 PEM
/// file to be kept off clinic boxes; the public half (SubjectPublicKeyInfo PEM) goes into the boxes' trusted-keys
/// folder. Uses only <see cref="System.Security.Cryptography"/> (OpenSSL on Linux), which works under Native AOT.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private readonly ECDsa key;

    private SigningKey(ECDsa key)
    {
        this.key = key;
        KeyId = KeyIdOf(key);
    }

    /// <summary>Lower-case hex SHA-256 of the public key's DER SubjectPublicKeyInfo.</summary>
    public string KeyId { get; }

    public static SigningKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Reads a private key PEM written by <see cref="PrivateKeyPem"/> (or openssl's PKCS#8 / EC PRIVATE KEY).</summary>
    public static SigningKey Load(string privateKeyPemPath)
    {
        if (!File.Exists(privateKeyPemPath))
            throw new FileNotFoundException($"Signing key '{privateKeyPemPath}' does not exist; make one with `mlrfnet keys new --out DIR`.", privateKeyPemPath);
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(File.ReadAllText(privateKeyPemPath));
            if (ecdsa.KeySize != 256) throw new InvalidDataException($"'{privateKeyPemPath}' is a {ecdsa.KeySize}-bit key; manifests are signed with ECDSA P-256.");
            // A public-key PEM imports too, but cannot sign: say so now rather than at the first signature.
            ecdsa.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new InvalidDataException($"'{privateKeyPemPath}' is not an ECDSA P-256 private key PEM ({e.Message}); give the private half made by `mlrfnet keys new`.", e);
        }
        return new SigningKey(ecdsa);
    }

    public string PrivateKeyPem() => key.ExportPkcs8PrivateKeyPem();

    public string PublicKeyPem() => key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The manifest with a signature over everything else in it (a previous signature is replaced).</summary>
    public ModelManifest Sign(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var unsigned = manifest with { Signature = null };
        var value = key.SignData(CanonicalManifest.Bytes(unsigned), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return unsigned with { Signature = new ManifestSignature { KeyId = KeyId, Value = Convert.ToBase64String(value) } };
    }

    public static string KeyIdOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    public void Dispose() => key.Dispose();
}
