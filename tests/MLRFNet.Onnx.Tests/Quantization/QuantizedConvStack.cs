using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Calibration;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Tests.Quantization;

/// <summary>The conv stack quantized once per test class (S8S8 and U8S8, MinMax, 64 calibration images).</summary>
public sealed class QuantizedConvStack
{
    public const int Size = 64;

    public QuantizedConvStack()
    {
        Float = OnnxModelFile.Load(TestModels.ConvStack);
        Calibration = TestModels.RandomImages(64, 3, Size, seed: 1);
        S8S8 = QdqQuantizer.Quantize(Float, Reader(), new QuantizationOptions { Scheme = QuantizationScheme.S8S8 });
        U8S8 = QdqQuantizer.Quantize(Float, Reader(), new QuantizationOptions { Scheme = QuantizationScheme.U8S8 });
    }

    public ModelProto Float { get; }
    public List<float[]> Calibration { get; }
    public QuantizationResult S8S8 { get; }
    public QuantizationResult U8S8 { get; }

    public TensorListDataReader Reader() => new("input", [3, Size, Size], Calibration, batchSize: 16);

    /// <summary>Probabilities of <paramref name="model"/> on held-out images (a different seed from calibration).</summary>
    public static float[] Probabilities(ModelProto model, int count = 64, int seed = 7)
    {
        using var runner = OrtModelRunner.Create(model);
        return runner.Run([TestModels.Batch("input", TestModels.RandomImages(count, 3, Size, seed), 3, Size)], ["probabilities"])[0].Data;
    }
}
