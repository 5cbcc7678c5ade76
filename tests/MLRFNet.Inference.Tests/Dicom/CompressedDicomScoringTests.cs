using MLRFNet.Imaging;
using MLRFNet.Tests;
using Xunit.Abstractions;

namespace MLRFNet.Inference.Tests.Dicom;

/// <summary>
/// A lossless copy of a real chest X-ray, compressed by dcmtk or GDCM at test time, scores exactly like the
/// uncompressed file through the shipped FP32 model: what a clinic sees does not depend on how the modality sent it.
/// Catches a decoder that is pixel-exact on the small phantoms but wrong on a real 12-bit CR film (size, restart
/// intervals, value range), and a transfer-syntax path that preprocesses differently from the native one.
/// </summary>
public sealed class CompressedDicomScoringTests(ITestOutputHelper output)
{
    private const string Source = "nih-00000797-cr-12bit-explicit-le.dcm";

    public static TheoryData<string, string[]> Encoders => new()
    {
        { "JPEG Lossless SV1 (.70)", ["dcmcjpeg", "+e1"] },
        { "JPEG Lossless predictor 6 (.57)", ["dcmcjpeg", "+el", "+sv", "6"] },
        { "JPEG-LS lossless (.80)", ["dcmcjpls", "+el"] },
        { "JPEG 2000 lossless (.90)", ["gdcmconv", "--j2k"] },
        { "RLE (.5)", ["dcmcrle"] },
        { "Deflated (.1.99)", ["dcmconv", "+td"] },
    };

    [SkippableTheory]
    [MemberData(nameof(Encoders))]
    public void Lossless_copy_scores_like_the_uncompressed_file(string syntax, string[] encoder)
    {
        var source = SharedData.Require("dicom", Source);
        Skip.IfNot(File.Exists($"/usr/bin/{encoder[0]}"), $"{encoder[0]} is not installed (dcmtk / libgdcm-tools): {syntax} scoring test skipped.");
        var folder = Directory.CreateTempSubdirectory("mlrfnet-i15-");
        try
        {
            var copy = Path.Combine(folder.FullName, "copy.dcm");
            var (code, log) = ExternalProcess.Run(encoder[0], [.. encoder[1..], source, copy], 120_000);
            Assert.True(code == 0, $"{string.Join(' ', encoder)} failed: {log}");
            using var scorer = new OnnxXrayScorer(Path.Combine(SharedData.RepoRoot, "models", "chestxray14-demo.onnx"));
            var spec = scorer.Manifest.Preprocessing;
            var original = XrayDecoder.DecodeFile(source);
            var compressed = XrayDecoder.DecodeFile(copy);
            Assert.NotEqual(original.Dicom!.TransferSyntaxUid, compressed.Dicom!.TransferSyntaxUid);
            Assert.True(original.Pixels.AsSpan().SequenceEqual(compressed.Pixels), $"{syntax}: the decoded display pixels differ");
            // Scored one at a time, as the service does; in one batch ONNX Runtime's slot-dependent kernels differ by ~6e-8.
            var scores = new[] { scorer.Score([EvalTransform.ToTensor(original, spec)])[0], scorer.Score([EvalTransform.ToTensor(compressed, spec)])[0] };
            var dp = scores[0].Probabilities.Zip(scores[1].Probabilities, (a, b) => Math.Abs((double)a - b)).Max();
            output.WriteLine($"{syntax} ({compressed.Dicom.TransferSyntaxUid}, {new FileInfo(copy).Length} of " +
                $"{new FileInfo(source).Length} bytes): max |dp| = {dp:E2} over {scores[0].Probabilities.Length} findings");
            Assert.InRange(dp, 0, 1e-6);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
