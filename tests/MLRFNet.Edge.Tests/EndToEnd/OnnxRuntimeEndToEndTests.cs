using System.Text.Json;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Scoring;
using MLRFNet.Edge.Tests.Support;
using MLRFNet.Imaging;
using MLRFNet.Inference;
using Microsoft.Extensions.DependencyInjection;

namespace MLRFNet.Edge.Tests.EndToEnd;

/// <summary>
/// The production scorer path (OnnxScorerFactory -> OnnxXrayScorer -> ONNX Runtime) with the tiny 14-class model that
/// MLRFNet.Inference's committed script builds (Res2Net-free, but the real I/O contract: logits, probabilities and
/// three class-map levels).
/// </summary>
public sealed class OnnxRuntimeEndToEndTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task TheRealScorerProducesReportsThatMatchADirectRun()
    {
        var modelFolder = Path.Combine(temp.Path, "tiny");
        Directory.CreateDirectory(modelFolder);
        foreach (var name in new[] { "tiny_mlrfnet.onnx", "tiny_mlrfnet.manifest.json" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", name), Path.Combine(modelFolder, name));
        var modelPath = Path.Combine(modelFolder, "tiny_mlrfnet.onnx");
        TestKeys.Sign(modelPath);

        await using var host = EdgeTestHost.Create(temp.Path, s => s["Inference:ModelPath"] = modelPath, writeModel: false,
            services: s => s.AddSingleton<IXrayScorerFactory, OnnxScorerFactory>());
        await host.StartAsync();
        var inputs = new Dictionary<string, byte[]> { ["a.png"] = SyntheticXrays.Png(1, 300, 260), ["b.dcm"] = SyntheticXrays.Dicom16(2, 240, 256) };
        foreach (var (name, bytes) in inputs) await File.WriteAllBytesAsync(Path.Combine(host.Intake, name), bytes);
        await host.WaitUntilAsync(() => host.Inputs(host.Archive).Length == 2, what: "tiny-model reports");

        using var direct = new OnnxXrayScorer(modelPath);
        foreach (var (name, bytes) in inputs)
        {
            var report = host.ReportJsons().Select(n => JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(host.Reports, n)),
                EdgeJsonContext.Default.StudyReport)!).Single(r => r.Input.Name == name);
            Assert.Equal("CPU", report.Model.ExecutionProvider);
            Assert.Equal(direct.Manifest.OnnxSha256, report.Model.Sha256);
            Assert.Equal(14, report.Classes.Count);
            Assert.Equal(direct.Manifest.Labels, report.Classes.Select(c => c.Label));
            // The service must feed the model exactly the manifest's preprocessing of the decoded image.
            var image = XrayDecoder.Decode(bytes);
            var expected = direct.Score([EvalTransform.ToTensor(image, direct.Manifest.Preprocessing)])[0].Probabilities;
            for (var c = 0; c < 14; c++) Assert.Equal(expected[c], report.Classes[c].Probability, 6);
        }
    }
}
