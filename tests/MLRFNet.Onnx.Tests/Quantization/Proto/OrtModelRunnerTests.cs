using MLRFNet.Onnx.Quantization.Proto;
using Xunit.Abstractions;

namespace MLRFNet.Onnx.Tests.Quantization.Proto;

public class OrtModelRunnerTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("convStack", 64)]
    [InlineData("branchOps", 32)]
    public void FixtureModels_MatchPyTorchOnReferenceImages(string model, int size)
    {
        // Reference: torch.nn.functional forward of the same weights in the fixture script; FP32 tolerance as timm's
        // golden tests (rtol 1e-3, atol 1e-4). Catches a wrong fixture model, input layout or output read-back.
        var fixture = QuantizationFixture.Root.GetProperty("referenceImages").GetProperty(model);
        var count = fixture.GetProperty("count").GetInt32();
        var images = Enumerable.Range(0, count).Select(k => TestModels.ReferenceImage(k, 3, size)).ToList();
        using var runner = OrtModelRunner.Create(model == "convStack" ? TestModels.ConvStack : TestModels.BranchOps);
        var probabilities = runner.Run([TestModels.Batch("input", images, 3, size)], ["probabilities"])[0];

        var expected = QuantizationFixture.Matrix(fixture.GetProperty("probabilities"));
        Assert.Equal(expected.Length, probabilities.Data.Length);
        output.WriteLine($"{model}: max |ORT - PyTorch| = {expected.Zip(probabilities.Data, (e, a) => Math.Abs(e - a)).Max():E2}");
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - probabilities.Data[i]) <= 1e-4 + 1e-3 * Math.Abs(expected[i]),
                $"element {i}: ORT {probabilities.Data[i]}, PyTorch {expected[i]}");
    }

    [Fact]
    public void Run_RejectsMissingInputAndWrongShape()
    {
        using var runner = OrtModelRunner.Create(TestModels.ConvStack);
        Assert.Throws<ArgumentException>(() => runner.Run([]));
        var bad = new NamedTensor("input", new float[10], [1, 3, 64, 64]);
        var e = Assert.Throws<ArgumentException>(() => runner.Run([bad]));
        Assert.Contains("needs 12288", e.Message);
    }

    [Fact]
    public void Create_GivesTypedErrorForMissingOrInvalidModel()
    {
        Assert.Throws<FileNotFoundException>(() => OrtModelRunner.Create("/nonexistent/model.onnx"));
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelFile.Load(Path.Combine(TestModels.Fixtures, "quantization_fixtures.json")));
        Assert.Contains("not an ONNX model", e.Message);
    }
}
