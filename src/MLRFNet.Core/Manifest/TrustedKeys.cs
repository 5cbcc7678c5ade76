using System.Security.Cryptography;

namespace MLRFNet.Core.Manifest;

/// <summary>How a manifest's signature stands against the trusted keys.</summary>
public enum SignatureStatus
{
    Valid,
    Unsigned,
    UnknownKey,
    RevokedKey,
    Altered,
}

/// <summary>
/// The public keys a clinic box trusts to sign model manifests: every <c>*.pem</c> public key in a folder
/// (several, so a new key can be rolled out before the old one is retired), minus the key ids listed in
/// <c>revoked-keys.txt</c> in that folder (one hex key id per line, <c>#</c> comments). A revoked key stays
/// refused even if its PEM file is still in the folder.
/// </summary>
public sealed class TrustedKeys
{
    public const string RevokedListName = "revoked-keys.txt";

    private readonly Dictionary<string, byte[]> keys;
    private readonly HashSet<string> revoked;

    private TrustedKeys(string folder, Dictionary<string, byte[]> keys, HashSet<string> revoked)
    {
        Folder = folder;
        this.keys = keys;
        this.revoked = revoked;
    }

    public string Folder { get; }

    public IReadOnlyCollection<string> KeyIds => keys.Keys;

    public IReadOnlyCollection<string> RevokedKeyIds => revoked;

    /// <summary>Reads the folder; a missing folder or a file that is not a public key PEM is an error naming it.</summary>
    public static TrustedKeys Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException(
                $"Trusted-keys folder '{full}' does not exist; install the public key(s) that sign your models there (deploy/install.sh does) or set Inference:TrustedKeysFolder.");
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(full, "*.pem").Order(StringComparer.Ordinal))
        {
            using var ecdsa = ECDsa.Create();
            try { ecdsa.ImportFromPem(File.ReadAllText(file)); }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new InvalidDataException($"Trusted key '{file}' is not an ECDSA public key PEM ({e.Message}); put only the public halves made by `mlrfnet keys new` there.", e);
            }
            if (HasPrivatePart(ecdsa))
                throw new InvalidDataException($"'{file}' holds a private key; a clinic box must only hold public keys. Remove it and install the .pub.pem file.");
            keys[SigningKey.KeyIdOf(ecdsa)] = ecdsa.ExportSubjectPublicKeyInfo();
        }
        var revokedPath = Path.Combine(full, RevokedListName);
        var revoked = File.Exists(revokedPath)
            ? File.ReadAllLines(revokedPath).Select(l => l.Split('#')[0].Trim().ToLowerInvariant()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        return new TrustedKeys(full, keys, revoked);
    }

    public SignatureStatus Check(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Signature is not { } signature) return SignatureStatus.Unsigned;
        var id = signature.KeyId.ToLowerInvariant();
        if (revoked.Contains(id)) return SignatureStatus.RevokedKey;
        if (!keys.TryGetValue(id, out var publicKey)) return SignatureStatus.UnknownKey;
        if (signature.Algorithm != ManifestSignature.EcdsaP256Sha256) return SignatureStatus.Altered;
        byte[] value;
        try { value = Convert.FromBase64String(signature.Value); }
        catch (FormatException) { return SignatureStatus.Altered; }
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(publicKey, out _);
        return ecdsa.VerifyData(CanonicalManifest.Bytes(manifest), value, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            ? SignatureStatus.Valid
            : SignatureStatus.Altered;
    }

    private static bool HasPrivatePart(ECDsa ecdsa)
    {
        try { return ecdsa.ExportParameters(includePrivateParameters: true).D is { Length: > 0 }; }
        catch (CryptographicException) { return false; }
    }
}
