using System.Buffers.Binary;
using System.Numerics;

namespace MLRFNet.Imaging;

/// <summary>Rows of decoded samples to the float pixels of <see cref="XrayImage"/> (0..255), vectorised.</summary>
internal static class Samples
{
    /// <summary>Bytes to floats 0..255, vectorised.</summary>
    public static void ToFloat(ReadOnlySpan<byte> source, Span<float> destination)
    {
        destination = destination[..source.Length];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lane = Vector<int>.Count;
            for (; i <= source.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(source[i..]), out var low, out var high);
                Vector.Widen(low, out var q0, out var q1);
                Vector.Widen(high, out var q2, out var q3);
                Vector.ConvertToSingle(Vector.AsVectorInt32(q0)).CopyTo(destination[i..]);
                Vector.ConvertToSingle(Vector.AsVectorInt32(q1)).CopyTo(destination[(i + lane)..]);
                Vector.ConvertToSingle(Vector.AsVectorInt32(q2)).CopyTo(destination[(i + 2 * lane)..]);
                Vector.ConvertToSingle(Vector.AsVectorInt32(q3)).CopyTo(destination[(i + 3 * lane)..]);
            }
        }
        for (; i < source.Length; i++) destination[i] = source[i];
    }

    /// <summary>
    /// 16-bit samples to floats 0..255: v / 257 (IEEE division, as the scalar tail does), vectorised. PNG stores its
    /// samples big-endian (<paramref name="bigEndian"/>: swapped to machine order first); ImageSharp's L16 holds them
    /// in machine order.
    /// </summary>
    public static void ToFloatOver257(ReadOnlySpan<ushort> source, Span<float> destination, bool bigEndian)
    {
        destination = destination[..source.Length];
        var swap = bigEndian == BitConverter.IsLittleEndian;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lane = Vector<int>.Count;
            var divisor = new Vector<float>(257f);
            for (; i <= source.Length - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                var samples = new Vector<ushort>(source[i..]);
                if (swap) samples = Vector.ShiftLeft(samples, 8) | Vector.ShiftRightLogical(samples, 8);
                Vector.Widen(samples, out var low, out var high);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(low)) / divisor).CopyTo(destination[i..]);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(high)) / divisor).CopyTo(destination[(i + lane)..]);
            }
        }
        for (; i < source.Length; i++) destination[i] = (swap ? BinaryPrimitives.ReverseEndianness(source[i]) : source[i]) / 257f;
    }
}
