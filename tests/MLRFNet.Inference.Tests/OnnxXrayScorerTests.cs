using MLRFNet.Inference.Tests.Support;
using Xunit.Abstractions;

namespace MLRFNet.Inference.Tests;

public sealed class OnnxXrayScorerTests(ITestOutputHelper output)
{
    // ONNX Runtime float32 against the script's float64 numpy evaluation of the same weights.
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(GraphOptimization.All)]
    [InlineData(GraphOptimization.None)]
    public void Scores_match_the_numpy_reference(GraphOptimization level)
    {
        // Catches: wrong input layout or copy offsets, outputs read from the wrong name or slot, class maps sliced
        // with the wrong stride, a graph optimization that changes the function.
        using var scorer = new OnnxXrayScorer(TinyModel.ModelPath, new XrayScorerOptions { GraphOptimization = level });
        double maxLogit = 0, maxProbability = 0, maxMap = 0;
        foreach (var expected in TinyModel.Expected.Cases)
        {
            var r = scorer.Score([TinyModel.Image(expected.Seed)], includeClassMaps: true).Single();
            maxLogit = Math.Max(maxLogit, MaxAbs(r.Logits, expected.Logits));
            maxProbability = Math.Max(maxProbability, MaxAbs(r.Probabilities, expected.Probabilities));

            Assert.NotNull(r.ClassMaps);
            Assert.Equal(["class_map_u2", "class_map_u3", "class_map_u4"], r.ClassMaps.Select(m => m.Name));
            Assert.Equal([(28, 28), (14, 14), (7, 7)], r.ClassMaps.Select(m => (m.Height, m.Width)));
            Assert.All(r.ClassMaps, m => Assert.Equal(TinyModel.Classes, m.Classes));
            var (u2, u3, u4) = (r.ClassMaps[0], r.ClassMaps[1], r.ClassMaps[2]);
            maxMap = Math.Max(maxMap, MaxAbs(u4.Values, expected.ClassMapU4));
            foreach (var (i, v) in expected.ClassMapU2Samples) maxMap = Math.Max(maxMap, Math.Abs(u2.Values[i] - v));
            foreach (var (i, v) in expected.ClassMapU3Samples) maxMap = Math.Max(maxMap, Math.Abs(u3.Values[i] - v));
            Assert.Equal(expected.ClassMapU2Sum, u2.Values.Sum(v => (double)v), 1e-3);
            Assert.Equal(expected.ClassMapU3Sum, u3.Values.Sum(v => (double)v), 1e-3);
        }
        output.WriteLine($"{level}: max |logit diff| {maxLogit:E2}, max |probability diff| {maxProbability:E2}, max |class map diff| {maxMap:E2}");
        Assert.InRange(maxLogit, 0, Tolerance);
        Assert.InRange(maxProbability, 0, Tolerance);
        Assert.InRange(maxMap, 0, Tolerance);
    }

    [Fact]
    public void Batch_of_one_and_batch_of_eight_agree_and_keep_order()
    {
        // Catches: images mixed up across batch slots, a split batch losing or repeating images, stale values from
        // the previous (larger) batch leaking into a partial one.
        uint[] seeds = [.. TinyModel.Expected.Cases.Select(c => c.Seed), 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
        var images = seeds.Select(TinyModel.Image).ToArray();
        Assert.Equal(17, images.Length); // 8 + 8 + 1 with batch size 8

        using var single = new OnnxXrayScorer(TinyModel.ModelPath, new XrayScorerOptions { BatchSize = 1 });
        using var batched = new OnnxXrayScorer(TinyModel.ModelPath, new XrayScorerOptions { BatchSize = 8 });
        var one = images.Select(x => single.Score([x], includeClassMaps: true).Single()).ToArray();
        var many = batched.Score(images, includeClassMaps: true);
        var again = batched.Score(images[..3], includeClassMaps: true);

        Assert.Equal(images.Length, many.Count);
        double max = 0;
        for (var i = 0; i < images.Length; i++)
        {
            max = Math.Max(max, MaxAbs(one[i].Logits, many[i].Logits));
            max = Math.Max(max, MaxAbs(one[i].Probabilities, many[i].Probabilities));
            for (var m = 0; m < 3; m++) max = Math.Max(max, MaxAbs(one[i].ClassMaps![m].Values, many[i].ClassMaps![m].Values));
        }
        for (var i = 0; i < 3; i++) max = Math.Max(max, MaxAbs(one[i].Logits, again[i].Logits));
        output.WriteLine($"batch 1 vs batch 8 (17 images): max |diff| {max:E2}");
        Assert.InRange(max, 0, 1e-6);

        // The first four are the fixture's images: batched results are also right, not merely self-consistent.
        for (var i = 0; i < 4; i++)
            Assert.InRange(MaxAbs(many[i].Logits, TinyModel.Expected.Cases[i].Logits), 0, Tolerance);
        // Distinct images give distinct scores, so the agreement above is not vacuous.
        Assert.True(MaxAbs(many[0].Logits, many[1].Logits.Select(v => (double)v).ToArray()) > 1e-3);
    }

    [Fact]
    public void Class_maps_are_left_out_unless_asked_for()
    {
        using var scorer = new OnnxXrayScorer(TinyModel.ModelPath);
        var r = scorer.Score([TinyModel.Image(1)]).Single();
        Assert.Null(r.ClassMaps);
        Assert.Equal(TinyModel.Classes, r.Logits.Length);
        Assert.Equal(["class_map_u2", "class_map_u3", "class_map_u4"], scorer.ClassMapNames);
    }

    [Fact]
    public void Exposes_manifest_provider_and_options()
    {
        using var scorer = new OnnxXrayScorer(TinyModel.ModelPath);
        Assert.Equal("CPU", scorer.ExecutionProvider);
        Assert.Equal("tiny-mlrfnet", scorer.Manifest.ModelName);
        Assert.Equal(TinyModel.Expected.ModelSha256, scorer.Manifest.OnnxSha256);
        Assert.Equal(TinyModel.ImageLength, scorer.ImageLength);
        Assert.Empty(scorer.Score([]));
    }

    [Fact]
    public void Input_of_the_wrong_length_is_refused_with_the_expected_size()
    {
        using var scorer = new OnnxXrayScorer(TinyModel.ModelPath);
        var e = Assert.Throws<ArgumentException>(() => scorer.Score([TinyModel.Image(1), new float[224 * 224]]));
        Assert.Contains("Input 1 has 50176 values", e.Message);
        Assert.Contains("150528", e.Message);
        Assert.Throws<ArgumentException>(() => scorer.Score([null!]));
    }

    [Fact]
    public void Scoring_after_dispose_throws()
    {
        var scorer = new OnnxXrayScorer(TinyModel.ModelPath);
        scorer.Dispose();
        scorer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => scorer.Score([TinyModel.Image(1)]));
    }

    [Fact]
    public void Concurrent_callers_get_their_own_results()
    {
        // Catches: shared buffers read by one caller while another overwrites them (the lock in Score).
        using var scorer = new OnnxXrayScorer(TinyModel.ModelPath, new XrayScorerOptions { BatchSize = 2 });
        var cases = TinyModel.Expected.Cases;
        var images = cases.Select(c => TinyModel.Image(c.Seed)).ToArray();
        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            var i = k % cases.Length;
            var r = scorer.Score([images[i]]).Single();
            Assert.InRange(MaxAbs(r.Logits, cases[i].Logits), 0, Tolerance);
        });
    }

    internal static double MaxAbs(float[] actual, double[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0.0;
        for (var i = 0; i < actual.Length; i++) max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        return max;
    }

    private static double MaxAbs(float[] a, float[] b) => MaxAbs(a, b.Select(v => (double)v).ToArray());
}
