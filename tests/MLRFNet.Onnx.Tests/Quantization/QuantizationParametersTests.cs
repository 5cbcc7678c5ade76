using MLRFNet.Onnx.Quantization;
using MLRFNet.Onnx.Quantization.Calibration;

namespace MLRFNet.Onnx.Tests.Quantization;

public class QuantizationParametersTests
{
    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < QuantizationFixture.Root.GetProperty("scaleZeroPoint").GetArrayLength(); i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_MatchesOrtComputeScaleZp(int index)
    {
        // Reference: NumPy transcription of ORT quant_utils.compute_scale_zp in the fixture script. Catches a range
        // that does not include 0, a wrong integer range (e.g. -128 for symmetric int8) or float/zero-point rounding.
        var c = QuantizationFixture.Root.GetProperty("scaleZeroPoint")[index];
        var (type, symmetric) = c.GetProperty("type").GetString() switch
        {
            "int8Symmetric" => (QuantizedElementType.Int8, true),
            "uint8Asymmetric" => (QuantizedElementType.UInt8, false),
            "int8Asymmetric" => (QuantizedElementType.Int8, false),
            var t => throw new InvalidDataException(t),
        };
        var p = QuantizationParameters.Compute(new TensorRange(c.GetProperty("rmin").GetSingle(), c.GetProperty("rmax").GetSingle()), type, symmetric);
        Assert.Equal(c.GetProperty("scale").GetSingle(), p.Scale);
        Assert.Equal(c.GetProperty("zeroPoint").GetInt32(), p.ZeroPoint);
    }

    [Theory]
    [InlineData(2.5f, 2)]
    [InlineData(3.5f, 4)]
    [InlineData(-2.5f, -2)]
    [InlineData(300f, 127)]
    [InlineData(-300f, -128)]
    public void Quantize_RoundsHalfToEvenAndSaturates(float value, int expected) =>
        // NumPy's round is half-to-even; QuantizeLinear saturates to the type range.
        Assert.Equal(expected, QuantizationParameters.Quantize(value, new ScaleZeroPoint(1f, 0), QuantizedElementType.Int8.Saturation()));

    [Fact]
    public void SymmetricInt8_UsesMinus127To127()
    {
        // Hand-computed: range [-1, 3] symmetric -> absmax 3 -> scale 3/127, zero point 0.
        var p = QuantizationParameters.Compute(new TensorRange(-1, 3), QuantizedElementType.Int8, symmetric: true);
        Assert.Equal((float)(6.0 / 254), p.Scale);
        Assert.Equal(0, p.ZeroPoint);
    }
}
