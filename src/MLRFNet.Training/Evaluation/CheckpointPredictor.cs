using MLRFNet.Core.Labels;
using MLRFNet.Core.Preprocessing;
using MLRFNet.Training.Checkpoints;
using MLRFNet.Training.Devices;
using MLRFNet.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRFNet.Training.Evaluation;

/// <summary>A TorchSharp checkpoint in eval mode (BatchNorm running statistics, no gradients).</summary>
public sealed class CheckpointPredictor : IBatchPredictor
{
    private readonly MLRFNetModel model;
    private readonly CheckpointConfig config;
    private readonly torch.Device device;

    public CheckpointPredictor(string checkpointPath, int threads = 0, TrainingDevice? device = null)
    {
        device ??= TrainingDevice.Cpu;
        this.device = device.Resolve();
        TorchThreads.Set(threads);
        (model, config) = CheckpointFile.Load(checkpointPath);
        model.to(this.device);
        model.eval();
        Description = $"{Path.GetFileName(checkpointPath)} ({config.Variant.Name}, TorchSharp {device})";
    }

    public string Description { get; }

    public LabelSet Labels => config.LabelSet;

    public PreprocessingSpec Preprocessing => config.Preprocessing;

    public float[]? Thresholds => null;

    public float[] Predict(float[] images, int count)
    {
        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();
        var spec = config.Preprocessing;
        var x = torch.tensor(images, [count, spec.Channels, spec.CropSize, spec.CropSize]).to(device);
        return torch.sigmoid(model.call(x)).cpu().data<float>().ToArray();
    }

    public void Dispose() => model.Dispose();
}
