using MLRFNet.Core.Manifest;
using MLRFNet.Onnx.Qa;
using MLRFNet.Onnx.Quantization.Jobs;
using MLRFNet.Onnx.Tests.Qa;

namespace MLRFNet.Onnx.Tests.Jobs;

/// <summary>
/// <see cref="QaJob"/>, the library API behind <c>mlrfnet qa</c>: lineage and preprocessing-equality rules before
/// anything is written, the verdict recorded in the candidate's manifest and signed.
/// </summary>
public sealed class QaJobTests(JobModels models) : IClassFixture<JobModels>
{
    private string Fp16(string name)
    {
        var output = models[name];
        new QuantizeJob(new QuantizeJobOptions { ModelPath = models.Fp32, OutputPath = output, Precision = ModelPrecision.Fp16 }).Run();
        return output;
    }

    private QaJobOptions Options(string reference, string candidate, string report, SigningKey? key = null) => new()
    {
        ReferencePath = reference, CandidatePath = candidate, ReportFolder = models[report], Images = models.Dataset(), ImagesName = "attributes.csv",
        LatencyRuns = 1, Bootstrap = 50, CacheFolder = models["cache"], SignKey = key,
    };

    [Fact]
    public void The_verdict_is_recorded_in_the_candidate_manifest_signed_with_the_key()
    {
        var candidate = Fp16("qa-fp16.onnx");
        using var key = SigningKey.Create();
        var result = new QaJob(Options(models.Fp32, candidate, "qa-report", key)).Run();
        var recorded = ModelManifest.Load(ModelManifest.ManifestPathFor(candidate));
        Assert.Equal(result.Report.Verdict, recorded.Qa!.Verdict);
        Assert.Equal(QaVerdict.Inconclusive, recorded.Qa.Verdict); // 12 images are below the 50-image floor
        Assert.Equal(result.Report.CandidateSha256, recorded.OnnxSha256);
        Assert.Equal(key.KeyId, recorded.Signature!.KeyId);
        Assert.True(File.Exists(result.JsonPath) && File.Exists(result.HtmlPath));
        // A second run into the same report folder is refused; nothing is overwritten.
        var e = Assert.Throws<IOException>(() => new QaJob(Options(models.Fp32, candidate, "qa-report", key)).Run());
        Assert.Contains("already exists", e.Message);
    }

    [Fact]
    public void A_candidate_compared_with_another_reference_or_preprocessing_is_refused_before_anything_is_written()
    {
        // Catches: a gate that compares a candidate with an FP32 model it was not made from, or two "precisions" that
        // preprocess differently; either would record a verdict about the wrong pair.
        var candidate = Fp16("lineage-fp16.onnx");
        var before = File.ReadAllText(ModelManifest.ManifestPathFor(candidate));
        var other = models["other-fp32.onnx"];
        GateModels.WithFixedSize(TestModels.ConvStack, other, 64);
        File.AppendAllText(other, " "); // another file: lineage refuses it before ONNX Runtime would ever read it
        GateModels.WriteManifest(other, ModelPrecision.Fp32);
        var e = Assert.Throws<InvalidDataException>(() => new QaJob(Options(other, candidate, "r-lineage")).Run());
        Assert.Contains("compare it with the FP32 model it was quantized from", e.Message);

        // Same file as the reference, but its manifest claims other preprocessing.
        var relabelled = models["fp32-224.onnx"];
        File.Copy(models.Fp32, relabelled, overwrite: true);
        (GateModels.ManifestFor(relabelled, ModelPrecision.Fp32) with { Preprocessing = GateModels.Spec with { ResizeSize = 72 } })
            .Save(ModelManifest.ManifestPathFor(relabelled));
        e = Assert.Throws<InvalidDataException>(() => new QaJob(Options(relabelled, candidate, "r-preprocessing")).Run());
        Assert.Contains("different preprocessing", e.Message);

        Assert.Equal(before, File.ReadAllText(ModelManifest.ManifestPathFor(candidate)));
        Assert.False(Directory.Exists(models["r-lineage"]) || Directory.Exists(models["r-preprocessing"]));
    }

    [Fact]
    public void A_reference_without_a_manifest_is_accepted_when_its_sha_is_the_candidate_lineage()
    {
        var candidate = Fp16("bare-ref-fp16.onnx");
        var bare = Path.Combine(models.Folder, "bare-reference", "fp32.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(bare)!);
        File.Copy(models.Fp32, bare, overwrite: true);
        var result = new QaJob(Options(bare, candidate, "r-bare")).Run();
        Assert.Equal(ModelManifest.Load(ModelManifest.ManifestPathFor(candidate)).ReferenceModelSha256, result.Report.ReferenceSha256);
    }

    [Fact]
    public void Gate_images_from_the_runs_train_or_validation_part_are_refused_before_anything_is_written()
    {
        // Catches: a gate judged on images that trained the model (or chose its checkpoint), which flatters it; the
        // run's split.json names them, and QA must refuse them, as evaluate --write-thresholds does.
        var candidate = Fp16("run-fp16.onnx");
        var before = File.ReadAllText(ModelManifest.ManifestPathFor(candidate));
        var ids = models.Dataset().Items.Select(i => i.ImageIndex).ToArray();
        var run = models["run-with-split"];
        Directory.CreateDirectory(run);
        new Imaging.Datasets.SplitRecord
        {
            Kind = "random", Fractions = [0.7, 0.1, 0.2], Files = [],
            Source = new Imaging.Datasets.DatasetSource { Labels = models["labels.csv"], Images = [models["images"]] },
            Train = ["not-in-this-set.png", ids[0]], Validation = [ids[1]], Test = ids[2..],
        }.Write(run);

        var e = Assert.Throws<Imaging.Datasets.SplitOverlapException>(() => new QaJob(Options(models.Fp32, candidate, "r-run") with { RunFolder = run }).Run());
        Assert.Equal([ids[0]], e.Overlap.Train);
        Assert.Equal([ids[1]], e.Overlap.Validation);
        Assert.Contains(ids[0], e.Message);
        Assert.Contains("--split test", e.Message);
        Assert.Equal(before, File.ReadAllText(ModelManifest.ManifestPathFor(candidate)));
        Assert.False(Directory.Exists(models["r-run"]));

        // Judged on the run's test part only, the same job runs.
        var testOnly = models["run-test-only"];
        Directory.CreateDirectory(testOnly);
        new Imaging.Datasets.SplitRecord
        {
            Kind = "random", Fractions = [0.7, 0.1, 0.2], Files = [],
            Source = new Imaging.Datasets.DatasetSource { Labels = models["labels.csv"], Images = [models["images"]] },
            Train = ["a.png"], Validation = ["b.png"], Test = ids,
        }.Write(testOnly);
        var result = new QaJob(Options(models.Fp32, candidate, "r-run-test") with { RunFolder = testOnly }).Run();
        Assert.True(File.Exists(result.JsonPath));
    }
}
