using MLRFNet.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRFNet.Export.Tests.Support;

/// <summary>
/// Seeded random-weight models with non-trivial BatchNorms: affine parameters drawn at random, then running
/// statistics measured on two images, Gaussian noise and a chest phantom (one training-mode forward with momentum 1,
/// so running = batch statistics; the phantom keeps real-looking inputs such as X-rays in a sensible range too).
/// Folding identity BatchNorms (mean 0, var 1, γ 1, β 0) would hide a wrong fold; uncalibrated random statistics
/// would blow activations up through 16 blocks and saturate every probability, hiding errors behind sigmoid(±∞).
/// </summary>
internal static class RandomModels
{
    public static MLRFNetModel Create(string variant, int classes, int seed)
    {
        manual_seed(seed);
        var model = new MLRFNetModel(ModelVariants.Get(variant), classes);
        using (no_grad())
        {
            foreach (var (_, module) in model.named_modules())
            {
                if (module is not BatchNorm2d bn) continue;
                bn.weight!.uniform_(0.5, 1.5);
                bn.bias!.uniform_(-0.2, 0.2);
                bn.momentum = 1.0;
            }
            model.train();
            var spec = model.Variant.Preprocessing;
            float[] calibration = [.. TestImages.Gaussian(1, seed), .. TestImages.Phantoms(1, spec, first: 100)];
            using var images = tensor(calibration).reshape(2, spec.Channels, spec.CropSize, spec.CropSize);
            using var _ = model.call(images);
        }
        model.eval();
        return model;
    }
}
