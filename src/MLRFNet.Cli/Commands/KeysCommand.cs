using System.CommandLine;
using MLRFNet.Core.Manifest;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet keys new --out DIR [--name NAME]</c>: makes an ECDSA P-256 signing key pair for model manifests,
/// <c>NAME.pem</c> (private, PKCS#8, mode 0600: keep it off clinic boxes) and <c>NAME.pub.pem</c> (public: install
/// it in each box's trusted-keys folder), and prints the key id (SHA-256 of the public key). Nothing is overwritten.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Folder for NAME.pem (private) and NAME.pub.pem (public); created if missing.", Required = true };
        var name = new Option<string>("--name") { Description = "File name stem of the pair.", DefaultValueFactory = _ => "signing-key" };
        var create = new Command("new", "Make an ECDSA P-256 key pair that signs model manifests (QA verdicts, thresholds, exports).") { outDir, name };
        create.SetAction(parse => CliRun.Guard("keys new", error, () =>
        {
            var folder = parse.GetValue(outDir)!.FullName;
            var stem = parse.GetValue(name)!;
            if (stem.Length == 0 || stem.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
                throw new ArgumentException($"--name '{stem}' is not a plain file name.");
            var privatePath = Path.Combine(folder, stem + ".pem");
            var publicPath = Path.Combine(folder, stem + ".pub.pem");
            foreach (var file in new[] { privatePath, publicPath })
                if (File.Exists(file)) throw new IOException($"{file} already exists; choose another --out or --name (keys are never overwritten).");
            Directory.CreateDirectory(folder);
            using var key = SigningKey.Create();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(privatePath, options)) writer.Write(key.PrivateKeyPem());
            File.WriteAllText(publicPath, key.PublicKeyPem());
            output.WriteLine($"private key {privatePath} (keep it secret, off clinic boxes; sign with --sign-key)");
            output.WriteLine($"public key  {publicPath} (install in each box's trusted-keys folder)");
            output.WriteLine($"key id      {key.KeyId}");
            return 0;
        }));
        return new Command("keys", "Signing keys for model manifests.") { create };
    }
}
