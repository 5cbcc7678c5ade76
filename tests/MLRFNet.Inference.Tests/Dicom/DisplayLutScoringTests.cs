using MLRFNet.Imaging;
using MLRFNet.Tests;
using Xunit.Abstractions;

namespace MLRFNet.Inference.Tests.Dicom;

/// <summary>
/// A real CR film with Presentation LUT Shape INVERSE or a VOI LUT Sequence added scores like pydicom's rendering of
/// the same file (Fixtures/render_lut_variants.py: apply_modality_lut, apply_voi_lut, inversion), and INVERSE does
/// not score like the original (before issue 15 it did: the attribute was ignored silently).
/// </summary>
public sealed class DisplayLutScoringTests(ITestOutputHelper output)
{
    private const string Source = "nih-00000797-cr-12bit-explicit-le.dcm";

    [SkippableTheory]
    [InlineData("inverse")]
    [InlineData("voi_lut")]
    public void Variant_scores_like_its_pydicom_rendering(string variant)
    {
        var source = SharedData.Require("dicom", Source);
        Skip.IfNot(File.Exists("/usr/bin/python3"), "/usr/bin/python3 (with python3-pydicom) is absent: LUT scoring test skipped.");
        var folder = Directory.CreateTempSubdirectory("mlrfnet-i15-lut-");
        try
        {
            var script = Path.Combine(SharedData.RepoRoot, "tests", "MLRFNet.Inference.Tests", "Fixtures", "render_lut_variants.py");
            var (code, log) = ExternalProcess.Run("/usr/bin/python3", [script, source, folder.FullName], 300_000);
            Assert.True(code == 0, $"render_lut_variants.py failed: {log}");
            var ours = XrayDecoder.DecodeFile(Path.Combine(folder.FullName, variant + ".dcm"));
            var bytes = File.ReadAllBytes(Path.Combine(folder.FullName, variant + ".f32"));
            var pydicom = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, pydicom, 0, bytes.Length);
            var maxPixel = ours.Pixels.Zip(pydicom, (a, b) => Math.Abs(a - b)).Max();
            var rendered = new XrayImage(ours.Width, ours.Height, pydicom, ours.SourceBitDepth, XrayFormat.Png);
            var original = XrayDecoder.DecodeFile(source);

            using var scorer = new OnnxXrayScorer(Path.Combine(SharedData.RepoRoot, "models", "chestxray14-demo.onnx"));
            var spec = scorer.Manifest.Preprocessing;
            float[] Score(XrayImage image) => scorer.Score([EvalTransform.ToTensor(image, spec)])[0].Probabilities;
            var (p, reference, before) = (Score(ours), Score(rendered), Score(original));
            var dp = p.Zip(reference, (a, b) => Math.Abs((double)a - b)).Max();
            var changed = p.Zip(before, (a, b) => Math.Abs((double)a - b)).Max();
            output.WriteLine($"{variant}: max |pixel - pydicom| = {maxPixel:E2}; max |dp| vs pydicom rendering = {dp:E2}; " +
                $"max |dp| vs the unmodified file = {changed:E2}");
            Assert.InRange(maxPixel, 0, 1e-3);
            Assert.InRange(dp, 0, 1e-6);
            Assert.True(changed > 1e-3, $"{variant} scores like the unmodified file (max |dp| {changed:E2}): the attribute is ignored");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
