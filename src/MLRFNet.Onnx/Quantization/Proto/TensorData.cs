using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace MLRFNet.Onnx.Quantization.Proto;

/// <summary>
/// Reads and writes the values of ONNX <see cref="TensorProto"/> initializers. Values are stored little-endian in
/// <c>raw_data</c> (what exporters write) or in the typed repeated fields (<c>float_data</c>, <c>int32_data</c>
/// holding float16 bits, ...), as onnx.proto describes; both are read, <c>raw_data</c> is always written. The one
/// ONNX tensor reader of the toolchain: quantization, FP16, QA and the pretrained ResNet import
/// (MLRFNet.Training's OnnxResNetImporter) all read initializers here.
/// </summary>
public static class TensorData
{
    public static long ElementCount(TensorProto tensor)
    {
        long count = 1;
        foreach (var d in tensor.Dims) count *= d;
        return count;
    }

    public static float[] ReadFloats(TensorProto tensor)
    {
        CheckStorage(tensor);
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"Tensor '{tensor.Name}' is {TypeName(tensor.DataType)}, not float32.");
        var count = checked((int)ElementCount(tensor));
        if (!tensor.RawData.IsEmpty)
        {
            var values = MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
            CheckCount(tensor, values.Length, count);
            return values;
        }
        CheckCount(tensor, tensor.FloatData.Count, count);
        return tensor.FloatData.ToArray();
    }

    public static Half[] ReadHalfs(TensorProto tensor)
    {
        CheckStorage(tensor);
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float16)
            throw new InvalidDataException($"Tensor '{tensor.Name}' is {TypeName(tensor.DataType)}, not float16.");
        var count = checked((int)ElementCount(tensor));
        if (!tensor.RawData.IsEmpty)
        {
            var values = MemoryMarshal.Cast<byte, Half>(tensor.RawData.Span).ToArray();
            CheckCount(tensor, values.Length, count);
            return values;
        }
        // onnx.proto: float16 values live in int32_data, one per element, as their bit pattern.
        CheckCount(tensor, tensor.Int32Data.Count, count);
        return tensor.Int32Data.Select(bits => BitConverter.UInt16BitsToHalf((ushort)bits)).ToArray();
    }

    public static long[] ReadInt64s(TensorProto tensor)
    {
        CheckStorage(tensor);
        if (tensor.DataType != (int)TensorProto.Types.DataType.Int64)
            throw new InvalidDataException($"Tensor '{tensor.Name}' is {TypeName(tensor.DataType)}, not int64.");
        return !tensor.RawData.IsEmpty
            ? MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray()
            : tensor.Int64Data.ToArray();
    }

    /// <summary>Integer values of an int8, uint8 or int32 tensor, widened to int.</summary>
    public static int[] ReadIntegers(TensorProto tensor)
    {
        CheckStorage(tensor);
        var type = (TensorProto.Types.DataType)tensor.DataType;
        if (!tensor.RawData.IsEmpty)
        {
            var raw = tensor.RawData.Span;
            return type switch
            {
                TensorProto.Types.DataType.Int8 => MemoryMarshal.Cast<byte, sbyte>(raw).ToArray().Select(v => (int)v).ToArray(),
                TensorProto.Types.DataType.Uint8 => raw.ToArray().Select(v => (int)v).ToArray(),
                TensorProto.Types.DataType.Int32 => MemoryMarshal.Cast<byte, int>(raw).ToArray(),
                _ => throw new InvalidDataException($"Tensor '{tensor.Name}' is {TypeName(tensor.DataType)}, not an 8- or 32-bit integer."),
            };
        }
        return type is TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Int32
            ? tensor.Int32Data.ToArray()
            : throw new InvalidDataException($"Tensor '{tensor.Name}' is {TypeName(tensor.DataType)}, not an 8- or 32-bit integer.");
    }

    public static TensorProto FromFloats(string name, IEnumerable<long> dims, ReadOnlySpan<float> values) =>
        Make(name, dims, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values));

    public static TensorProto FromHalfs(string name, IEnumerable<long> dims, ReadOnlySpan<Half> values) =>
        Make(name, dims, TensorProto.Types.DataType.Float16, MemoryMarshal.AsBytes(values));

    public static TensorProto FromInt8(string name, IEnumerable<long> dims, ReadOnlySpan<sbyte> values) =>
        Make(name, dims, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values));

    public static TensorProto FromUInt8(string name, IEnumerable<long> dims, ReadOnlySpan<byte> values) =>
        Make(name, dims, TensorProto.Types.DataType.Uint8, values);

    public static TensorProto FromInt32(string name, IEnumerable<long> dims, ReadOnlySpan<int> values) =>
        Make(name, dims, TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(values));

    public static TensorProto FromInt64(string name, IEnumerable<long> dims, ReadOnlySpan<long> values) =>
        Make(name, dims, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values));

    public static string TypeName(int dataType) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), dataType)
            ? ((TensorProto.Types.DataType)dataType).ToString().ToLowerInvariant()
            : $"data type {dataType}";

    private static TensorProto Make(string name, IEnumerable<long> dims, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>Refuses data this reader cannot see: an external data file, or raw_data on a big-endian host.</summary>
    private static void CheckStorage(TensorProto tensor)
    {
        // onnx.proto: raw_data is little-endian; reinterpreting it in place is only right on a little-endian host.
        if (!tensor.RawData.IsEmpty && !BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException($"Tensor '{tensor.Name}' holds little-endian raw_data; reading it needs a little-endian host.");
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
            throw new NotSupportedException(
                $"Tensor '{tensor.Name}' keeps its data in an external file; load the model with its data inlined (onnx.load(..., load_external_data=True) then onnx.save without external data).");
    }

    private static void CheckCount(TensorProto tensor, int actual, int expected)
    {
        if (actual != expected)
            throw new InvalidDataException(
                $"Tensor '{tensor.Name}' holds {actual} values but its dims [{string.Join(",", tensor.Dims)}] need {expected}.");
    }
}
