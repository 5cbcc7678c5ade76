using System.Text.Json;
using MLRFNet.Onnx.Quantization.Proto;
using Onnx;

namespace MLRFNet.Onnx.Tests.Quantization.Proto;

/// <summary>
/// The one ONNX tensor reader against every encoding onnx.proto allows, written by the onnx Python package
/// (Fixtures/make_tensor_encodings.py: numpy_helper.from_array for raw_data, helper.make_tensor(raw=False) for the
/// typed fields) with the values numpy computed. Catches: a reader that only understands raw_data (float_data
/// models, e.g. CNTK/ML.NET exports, would read as empty), float16 bit patterns in int32_data read as integers, a
/// short tensor read without complaint, and external data read as zeros instead of refused.
/// </summary>
public sealed class TensorDataTests
{
    private static readonly Dictionary<string, TensorProto> Tensors = ModelProto.Parser
        .ParseFrom(File.ReadAllBytes(Path.Combine(TestModels.Fixtures, "tensor_encodings.onnx")))
        .Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);

    private static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestModels.Fixtures, "tensor_encodings.json"))).RootElement;

    private static T[] Values<T>(string key) => Expected.GetProperty(key).EnumerateArray().Select(e => e.Deserialize<T>()!).ToArray();

    [Theory]
    [InlineData("f32_raw")]
    [InlineData("f32_float_data")]
    public void Float32_reads_the_same_from_raw_data_and_float_data(string name)
    {
        Assert.Equal(Values<double>("f32").Select(v => (float)v), TensorData.ReadFloats(Tensors[name]));
        Assert.Equal(Values<long>("f32_dims"), Tensors[name].Dims);
    }

    [Theory]
    [InlineData("f16_raw")]
    [InlineData("f16_int32_data")]
    public void Float16_reads_the_same_from_raw_data_and_from_bit_patterns_in_int32_data(string name)
    {
        var halfs = TensorData.ReadHalfs(Tensors[name]);
        Assert.Equal(Values<int>("f16_bits"), halfs.Select(h => (int)BitConverter.HalfToUInt16Bits(h)));
        Assert.Equal(Values<double>("f16").Select(v => (float)v), halfs.Select(h => (float)h));
    }

    [Theory]
    [InlineData("i64_raw")]
    [InlineData("i64_int64_data")]
    public void Int64_reads_from_raw_data_and_int64_data(string name) =>
        Assert.Equal(Values<long>("i64"), TensorData.ReadInt64s(Tensors[name]));

    [Theory]
    [InlineData("i8_raw", "i8")]
    [InlineData("i8_int32_data", "i8")]
    [InlineData("u8_raw", "u8")]
    [InlineData("u8_int32_data", "u8")]
    [InlineData("i32_raw", "i32")]
    public void Eight_and_32_bit_integers_read_from_raw_data_and_int32_data(string name, string key) =>
        Assert.Equal(Values<int>(key), TensorData.ReadIntegers(Tensors[name]));

    [Theory]
    [InlineData("f32_short_float_data")]
    [InlineData("f32_short_raw")]
    public void A_tensor_with_fewer_values_than_its_dims_need_is_refused(string name)
    {
        var e = Assert.Throws<InvalidDataException>(() => TensorData.ReadFloats(Tensors[name]));
        Assert.Contains($"'{name}' holds 11 values but its dims [3,4] need 12", e.Message);
    }

    [Fact]
    public void External_data_is_refused_with_how_to_inline_it()
    {
        var e = Assert.Throws<NotSupportedException>(() => TensorData.ReadFloats(Tensors["f32_external"]));
        Assert.Contains("'f32_external' keeps its data in an external file", e.Message);
        Assert.Contains("load_external_data=True", e.Message);
    }

    [Fact]
    public void A_tensor_of_another_type_is_refused_with_both_types()
    {
        Assert.Contains("'f16_raw' is float16, not float32", Assert.Throws<InvalidDataException>(() => TensorData.ReadFloats(Tensors["f16_raw"])).Message);
        Assert.Contains("'f32_raw' is float, not float16", Assert.Throws<InvalidDataException>(() => TensorData.ReadHalfs(Tensors["f32_raw"])).Message);
    }
}
