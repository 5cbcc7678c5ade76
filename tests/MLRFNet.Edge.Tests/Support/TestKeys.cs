using MLRFNet.Core.Manifest;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>
/// Signing keys made for the test run (never the repository's demo key, so a test cannot pass by accident on the
/// shipped trust): <see cref="Trusted"/> signs the test models, <see cref="Stranger"/> is a key no box trusts.
/// </summary>
internal static class TestKeys
{
    public static SigningKey Trusted { get; } = SigningKey.Create();

    public static SigningKey Stranger { get; } = SigningKey.Create();

    /// <summary>Writes <see cref="Trusted"/>'s public half (and optionally a revoked list) into <paramref name="folder"/>.</summary>
    public static string WriteTrustedFolder(string folder, params string[] revokedKeyIds)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "test-trusted.pub.pem"), Trusted.PublicKeyPem());
        if (revokedKeyIds.Length > 0)
            File.WriteAllLines(Path.Combine(folder, TrustedKeys.RevokedListName), ["# revoked in a test", .. revokedKeyIds]);
        return folder;
    }

    /// <summary>Signs the manifest beside <paramref name="onnxPath"/> in place with <paramref name="key"/> (default <see cref="Trusted"/>).</summary>
    public static void Sign(string onnxPath, SigningKey? key = null)
    {
        var path = ModelManifest.ManifestPathFor(onnxPath);
        (key ?? Trusted).Sign(ModelManifest.Load(path)).Save(path);
    }
}
