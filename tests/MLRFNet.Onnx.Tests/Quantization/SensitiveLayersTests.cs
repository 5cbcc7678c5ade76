using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Tests.Quantization;

public class SensitiveLayersTests
{
    [Fact]
    public void InputConvolutions_AreTheConvsReadingAGraphInput()
    {
        // conv_stack: input -> conv1 -> relu1 -> pool1 -> conv2 ...; only conv1 reads the image.
        Assert.Equal(["conv1"], SensitiveLayers.InputConvolutions(OnnxModelFile.Load(TestModels.ConvStack)));
    }

    [Fact]
    public void AnInitializerListedAsGraphInput_IsNotTheImage()
    {
        // Older exporters list initializers among the graph inputs: a conv whose data input is such an initializer
        // does not read the image.
        var model = OnnxModelFile.Load(TestModels.ConvStack);
        var weight = model.Graph.Node.Single(n => n.Name == "conv2").Input[1];
        model.Graph.Input.Add(new ValueInfoProto { Name = weight });
        model.Graph.Node.Add(new NodeProto { Name = "reads_weight", OpType = "Conv", Input = { weight, weight }, Output = { "unused" } });
        Assert.Equal(["conv1"], SensitiveLayers.InputConvolutions(model));
    }
}
