using MLRFNet.Onnx.Quantization;

namespace MLRFNet.Onnx.Tests.Quantization;

public class TensorNamesTests
{
    [Fact]
    public void Names_UseOrtSuffixes()
    {
        // ORT's quant_utils suffixes: tools that read ORT QDQ models (and qdq_loss_debug) find our tensors.
        Assert.Equal("w_quantized", TensorNames.Quantized("w"));
        Assert.Equal("x_scale", TensorNames.Scale("x"));
        Assert.Equal("x_zero_point", TensorNames.ZeroPoint("x"));
        Assert.Equal("x_QuantizeLinear_Output", TensorNames.QuantizeOutput("x"));
        Assert.Equal("x_DequantizeLinear_Output", TensorNames.DequantizeOutput("x"));
        Assert.Equal("x_DequantizeLinear_Output_2", TensorNames.Dedicated(TensorNames.DequantizeOutput("x"), 2));
    }

    [Theory]
    [InlineData("conv1_out_DequantizeLinear_Output", "conv1_out")]
    [InlineData("relu2_out_DequantizeLinear_Output_1", "relu2_out")]
    [InlineData("logits_QuantizeLinear_Input", "logits")]
    [InlineData("relu2_out_DequantizeLinear_Output_2", null)]
    [InlineData("conv1_out", null)]
    [InlineData("_DequantizeLinear_Output", null)]
    public void FloatTensorOf_PairsQdqTensorsWithFloatOnes(string qdq, string? expected) =>
        Assert.Equal(expected, TensorNames.FloatTensorOf(qdq));
}
