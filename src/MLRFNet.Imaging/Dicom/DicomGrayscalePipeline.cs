using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// Stored pixel value → display gray 0..255, as a lookup table over every possible stored value (at most 2^16):
/// bits extracted with Bits Stored / High Bit, sign-extended when Pixel Representation is 1; Modality LUT
/// (x·Rescale Slope + Rescale Intercept, PS3.3 C.11.1.1.2); VOI window (<see cref="VoiLut"/>) when Window
/// Center/Width are present, otherwise the full range the stored bits can hold, mapped through the rescale, linearly
/// onto 0..255 (what dcmtk's dcm2pnm does without a VOI option); MONOCHROME1 inverted (255 − y) to MONOCHROME2.
/// </summary>
internal sealed class DicomGrayscalePipeline
{
    private readonly float[] table;
    private readonly int shift;
    private readonly int mask;
    private readonly int bitsAllocated;

    public DicomGrayscalePipeline(DicomImageGeometry g, DicomAttributes a)
    {
        bitsAllocated = g.BitsAllocated;
        shift = g.HighBit + 1 - g.BitsStored;
        mask = (1 << g.BitsStored) - 1;
        double slope = a.RescaleSlope ?? 1, intercept = a.RescaleIntercept ?? 0;
        if (slope == 0)
            throw new XrayDecodeException(DecodeErrorKind.Malformed, "DICOM Rescale Slope (0028,1053) is 0, which erases the image.");
        var signed = g.PixelRepresentation == 1;
        long lowest = signed ? -(1L << (g.BitsStored - 1)) : 0, highest = signed ? (1L << (g.BitsStored - 1)) - 1 : mask;
        Func<double, double> voi;
        if (a.WindowCenter is { } center && a.WindowWidth is { } width)
        {
            var function = VoiLut.Resolve(a.VoiLutFunction, width);
            voi = x => function(x, center, width);
        }
        else
        {
            double lo = Math.Min(lowest * slope, highest * slope) + intercept, hi = Math.Max(lowest * slope, highest * slope) + intercept;
            voi = hi > lo ? x => (x - lo) / (hi - lo) * 255.0 : _ => 0.0;
        }
        var invert = a.PhotometricInterpretation == "MONOCHROME1";
        table = new float[mask + 1];
        for (var index = 0; index <= mask; index++)
        {
            long stored = signed && index > highest ? index - (1L << g.BitsStored) : index;
            var y = voi(stored * slope + intercept);
            table[index] = (float)(invert ? 255.0 - y : y);
        }
    }

    /// <summary>Native (uncompressed) samples, little endian, <c>Bits Allocated</c> 8 or 16.</summary>
    public float[] ApplyNative(ReadOnlySpan<byte> samples, int count)
    {
        var result = new float[count];
        if (bitsAllocated == 8)
            for (var i = 0; i < count; i++) result[i] = table[(samples[i] >> shift) & mask];
        else if (BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<byte, ushort>(samples[..(2 * count)]);
            for (var i = 0; i < words.Length; i++) result[i] = table[(words[i] >> shift) & mask];
        }
        else
            for (var i = 0; i < count; i++)
                result[i] = table[(BinaryPrimitives.ReadUInt16LittleEndian(samples[(2 * i)..]) >> shift) & mask];
        return result;
    }
}
