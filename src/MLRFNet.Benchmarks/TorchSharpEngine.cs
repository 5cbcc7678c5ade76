using MLRFNet.Training.Checkpoints;
using MLRFNet.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Benchmarks;

/// <summary>
/// The checkpoint in TorchSharp eager mode, as a libtorch user runs it: <c>model.eval()</c>, <c>no_grad</c>, a tensor
/// made from the input array, <c>sigmoid(model(x))</c> read back to an array. Threads: <c>torch.set_num_threads</c>.
/// </summary>
public sealed class TorchSharpEngine : IBenchEngine
{
    private readonly MLRFNetModel model;
    private readonly long[] imageShape;

    public TorchSharpEngine(string checkpointPath, int threads)
    {
        torch.set_num_threads(threads);
        (model, var config) = CheckpointFile.Load(checkpointPath);
        model.eval();
        var p = config.Preprocessing;
        imageShape = [p.Channels, p.CropSize, p.CropSize];
    }

    public string Name => "TorchSharp eager FP32";
    public string Runtime => "TorchSharp";
    public string Precision => "FP32";

    public float[] Run(BenchBatch batch)
    {
        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();
        var x = torch.tensor(batch.Flat, [batch.Count, .. imageShape]);
        return torch.sigmoid(model.call(x)).data<float>().ToArray();
    }

    public void Dispose() => model.Dispose();
}
