using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// Stored pixel value → display gray 0..255, the grayscale pipeline of PS3.3 C.11 as a lookup table over every
/// possible stored value (at most 2^16):
/// 1. bits extracted with Bits Stored / High Bit, sign-extended when Pixel Representation is 1;
/// 2. Modality LUT: the first Modality LUT Sequence item when present (C.11.1), else x·Rescale Slope + Rescale Intercept;
/// 3. VOI LUT: the first VOI LUT Sequence item when present, its output 0..2^bits−1 scaled onto 0..255 (a LUT is
///    preferred over a window when both are present, as pydicom's apply_voi_lut does by default); else the VOI window
///    (<see cref="VoiLut"/>); else the full range the modality values can take, linearly onto 0..255 (what dcmtk's
///    dcm2pnm does without a VOI option);
/// 4. Presentation LUT Shape (2050,0020): INVERSE inverts (255 − y), IDENTITY does not; when absent, MONOCHROME1
///    inverts (C.7.6.3.1.2). MONOCHROME1 with INVERSE is inverted once, as dcmtk's dcm2pnm renders it.
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
        var signed = g.PixelRepresentation == 1;
        long lowest = signed ? -(1L << (g.BitsStored - 1)) : 0, highest = signed ? (1L << (g.BitsStored - 1)) - 1 : mask;
        var (modality, lo, hi) = ModalityTransform(a, lowest, highest);
        Func<double, double> voi;
        if (a.VoiLut is { } lut)
            voi = x => lut.Map(x) / lut.OutputMax * 255.0;
        else if (a.WindowCenter is { } center && a.WindowWidth is { } width)
        {
            var function = VoiLut.Resolve(a.VoiLutFunction, width);
            voi = x => function(x, center, width);
        }
        else
            voi = hi > lo ? x => (x - lo) / (hi - lo) * 255.0 : _ => 0.0;
        var invert = a.PresentationLutShape switch
        {
            null => a.PhotometricInterpretation == "MONOCHROME1",
            "INVERSE" => true,
            "IDENTITY" => false,
            var other => throw new XrayDecodeException(DecodeErrorKind.UnsupportedAttribute,
                $"DICOM Presentation LUT Shape (2050,0020) is '{other}'; only IDENTITY and INVERSE are defined (PS3.3 C.11.6.1.2)."),
        };
        table = new float[mask + 1];
        for (var index = 0; index <= mask; index++)
        {
            long stored = signed && index > highest ? index - (1L << g.BitsStored) : index;
            var y = voi(modality(stored));
            table[index] = (float)(invert ? 255.0 - y : y);
        }
    }

    /// <summary>The Modality LUT and the range of its output over the stored range.</summary>
    private static (Func<long, double> Transform, double Low, double High) ModalityTransform(DicomAttributes a, long lowest, long highest)
    {
        if (a.ModalityLut is { } lut) return (x => lut.Map(x), 0, lut.OutputMax);
        double slope = a.RescaleSlope ?? 1, intercept = a.RescaleIntercept ?? 0;
        if (slope == 0)
            throw new XrayDecodeException(DecodeErrorKind.Malformed, "DICOM Rescale Slope (0028,1053) is 0, which erases the image.");
        return (x => x * slope + intercept,
            Math.Min(lowest * slope, highest * slope) + intercept, Math.Max(lowest * slope, highest * slope) + intercept);
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
