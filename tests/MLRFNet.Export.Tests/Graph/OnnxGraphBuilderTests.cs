using Microsoft.ML.OnnxRuntime;
using MLRFNet.Export.Graph;
using MLRFNet.Export.Tests.Support;
using Onnx;

namespace MLRFNet.Export.Tests.Graph;

public sealed class OnnxGraphBuilderTests
{
    private static OnnxGraphBuilder Tiny()
    {
        var g = new OnnxGraphBuilder("tiny", "mlrfnet", "0.1.0") { DocString = "doc" };
        var x = g.AddInput("image", "N", 2, 3, 3);
        g.Identity(g.Relu(x), "out");
        g.AddOutput("out", "N", 2, 3, 3);
        return g;
    }

    [Fact]
    public void Model_header_is_opset_17_ir_8_with_producer_doc_and_sorted_metadata()
    {
        var g = Tiny();
        g.SetMetadata("z", "last");
        g.SetMetadata("a", "first");
        g.SetMetadata("a", "replaced");
        var m = ModelProto.Parser.ParseFrom(g.ToBytes());
        Assert.Equal(8, m.IrVersion);
        Assert.Equal(17, Assert.Single(m.OpsetImport).Version);
        Assert.Equal(("mlrfnet", "0.1.0", "doc"), (m.ProducerName, m.ProducerVersion, m.DocString));
        Assert.Equal([("a", "replaced"), ("z", "last")], m.MetadataProps.Select(p => (p.Key, p.Value)));
        Assert.Equal("N", m.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(3, m.Graph.Input[0].Type.TensorType.Shape.Dim[2].DimValue);
    }

    [Fact]
    public void Names_are_unique_and_scoped()
    {
        var g = new OnnxGraphBuilder("names");
        Assert.Equal("conv", g.AddInitializer("conv", [1f], 1));
        Assert.Equal("conv_1", g.AddInitializer("conv", [1f], 1));
        using (g.Scope("layer1"))
        using (g.Scope("0"))
            Assert.Equal("layer1.0.weight", g.AddInitializer("weight", [1f], 1));
        Assert.Equal("weight", g.AddInitializer("weight", [1f], 1));
    }

    [Fact]
    public void Wiring_mistakes_fail_with_the_tensor_name()
    {
        var g = new OnnxGraphBuilder("bad");
        var x = g.AddInput("x", "N", 4);
        Assert.Contains("'y' is not defined", Assert.Throws<InvalidOperationException>(() => g.Add(x, "y")).Message);
        Assert.Contains("'nowhere'", Assert.Throws<InvalidOperationException>(() => g.AddOutput("nowhere", "N", 4)).Message);
        g.Relu(x);
        Assert.Throws<InvalidOperationException>(() => g.AddInput("x", "N", 4));
        Assert.Throws<InvalidOperationException>(() => g.Identity(x, "x"));
        Assert.Contains("no output", Assert.Throws<InvalidOperationException>(() => g.Build()).Message);
        Assert.Throws<ArgumentException>(() => g.AddInitializer("w", [1f, 2f], 3));
    }

    [Fact]
    public void Opset_17_argument_forms_are_written()
    {
        // Catches: pre-opset-13 attribute forms (Split 'split', ReduceSum/Squeeze/Unsqueeze 'axes') that opset 17
        // rejects, and opset-18 input forms of ReduceMean/ReduceMax that opset 17 does not know.
        var g = new OnnxGraphBuilder("forms");
        var x = g.AddInput("x", "N", 6, 2, 2);
        var parts = g.Split(x, 1, [2, 4]);
        g.ReduceMean(parts[0], [2, 3], keepDims: true);
        g.ReduceMax(parts[1], [2, 3], keepDims: true);
        g.ReduceSum(x, [2], keepDims: false);
        g.Identity(g.Squeeze(g.Unsqueeze(x, 0), 0), "y");
        g.AddOutput("y", "N", 6, 2, 2);
        var m = g.Build();

        NodeProto Node(string op) => m.Graph.Node.First(n => n.OpType == op);
        long[] Int64s(string name) => MemoryMarshalInt64(m.Graph.Initializer.Single(t => t.Name == name));
        Assert.Equal([2L, 4], Int64s(Node("Split").Input[1]));
        Assert.DoesNotContain(Node("Split").Attribute, a => a.Name == "split");
        Assert.Equal([2L, 3], Node("ReduceMean").Attribute.Single(a => a.Name == "axes").Ints);
        Assert.Single(Node("ReduceMean").Input);
        Assert.Equal([2L, 3], Node("ReduceMax").Attribute.Single(a => a.Name == "axes").Ints);
        Assert.Equal([2L], Int64s(Node("ReduceSum").Input[1]));
        Assert.Equal([0L], Int64s(Node("Unsqueeze").Input[1]));
        Assert.Equal([0L], Int64s(Node("Squeeze").Input[1]));
    }

    [Fact]
    public void Layout_operators_compute_what_their_definitions_say()
    {
        // x[n, c, h, w] = 100c + 10h + w on a [1, 2, 2, 3] tensor; expected values derived by hand from the op specs.
        var g = new OnnxGraphBuilder("layout");
        var x = g.AddInput("x", "N", 2, 2, 3);
        var t = g.Transpose(x, 0, 1, 3, 2);                         // [1, 2, 3, 2]
        var f = g.Flatten(t, 2);                                    // [2, 6] with axis 2 → [1*2, 3*2]
        var sq = g.Squeeze(g.Unsqueeze(f, 0), 0);                    // round trip
        var halves = g.Split(sq, 1, [2, 4]);
        var joined = g.Concat(1, [halves[1], halves[0]]);            // rotate columns by 2
        var ratio = g.Div(joined, g.AddScalar("ten", 10f));
        var soft = g.Softmax(g.Reshape(g.Mul(ratio, g.AddScalar("zero", 0f)), 0, -1), 1);  // equal scores → 1/6 each
        g.Identity(ratio, "ratio");
        g.Identity(soft, "soft");
        g.AddOutput("ratio", 2, 6);
        g.AddOutput("soft", 2, 6);

        float[] input = [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112];
        var r = OrtRunner.Run(g.ToBytes(), input, [1, 2, 2, 3], GraphOptimizationLevel.ORT_DISABLE_ALL);
        // Transpose(0,1,3,2) row c: [x(c,0,0), x(c,1,0), x(c,0,1), x(c,1,1), x(c,0,2), x(c,1,2)]
        // channel 0: [0, 10, 1, 11, 2, 12] → rotated by 2: [1, 11, 2, 12, 0, 10]; / 10.
        Assert.Equal([0.1f, 1.1f, 0.2f, 1.2f, 0f, 1f, 10.1f, 11.1f, 10.2f, 11.2f, 10f, 11f], r["ratio"].Values);
        Assert.Equal([2L, 6], r["ratio"].Shape);
        Assert.Equal([2L, 6], r["soft"].Shape);
        Assert.All(r["soft"].Values, v => Assert.Equal(1f / 6, v, 1e-6f));
    }

    private static long[] MemoryMarshalInt64(TensorProto t)
    {
        Assert.Equal((int)TensorProto.Types.DataType.Int64, t.DataType);
        var bytes = t.RawData.ToByteArray();
        var values = new long[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
