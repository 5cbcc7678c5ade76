using Microsoft.Extensions.Logging;
using MLRFNet.Inference.Tests.Support;
using Xunit.Abstractions;

namespace MLRFNet.Inference.Tests.ExecutionProviders;

/// <summary>
/// Provider fallback on this GPU-less machine with the CPU-only ONNX Runtime package: TensorRT and CUDA cannot be
/// had, so the scorer must end on CPU and say why in the log.
/// </summary>
public sealed class SessionFactoryTests(ITestOutputHelper output)
{
    [Fact]
    public void Tensorrt_and_cuda_fall_back_to_cpu_with_logged_reasons()
    {
        var logger = new ListLogger<OnnxXrayScorer>();
        using var scorer = new OnnxXrayScorer(TinyModel.ModelPath,
            new XrayScorerOptions { ExecutionProviders = ["TensorRT", "CUDA", "CPU"], TensorRtFp16 = true }, logger);
        foreach (var e in logger.Entries) output.WriteLine($"{e.Level} {e.EventId}: {e.Message}");

        Assert.Equal("CPU", scorer.ExecutionProvider);
        foreach (var provider in new[] { "TensorRT", "CUDA" })
        {
            var failure = Assert.Single(logger.Entries, e => e.EventId is 1002 or 1003 && e.Message.Contains($"provider {provider} "));
            Assert.Equal(LogLevel.Warning, failure.Level);
            var reason = failure.Message[(failure.Message.IndexOf("next one: ", StringComparison.Ordinal) + 10)..failure.Message.IndexOf(". It needs", StringComparison.Ordinal)];
            Assert.True(reason.Length > 10, $"the reason is missing: '{failure.Message}'");
            Assert.Contains("GPU build of ONNX Runtime", failure.Message);
        }
        var selected = Assert.Single(logger.Entries, e => e.EventId == 1005);
        Assert.Contains("provider CPU selected", selected.Message);
        // TensorRT is tried (and logged) before CUDA: the preference order is respected.
        Assert.True(IndexOf(logger, "TensorRT") < IndexOf(logger, "CUDA"));

        // And it still scores correctly after the fallback.
        var expected = TinyModel.Expected.Cases[0];
        var r = scorer.Score([TinyModel.Image(expected.Seed)]).Single();
        Assert.InRange(OnnxXrayScorerTests.MaxAbs(r.Probabilities, expected.Probabilities), 0, 1e-5);
    }

    [Fact]
    public void Cpu_is_the_fallback_even_when_not_listed()
    {
        var logger = new ListLogger<OnnxXrayScorer>();
        using var scorer = new OnnxXrayScorer(TinyModel.ModelPath, new XrayScorerOptions { ExecutionProviders = ["CUDA"] }, logger);
        Assert.Equal("CPU", scorer.ExecutionProvider);
        Assert.Contains(logger.Entries, e => e.EventId == 1004);
        Assert.Contains(logger.Entries, e => e.EventId is 1002 or 1003 && e.Message.Contains("provider CUDA "));
    }

    [Fact]
    public void Cpu_alone_logs_no_fallback()
    {
        var logger = new ListLogger<OnnxXrayScorer>();
        using var scorer = new OnnxXrayScorer(TinyModel.ModelPath, new XrayScorerOptions { IntraOpThreads = 1 }, logger);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Single(logger.Entries, e => e.EventId == 1001 && e.Message.Contains("on execution provider CPU"));
    }

    private static int IndexOf(ListLogger<OnnxXrayScorer> logger, string provider) =>
        logger.Entries.ToList().FindIndex(e => e.EventId is 1002 or 1003 && e.Message.Contains($"provider {provider} "));
}
