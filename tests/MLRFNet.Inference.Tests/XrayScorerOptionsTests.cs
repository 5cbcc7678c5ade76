using MLRFNet.Core.Manifest;
using MLRFNet.Inference.ExecutionProviders;

namespace MLRFNet.Inference.Tests;

public sealed class XrayScorerOptionsTests
{
    [Fact]
    public void Defaults_are_valid_cpu_batch_eight_all_optimizations_no_qa()
    {
        var o = new XrayScorerOptions().Validate();
        Assert.Equal(["CPU"], o.ExecutionProviders);
        Assert.Equal(8, o.BatchSize);
        Assert.Equal(GraphOptimization.All, o.GraphOptimization);
        Assert.Same(ManifestPolicy.IntegrityOnly, o.Policy);
    }

    [Fact]
    public void An_unknown_provider_is_refused_listing_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new XrayScorerOptions { ExecutionProviders = ["CUDA", "OpenVINO"] }.Validate());
        Assert.Contains("Unknown execution provider 'OpenVINO'", e.Message);
        Assert.Contains("TensorRT, CUDA, CPU", e.Message);
        Assert.Equal("ExecutionProviders", e.ParamName);
    }

    [Fact]
    public void An_unknown_provider_is_refused_before_the_model_is_read()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new OnnxXrayScorer("/nonexistent/model.onnx", new XrayScorerOptions { ExecutionProviders = ["DirectML"] }));
        Assert.Contains("DirectML", e.Message);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData(" TensorRT ")]
    [InlineData("cpu")]
    public void Provider_names_are_case_insensitive(string name) =>
        new XrayScorerOptions { ExecutionProviders = [name] }.Validate();

    [Fact]
    public void Duplicates_and_empty_lists_are_refused()
    {
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() =>
            new XrayScorerOptions { ExecutionProviders = ["CUDA", "cuda"] }.Validate()).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() =>
            new XrayScorerOptions { ExecutionProviders = [] }.Validate()).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(XrayScorerOptions.MaxBatchSize + 1)]
    public void Batch_size_out_of_range_is_refused(int batch) =>
        Assert.Equal("BatchSize", Assert.Throws<ArgumentException>(() => new XrayScorerOptions { BatchSize = batch }.Validate()).ParamName);

    [Fact]
    public void Other_out_of_range_fields_are_refused_by_name()
    {
        Assert.Equal("IntraOpThreads", Assert.Throws<ArgumentException>(() => new XrayScorerOptions { IntraOpThreads = -2 }.Validate()).ParamName);
        Assert.Equal("CudaDeviceId", Assert.Throws<ArgumentException>(() => new XrayScorerOptions { CudaDeviceId = -1 }.Validate()).ParamName);
        Assert.Equal("TensorRtCacheDirectory", Assert.Throws<ArgumentException>(() => new XrayScorerOptions { TensorRtCacheDirectory = " " }.Validate()).ParamName);
        Assert.Equal("GraphOptimization", Assert.Throws<ArgumentException>(() => new XrayScorerOptions { GraphOptimization = (GraphOptimization)9 }.Validate()).ParamName);
    }

    [Fact]
    public void The_registry_lists_tensorrt_cuda_cpu()
    {
        Assert.Equal([ExecutionProviderRegistry.TensorRT, ExecutionProviderRegistry.Cuda, ExecutionProviderRegistry.Cpu], ExecutionProviderRegistry.Names);
    }
}
