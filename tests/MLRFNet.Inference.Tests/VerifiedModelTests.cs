using Microsoft.Extensions.Logging;
using MLRFNet.Core.Manifest;
using MLRFNet.Inference.Tests.Support;

namespace MLRFNet.Inference.Tests;

/// <summary>
/// Integrity (SHA-256) and QA-verdict checks of <see cref="ManifestPolicy"/> as a scorer that loads a model by path
/// applies them (signatures: MLRFNet.Core.Tests' ManifestPolicyTests).
/// </summary>
public sealed class VerifiedModelTests
{
    private static readonly XrayScorerOptions Edge = new() { Policy = new ManifestPolicy { RequireQaVerdict = true } };

    private static QaResult Qa(bool passed, string reference = "ab12") => new()
    {
        Passed = passed, Verdict = passed ? QaVerdict.Passed : QaVerdict.Failed, ReferenceSha256 = reference, EvaluationData = "nih-sample", MeanAucDrop = passed ? 0.002 : 0.03,
        MaxMeanAucDrop = 0.01, WorstClass = "Hernia", WorstClassAucDrop = passed ? 0.01 : 0.08, MaxClassAucDrop = 0.03,
    };

    [Fact]
    public void A_modified_model_file_is_refused_naming_both_files_and_the_fix()
    {
        using var copy = TinyModel.Copy();
        var bytes = File.ReadAllBytes(copy.ModelPath);
        bytes[^1] ^= 0x01; // one bit in the last initializer value
        File.WriteAllBytes(copy.ModelPath, bytes);

        var e = Assert.Throws<ModelRefusedException>(() => new OnnxXrayScorer(copy.ModelPath));
        Assert.Equal(RefusalReason.IntegrityMismatch, e.Reason);
        Assert.Equal(copy.ModelPath, e.ModelPath);
        Assert.Contains(TinyModel.Expected.ModelSha256, e.Message);
        Assert.Contains(ModelManifest.Sha256OfFile(copy.ModelPath), e.Message);
        Assert.Contains(copy.ModelPath, e.Message);
        Assert.Contains(copy.ManifestPath, e.Message);
        Assert.Contains("Reinstall", e.Message);
    }

    [Fact]
    public void A_manifest_of_another_model_is_refused()
    {
        using var copy = TinyModel.Copy(m => m with { OnnxSha256 = new string('0', 64) });
        Assert.Equal(RefusalReason.IntegrityMismatch, Assert.Throws<ModelRefusedException>(() => new OnnxXrayScorer(copy.ModelPath)).Reason);
    }

    [Fact]
    public void Upper_case_hex_in_the_manifest_is_accepted()
    {
        using var copy = TinyModel.Copy(m => m with { OnnxSha256 = m.OnnxSha256.ToUpperInvariant() });
        using var scorer = new OnnxXrayScorer(copy.ModelPath);
        Assert.Equal("CPU", scorer.ExecutionProvider);
    }

    [Fact]
    public void A_model_without_a_manifest_is_refused_naming_the_expected_path()
    {
        using var copy = TinyModel.Copy();
        File.Delete(copy.ManifestPath);
        var e = Assert.Throws<ModelRefusedException>(() => new OnnxXrayScorer(copy.ModelPath));
        Assert.Equal(RefusalReason.Missing, e.Reason);
        Assert.Contains(copy.ManifestPath, e.Message);
    }

    [Fact]
    public void A_missing_model_file_is_refused()
    {
        var e = Assert.Throws<ModelRefusedException>(() => new OnnxXrayScorer("/nonexistent/model.onnx"));
        Assert.Equal(RefusalReason.Missing, e.Reason);
        Assert.Contains("/nonexistent/model.onnx", e.Message);
    }

    [Fact]
    public void Reduced_precision_without_qa_is_refused_by_the_edge_policy()
    {
        using var copy = TinyModel.Copy(m => m with { Precision = ModelPrecision.Int8, Qa = null });
        var e = Assert.Throws<ModelRefusedException>(() => new OnnxXrayScorer(copy.ModelPath, Edge));
        Assert.Equal(RefusalReason.QaMissing, e.Reason);
        Assert.Contains("Int8", e.Message);
        Assert.Contains("no QA verdict", e.Message);
        Assert.Contains("mlrfnet qa", e.Message);
    }

    [Fact]
    public void Reduced_precision_with_failed_qa_is_refused_with_the_numbers()
    {
        using var copy = TinyModel.Copy(m => m with { Precision = ModelPrecision.Fp16, Qa = Qa(passed: false) });
        var e = Assert.Throws<ModelRefusedException>(() => new OnnxXrayScorer(copy.ModelPath, Edge));
        Assert.Equal(RefusalReason.QaFailed, e.Reason);
        Assert.Contains("failed its QA gate", e.Message);
        Assert.Contains("0.0300", e.Message);
        Assert.Contains("Hernia", e.Message);
    }

    [Fact]
    public void Qa_run_against_another_reference_is_refused()
    {
        using var copy = TinyModel.Copy(m => m with
        {
            Precision = ModelPrecision.Int8, ReferenceModelSha256 = "cd34", Qa = Qa(passed: true, reference: "ab12"),
        });
        var e = Assert.Throws<ModelRefusedException>(() => new OnnxXrayScorer(copy.ModelPath, Edge));
        Assert.Equal(RefusalReason.Lineage, e.Reason);
        Assert.Contains("cd34", e.Message);
    }

    [Fact]
    public void Reduced_precision_with_passed_qa_loads_under_the_edge_policy()
    {
        using var copy = TinyModel.Copy(m => m with
        {
            Precision = ModelPrecision.Int8, ReferenceModelSha256 = "ab12", Qa = Qa(passed: true, reference: "AB12"),
        });
        using var scorer = new OnnxXrayScorer(copy.ModelPath, Edge);
        Assert.Equal(ModelPrecision.Int8, scorer.Manifest.Precision);
    }

    [Fact]
    public void Fp32_reference_models_need_no_qa_under_the_edge_policy()
    {
        using var copy = TinyModel.Copy(m => m with { Precision = ModelPrecision.Fp32, Qa = null });
        using var scorer = new OnnxXrayScorer(copy.ModelPath, Edge);
        Assert.Equal(ModelPrecision.Fp32, scorer.Manifest.Precision);
    }

    [Fact]
    public void Without_a_qa_requirement_an_unchecked_int8_model_loads_with_a_warning_from_the_scorer()
    {
        using var copy = TinyModel.Copy(m => m with { Precision = ModelPrecision.Int8, Qa = null });
        var logger = new ListLogger<OnnxXrayScorer>();
        using var scorer = new OnnxXrayScorer(copy.ModelPath, new XrayScorerOptions(), logger);
        var warning = Assert.Single(logger.Entries, e => e.EventId == 1006);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(copy.ModelPath, warning.Message);
    }
}
