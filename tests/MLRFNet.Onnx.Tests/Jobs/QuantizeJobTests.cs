using System.Security.Cryptography;
using MLRFNet.Core.Manifest;
using MLRFNet.Onnx.Quantization.Jobs;

namespace MLRFNet.Onnx.Tests.Jobs;

/// <summary>
/// <see cref="QuantizeJob"/>, the library API behind <c>mlrfnet quantize</c>: the one place a quantized model's
/// manifest is derived, calibration from a labelled folder, progress as events, nothing overwritten.
/// </summary>
public sealed class QuantizeJobTests(JobModels models) : IClassFixture<JobModels>
{
    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private sealed class Events : IProgress<JobEvent>
    {
        public List<JobEvent> All { get; } = [];

        public void Report(JobEvent value) => All.Add(value);
    }

    [Fact]
    public void Fp16_writes_the_model_and_the_fp32_manifest_derived_with_its_own_precision_sha_and_lineage()
    {
        // Catches: a manifest copied without the new SHA-256 (the box would refuse the model as tampered), without the
        // reference SHA-256 (qa could not check lineage), or carrying the FP32 model's QA result or signature.
        var output = models["fp16.onnx"];
        var result = new QuantizeJob(new QuantizeJobOptions { ModelPath = models.Fp32, OutputPath = output, Precision = ModelPrecision.Fp16 }).Run();
        var written = ModelManifest.Load(ModelManifest.ManifestPathFor(output));
        var fp32 = ModelManifest.Load(ModelManifest.ManifestPathFor(models.Fp32));
        Assert.Equal(ModelPrecision.Fp16, written.Precision);
        Assert.Equal(Sha256(output), written.OnnxSha256);
        Assert.Equal(Sha256(models.Fp32), written.ReferenceModelSha256);
        Assert.Equal(fp32.Labels, written.Labels);
        Assert.Equal(fp32.Preprocessing, written.Preprocessing);
        Assert.Null(written.Qa);
        Assert.Null(written.Signature);
        Assert.True(result.Accepted);
        Assert.Equal(written.OnnxSha256, result.Manifest.OnnxSha256);

        // Nothing is overwritten: a second run is refused before any work and leaves both files as they were.
        var before = File.ReadAllBytes(output);
        var e = Assert.Throws<IOException>(() => new QuantizeJob(new QuantizeJobOptions { ModelPath = models.Fp32, OutputPath = output, Precision = ModelPrecision.Fp16 }).Run());
        Assert.Contains("already exists", e.Message);
        Assert.Equal(before, File.ReadAllBytes(output));
    }

    [Fact]
    public void Int8_calibrates_on_the_labelled_folder_reports_progress_and_records_scheme_and_calibration()
    {
        var output = models["int8.onnx"];
        var events = new Events();
        var result = new QuantizeJob(new QuantizeJobOptions
        {
            ModelPath = models.Fp32, OutputPath = output, Precision = ModelPrecision.Int8,
            Int8 = new Int8JobOptions { Calibration = models.Dataset(), CalibrationName = "attributes.csv", Debug = true, CacheFolder = models["cache"] },
        }, events).Run();
        var written = ModelManifest.Load(ModelManifest.ManifestPathFor(output));
        Assert.Equal(ModelPrecision.Int8, written.Precision);
        Assert.Equal(Sha256(output), written.OnnxSha256);
        Assert.Equal("U8S8, target cpu", written.QuantizationScheme);
        Assert.StartsWith("12 images from attributes.csv (fingerprint ", written.CalibrationData);
        Assert.DoesNotContain(models.Folder, written.CalibrationData); // by name and fingerprint, never a local path
        Assert.True(File.Exists(result.SqnrReportPath), "the --debug SQNR JSON");
        Assert.Contains(events.All, e => e.Level == JobEventLevel.Info && e.Message.StartsWith("int8 scheme: ", StringComparison.Ordinal));
        Assert.Contains(events.All, e => e.Message.StartsWith("calibrating on 12 of 12 images (attributes.csv)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_model_that_is_not_fp32_or_has_no_manifest_is_refused_and_nothing_is_written()
    {
        var bare = models["bare.onnx"];
        File.Copy(models.Fp32, bare, overwrite: true);
        var output = models["never.onnx"];
        Assert.Throws<ModelRefusedException>(() => new QuantizeJob(new QuantizeJobOptions { ModelPath = bare, OutputPath = output, Precision = ModelPrecision.Fp16 }).Run());
        var e = Assert.Throws<ArgumentException>(() => new QuantizeJob(new QuantizeJobOptions { ModelPath = models.Fp32, OutputPath = output, Precision = ModelPrecision.Int8 }).Run());
        Assert.Contains("needs calibration images", e.Message);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(ModelManifest.ManifestPathFor(output)));
    }
}
