using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;
using Xunit.Abstractions;

namespace MLRFNet.Onnx.Tests.Quantization;

/// <summary>
/// What ONNX Runtime's CPU provider makes of the QDQ models: the graph it actually runs is dumped with
/// SessionOptions.OptimizedModelFilePath and its op types counted. Latency is printed, never asserted.
/// </summary>
public class OrtFusionTests(QuantizedConvStack stack, ITestOutputHelper output) : IClassFixture<QuantizedConvStack>
{
    private ModelProto Optimized(ModelProto model, string name, bool? int8Allowed = null)
    {
        var folder = TestModels.OutputFolder("fusion");
        var path = Path.Combine(folder, name + ".onnx");
        OnnxModelFile.Save(model, path);
        var optimized = Path.Combine(folder, name + "_optimized.onnx");
        using (OrtModelRunner.Create(path, new OrtRunnerOptions { OptimizedModelPath = optimized, QdqIsInt8Allowed = int8Allowed })) { }
        var result = OnnxModelFile.Load(optimized);
        output.WriteLine($"{name}: {result.OpCounts()}");
        return result;
    }

    [Fact]
    public void U8S8_EveryConvBecomesQLinearConv()
    {
        // Catches: a QDQ pattern ORT does not recognise (wrong zero-point type, per-channel scale shape, bias type).
        var optimized = Optimized(stack.U8S8.Model, "conv_stack_u8s8");
        Assert.Equal(5, optimized.Count("QLinearConv"));
        Assert.Equal(0, optimized.Count("Conv"));
        Assert.Equal(1, optimized.Count("QLinearAdd"));
        Assert.Equal(1, optimized.Count("QLinearGlobalAveragePool"));
        Assert.Equal(1, optimized.Count("QGemm"));
        Assert.Equal(1, optimized.Count("QuantizeLinear"));
    }

    [Fact]
    public void S8S8_FusesMostConvsAfterOrtConvertsActivationsToUInt8()
    {
        // On x86 ORT allows int8 activations in QDQ fusion only on request (QDQIsInt8Allowed() is true on ARM
        // only); it first rewrites each int8 Q->DQ pair to uint8 (QDQS8ToU8Transformer), which it can do only for a
        // QuantizeLinear with one consumer. The Relus stay float (DQ->Relu->Q), and conv3, whose input relu2_out also
        // feeds the residual Add, is left unfused: common-subexpression elimination merges our dedicated Q nodes.
        var optimized = Optimized(stack.S8S8.Model, "conv_stack_s8s8");
        Assert.InRange(optimized.Count("QLinearConv"), 4, 5);
        Assert.Equal(5, optimized.Count("Relu"));

        // With session.qdqisint8allowed=1 every conv fuses as an int8 QLinearConv.
        var int8 = Optimized(stack.S8S8.Model, "conv_stack_s8s8_int8allowed", int8Allowed: true);
        Assert.Equal(5, int8.Count("QLinearConv"));
        Assert.Equal(0, int8.Count("Conv"));
    }

    [Fact]
    public void Latency_Fp32VersusS8S8VersusU8S8_Printed()
    {
        // Batch 1 at 224 x 224 (the input is [N,3,H,W]; convs and global pooling take any size), one thread, median
        // of 30 runs after 5 warm-up runs. Printed for the report, not asserted (speed goals live in benchmarks).
        var image = TestModels.RandomImages(1, 3, 224, seed: 3);
        var input = TestModels.Batch("input", image, 3, 224);
        var models = new (string Name, ModelProto Model, bool? Int8)[]
        {
            ("fp32", stack.Float, null), ("s8s8", stack.S8S8.Model, null), ("s8s8 int8-allowed", stack.S8S8.Model, true), ("u8s8", stack.U8S8.Model, null),
        };
        foreach (var (name, model, int8) in models)
        {
            using var runner = OrtModelRunner.Create(model, new OrtRunnerOptions { IntraOpThreads = 1, QdqIsInt8Allowed = int8 });
            var times = runner.MeasureMilliseconds([input], warmup: 5, runs: 30);
            Array.Sort(times);
            output.WriteLine($"{name,-18} median {times[15],8:F3} ms  min {times[0],8:F3} ms");
            Assert.All(times, t => Assert.True(t > 0));
        }
    }
}
