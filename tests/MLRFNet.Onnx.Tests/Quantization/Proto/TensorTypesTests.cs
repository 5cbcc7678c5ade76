using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Tests.Quantization.Proto;

public class TensorTypesTests
{
    [Fact]
    public void Infer_GivesEveryIntermediateTensorItsElementType()
    {
        // Catches: intermediate tensors without types (the quantizer would skip every activation as "not float").
        var model = OnnxModelFile.Load(TestModels.BranchOps);
        var types = TensorTypes.Infer(model);
        foreach (var node in model.Graph.Node)
            foreach (var output in node.Output)
                Assert.True(types.IsFloat32(output), $"{output} of {node.Name} should be float32");
        Assert.Equal((int)TensorProto.Types.DataType.Int64, types.ElementType("split_sizes"));
        Assert.Equal(0, types.ElementType("no_such_tensor"));
    }
}
