using System.Security.Cryptography;
using System.Text;
using MLRFNet.Core.Manifest;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Tests;

namespace MLRFNet.Core.Tests.Manifest;

/// <summary>Signing covers every field of the manifest; the trusted-keys folder decides unsigned / unknown / revoked / altered.</summary>
public sealed class ManifestSignatureTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mlrfnet-keys-").FullName;
    private static readonly SigningKey Key = SigningKey.Create();
    private static readonly SigningKey Other = SigningKey.Create();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    internal static ModelManifest Sample() => new()
    {
        ModelName = "m", ModelVersion = "1", Architecture = "mlrfnet", Precision = ModelPrecision.Int8, LabelSetName = "two",
        Labels = ["A", "B"], Preprocessing = PreprocessingSpec.ImageNet, Thresholds = [0.3351807f, 0.1f + 0.2f],
        OnnxSha256 = new string('a', 64), ReferenceModelSha256 = new string('b', 64),
        ThresholdsChosenOn = new DataSetRecord("validation.csv", 84, new string('c', 64)),
        CreatedUtc = new DateTimeOffset(2026, 12, 6, 3, 0, 0, 123, TimeSpan.Zero),
        Qa = new QaResult
        {
            Passed = false, Verdict = QaVerdict.Failed, ReferenceSha256 = new string('b', 64), EvaluationData = "validation.csv, 84 images",
            MeanAucDrop = 0.1 + 0.2, MeanAucDropUpper = 0.0148, MaxMeanAucDrop = 0.005, FlagChangeShare = 34 / 84.0, Reasons = ["why"],
            CheckedUtc = new DateTimeOffset(2026, 12, 6, 3, 1, 0, TimeSpan.Zero),
        },
    };

    private TrustedKeys Trust(params string[] revoked)
    {
        File.WriteAllText(Path.Combine(folder, "key.pub.pem"), Key.PublicKeyPem());
        if (revoked.Length > 0) File.WriteAllLines(Path.Combine(folder, TrustedKeys.RevokedListName), revoked);
        return TrustedKeys.Load(folder);
    }

    [Fact]
    public void A_signed_manifest_verifies_after_a_save_and_load_round_trip()
    {
        var path = Path.Combine(folder, "m.manifest.json");
        Key.Sign(Sample()).Save(path);
        var loaded = ModelManifest.Load(path);
        Assert.Equal(Key.KeyId, loaded.Signature!.KeyId);
        Assert.Equal(SignatureStatus.Valid, Trust().Check(loaded));
        // Canonical bytes are reproducible from the file (doubles and floats round-trip exactly).
        Assert.Equal(CanonicalManifest.Bytes(Key.Sign(Sample())), CanonicalManifest.Bytes(loaded));
    }

    public static TheoryData<string> Edits => new()
    {
        "passed", "verdict", "thresholds", "onnxSha256", "referenceModelSha256", "meanAucDrop", "labels", "preprocessing", "evaluationSet", "thresholdsChosenOn",
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void Editing_any_signed_field_is_detected_as_altered(string field)
    {
        var signed = Key.Sign(Sample());
        var qa = signed.Qa!;
        var edited = field switch
        {
            "passed" => signed with { Qa = qa with { Passed = true } },
            "verdict" => signed with { Qa = qa with { Verdict = QaVerdict.Passed } },
            "thresholds" => signed with { Thresholds = [0.3351807f, 0.29f] },
            "onnxSha256" => signed with { OnnxSha256 = new string('d', 64) },
            "referenceModelSha256" => signed with { ReferenceModelSha256 = new string('e', 64) },
            "meanAucDrop" => signed with { Qa = qa with { MeanAucDrop = qa.MeanAucDrop + 1e-15 } }, // one part in 10^15: doubles round-trip
            "labels" => signed with { Labels = ["A", "C"] },
            "preprocessing" => signed with { Preprocessing = signed.Preprocessing with { CropSize = 256 } },
            "evaluationSet" => signed with { Qa = qa with { EvaluationSet = new DataSetRecord("other.csv", 84, new string('f', 64)) } },
            "thresholdsChosenOn" => signed with { ThresholdsChosenOn = null },
            _ => throw new ArgumentException(field),
        };
        Assert.Equal(SignatureStatus.Valid, Trust().Check(signed));
        Assert.Equal(SignatureStatus.Altered, Trust().Check(edited));
    }

    [Fact]
    public void Unsigned_unknown_and_revoked_keys_are_told_apart()
    {
        var trust = Trust();
        Assert.Equal(SignatureStatus.Unsigned, trust.Check(Sample()));
        Assert.Equal(SignatureStatus.UnknownKey, trust.Check(Other.Sign(Sample())));
        // A signature block copied from another manifest onto this one names a trusted key but does not verify.
        var stolen = Sample() with { Signature = Key.Sign(Sample() with { ModelVersion = "2" }).Signature };
        Assert.Equal(SignatureStatus.Altered, trust.Check(stolen));
        var revoked = Trust("# rotated out 2026-12", Key.KeyId.ToUpperInvariant() + "  # old key");
        Assert.Equal(SignatureStatus.RevokedKey, revoked.Check(Key.Sign(Sample())));
    }

    [Fact]
    public void Several_trusted_keys_rotate_a_new_key_in_before_the_old_one_goes()
    {
        File.WriteAllText(Path.Combine(folder, "old.pub.pem"), Key.PublicKeyPem());
        File.WriteAllText(Path.Combine(folder, "new.pub.pem"), Other.PublicKeyPem());
        var trust = TrustedKeys.Load(folder);
        Assert.Equal(SignatureStatus.Valid, trust.Check(Key.Sign(Sample())));
        Assert.Equal(SignatureStatus.Valid, trust.Check(Other.Sign(Sample())));
    }

    [Fact]
    public void A_private_key_in_the_trusted_folder_is_refused()
    {
        File.WriteAllText(Path.Combine(folder, "oops.pem"), Key.PrivateKeyPem());
        var e = Assert.Throws<InvalidDataException>(() => TrustedKeys.Load(folder));
        Assert.Contains("private key", e.Message);
    }

    [Fact]
    public void The_key_id_is_the_sha256_of_the_subject_public_key_info()
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(Key.PublicKeyPem());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo())), Key.KeyId);
    }

    [SkippableFact]
    public void A_signature_verifies_with_python_cryptography()
    {
        const string python = "/usr/bin/python3";
        var probe = File.Exists(python) ? ExternalProcess.Run(python, ["-c", "import cryptography"], 30_000) : (-1, "no " + python);
        Skip.If(probe.Item1 != 0, "python3-cryptography is not installed (apt-get install python3-cryptography): " + probe.Item2);
        var signed = Key.Sign(Sample());
        var data = Path.Combine(folder, "canonical.bin");
        File.WriteAllBytes(data, CanonicalManifest.Bytes(signed));
        var pem = Path.Combine(folder, "key.pub.pem");
        File.WriteAllText(pem, Key.PublicKeyPem());
        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "verify_manifest_signature.py");
        var (code, output) = ExternalProcess.Run(python, [script, pem, data, signed.Signature!.Value, signed.Signature.KeyId], 60_000);
        Assert.True(code == 0, output);
        // ...and the same check fails on bytes of an edited manifest.
        File.WriteAllBytes(data, CanonicalManifest.Bytes(signed with { Qa = signed.Qa! with { Passed = true } }));
        Assert.NotEqual(0, ExternalProcess.Run(python, [script, pem, data, signed.Signature.Value, signed.Signature.KeyId], 60_000).ExitCode);
    }

    [Fact]
    public void The_data_set_fingerprint_is_the_documented_hash_of_sorted_lines_independent_of_names_and_order()
    {
        // The documented form: sha256 of "\n".join(sorted("<image sha256>,<0/1 labels>")), rebuilt here by hand.
        var a = Path.Combine(folder, "a.png");
        var b = Path.Combine(folder, "b.png");
        File.WriteAllBytes(a, "first image"u8.ToArray());
        File.WriteAllBytes(b, "second image"u8.ToArray());
        var record = DataSetRecord.Of("set.csv", [(b, [0f, 1f]), (a, [1f, 0f])]);
        var lines = new[] { Sha(File.ReadAllBytes(a)) + ",10", Sha(File.ReadAllBytes(b)) + ",01" }.Order(StringComparer.Ordinal);
        Assert.Equal(Sha(Encoding.UTF8.GetBytes(string.Join("\n", lines))), record.Fingerprint);
        Assert.Equal(record.Fingerprint, DataSetRecord.Of("renamed.csv", [(a, [1f, 0f]), (b, [0f, 1f])]).Fingerprint);
        Assert.NotEqual(record.Fingerprint, DataSetRecord.Of("set.csv", [(a, [1f, 1f]), (b, [0f, 1f])]).Fingerprint); // one label changed
        Assert.Equal(2, record.Images);
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
