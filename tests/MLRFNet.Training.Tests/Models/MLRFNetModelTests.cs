using MLRFNet.Training.Models;
using MLRFNet.Training.Pretrained;
using MLRFNet.Training.Tests.TestSupport;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRFNet.Training.Tests.Models;

public sealed class MLRFNetModelTests(ITestOutputHelper output)
{
    [Fact]
    public void TinyModel_LoadsPyTorchStateDict_AndReproducesPyTorchOutputs()
    {
        // mlrfnet_tiny_state_dict.pt / mlrfnet_tiny_io.pt (make_model_references.py): a seeded PyTorch MLRFNet-tiny
        // saved with torch.save (zip), eval mode, 2x3x64x64 input. Loads strictly by key through PyBridge, so it also
        // checks the whole model's key layout; the outputs check backbone (incl. the hierarchical residual of the
        // second block of every stage), ECA, the three CSRA heads, the sum and the score maps end to end.
        var io = Fixture.Tensors("mlrfnet_tiny_io.pt");
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 3);
        var report = StateDictImporter.LoadFile(model, "mlrfnet-tiny", Fixture.PathOf("mlrfnet_tiny_state_dict.pt"), new ImportOptions { SkipPrefixes = [] });
        Assert.True(report.IsComplete, report.Summary);
        Assert.Equal(model.state_dict().Count, report.Loaded.Count);
        model.eval();
        using var noGrad = no_grad();
        using var features = model.Backbone.call(io["input"]);
        using var result = model.ForwardWithScoreMaps(io["input"]);

        var diffs = new Dictionary<string, double>
        {
            ["u2"] = Fixture.MaxAbsDiff(features.U2, io["u2"]),
            ["u3"] = Fixture.MaxAbsDiff(features.U3, io["u3"]),
            ["u4"] = Fixture.MaxAbsDiff(features.U4, io["u4"]),
            ["logits"] = Fixture.MaxAbsDiff(result.Logits, io["logits"]),
        };
        for (var i = 0; i < 3; i++) diffs[$"score_map{i}"] = Fixture.MaxAbsDiff(result.ScoreMaps[i], io[$"score_map{i}"]);
        foreach (var (name, diff) in diffs)
        {
            output.WriteLine($"mlrfnet-tiny {name}: max abs diff {diff:E2}");
            Assert.True(diff < 1e-4, $"{name} max abs diff {diff}");
        }
    }

    [Theory]
    [InlineData("mlrfnet", 3)]
    [InlineData("mlrfnet-no-eca", 3)]
    [InlineData("resnet50-mrfc", 3)]
    [InlineData("mlrfnet-r18", 3)]
    [InlineData("mlrfnet-gap-fc", 1)]
    public void Forward_At224_GivesLogitsAndScoreMaps(string variant, int maps)
    {
        using var model = new MLRFNetModel(ModelVariants.Get(variant), 14);
        model.eval();
        using var noGrad = no_grad();
        using var x = randn(2, 3, 224, 224);
        using var result = model.ForwardWithScoreMaps(x);
        Assert.Equal(new long[] { 2, 14 }, result.Logits.shape);
        Assert.Equal(maps, result.ScoreMaps.Count);
        long[][] sizes = maps == 3 ? [[28, 28], [14, 14], [7, 7]] : [[7, 7]];
        for (var i = 0; i < maps; i++) Assert.Equal(new long[] { 2, 14, sizes[i][0], sizes[i][1] }, result.ScoreMaps[i].shape);
        using var logits = model.call(x);
        Assert.True(Fixture.MaxAbsDiff(logits, result.Logits) == 0, "forward and ForwardWithScoreMaps disagree");
    }

    [Theory]
    [InlineData("mlrfnet", true, 516)]          // 510 + eca2/3/4.conv.weight + classifier.csra.{0,1,2}.head.weight
    [InlineData("mlrfnet-no-eca", false, 513)]  // 510 + 3 CSRA weights
    [InlineData("mlrfnet-gap-fc", true, 513)]   // 510 + eca4.conv.weight + classifier.fc.weight/bias
    public void StateDict_AddsEcaAndHeadKeysToTheBackbone(string variant, bool eca, int entries)
    {
        // Catches modules registered twice (e.g. through a property's backing field) or ECA where the head reads nothing.
        using var model = new MLRFNetModel(ModelVariants.Get(variant), 14);
        var keys = model.state_dict().Keys.ToList();
        output.WriteLine(string.Join("\n", keys.Where(k => !k.StartsWith("backbone.", StringComparison.Ordinal))));
        Assert.Equal(510, keys.Count(k => k.StartsWith("backbone.", StringComparison.Ordinal)));
        Assert.Equal(eca, keys.Any(k => k.StartsWith("eca", StringComparison.Ordinal)));
        Assert.Equal(entries, keys.Count);
    }

    [Fact]
    public void TrainingStep_ReachesEveryParameter_AndLowersTheLoss()
    {
        // Catches a detached path (a level, ECA or head whose parameters get no gradient) and a loss that cannot be
        // optimised: 8 synthetic images, 3 labels, a few Adam steps with the paper's loss.
        manual_seed(11);
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 3);
        using var loss = MLRFNet.Training.Losses.LossFunctions.Create(MLRFNet.Training.Losses.LossSettings.PaperBiasedFocal);
        using var x = randn(8, 3, 64, 64);
        using var y = (rand(8, 3) > 0.5).to(float32);
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        model.train();
        float first = 0, last = 0;
        for (var step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var value = loss.call(model.call(x), y);
            value.backward();
            if (step == 0)
            {
                var noGradient = model.named_parameters()
                    .Where(p => p.parameter.grad is null || p.parameter.grad.abs().sum().item<float>() == 0).Select(p => p.name).ToList();
                Assert.True(noGradient.Count == 0, "no gradient reaches: " + string.Join(", ", noGradient));
                first = value.item<float>();
            }
            last = value.item<float>();
            optimizer.step();
        }
        output.WriteLine($"biased focal loss {first:F5} -> {last:F5} after 5 steps");
        Assert.True(last < first, $"loss did not decrease ({first} -> {last})");
    }

    [Fact]
    public void Forward_224_Batch1_EvalMode_Completes()
    {
        // Not a speed assertion (speed goals live in benchmarks); the time is printed for the record.
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet"), 14);
        model.eval();
        using var noGrad = no_grad();
        using var x = randn(1, 3, 224, 224);
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using var logits = model.call(x);
            times.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(new long[] { 1, 14 }, logits.shape);
            Assert.True(logits.isfinite().all().item<bool>());
        }
        output.WriteLine($"mlrfnet forward 1x3x224x224 eval, {get_num_threads()} threads: {string.Join(" / ", times.Select(t => $"{t:F0} ms"))}");
    }

    [Fact]
    public void WrongInputShape_IsRejectedWithTheShape()
    {
        using var model = new MLRFNetModel(ModelVariants.Get("mlrfnet-tiny"), 2);
        using var x = zeros(1, 1, 64, 64);
        var e = Assert.Throws<ArgumentException>(() => model.ForwardWithScoreMaps(x));
        Assert.Contains("[1, 1, 64, 64]", e.Message);
    }
}
