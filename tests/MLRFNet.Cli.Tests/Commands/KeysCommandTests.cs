using System.Security.Cryptography;
using MLRFNet.Cli.Tests.Support;
using MLRFNet.Core.Labels;
using MLRFNet.Core.Manifest;
using MLRFNet.Training.Checkpoints;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Models;

namespace MLRFNet.Cli.Tests.Commands;

/// <summary><c>mlrfnet keys new</c> and <c>mlrfnet export --sign-key</c>.</summary>
public sealed class KeysCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("mlrfnet-cli-keys-");

    public void Dispose() => dir.Delete(recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var step = CliStep.Run(args);
        return (step.Code, step.Output, step.Error);
    }

    [Fact]
    public void Keys_new_writes_a_private_key_only_its_owner_reads_and_a_public_key_and_prints_the_key_id()
    {
        var (code, output, error) = Run("keys", "new", "--out", dir.FullName, "--name", "site");
        Assert.True(code == 0, error);
        var privatePath = Path.Combine(dir.FullName, "site.pem");
        var publicPath = Path.Combine(dir.FullName, "site.pub.pem");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(privatePath));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(publicPath));
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(publicPath));
        Assert.Equal(256, ecdsa.KeySize);
        Assert.Contains("key id      " + Convert.ToHexStringLower(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo())), output);

        // Never overwritten: a second run is an input error naming the file.
        var again = Run("keys", "new", "--out", dir.FullName, "--name", "site");
        Assert.Equal(2, again.Code);
        Assert.Contains("site.pem already exists", again.Error);
    }

    [Fact]
    public void A_public_key_given_as_sign_key_is_refused_before_anything_is_written()
    {
        Assert.Equal(0, Run("keys", "new", "--out", dir.FullName).Code);
        var onnx = Path.Combine(dir.FullName, "m.onnx");
        var (code, _, error) = Run("export", "--checkpoint", Path.Combine(dir.FullName, "none.ckpt"), "--out", onnx,
            "--sign-key", Path.Combine(dir.FullName, "signing-key.pub.pem"));
        Assert.Equal(2, code);
        Assert.Contains("private key", error);
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void Export_with_sign_key_writes_a_manifest_signed_by_that_key()
    {
        Assert.Equal(0, Run("keys", "new", "--out", dir.FullName).Code);
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), LabelSets.ChestXray14.Count);
        var checkpoint = Path.Combine(dir.FullName, "tiny.ckpt");
        CheckpointFile.Save(checkpoint, model, CheckpointConfig.For(model, LabelSets.ChestXray14, LossSettings.PaperBiasedFocal));
        var onnx = Path.Combine(dir.FullName, "out", "tiny.onnx");
        var (code, output, error) = Run("export", "--checkpoint", checkpoint, "--out", onnx, "--sign-key", Path.Combine(dir.FullName, "signing-key.pem"));
        Assert.True(code == 0, error);
        Assert.Contains("signed with key", output);
        var trusted = Path.Combine(dir.FullName, "trusted");
        Directory.CreateDirectory(trusted);
        File.Copy(Path.Combine(dir.FullName, "signing-key.pub.pem"), Path.Combine(trusted, "k.pem"));
        var policy = new ManifestPolicy { TrustedKeys = TrustedKeys.Load(trusted), RequireQaVerdict = true };
        Assert.Equal(ModelPrecision.Fp32, policy.Load(onnx).Manifest.Precision);
    }
}
