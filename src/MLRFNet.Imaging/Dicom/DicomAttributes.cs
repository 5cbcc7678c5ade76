using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MLRFNet.Imaging.Dicom;

/// <summary>The top-level attributes the decoder reads; filled by <see cref="DicomAttributeTable"/> setters.</summary>
internal sealed class DicomAttributes
{
    public bool Utf8 { get; set; }
    public string? SopInstanceUid { get; set; }
    public string? SopClassUid { get; set; }
    public string? StudyDate { get; set; }
    public string? StudyTime { get; set; }
    public string? AccessionNumber { get; set; }
    public string? ReferringPhysicianName { get; set; }
    public string? PatientName { get; set; }
    public string? PatientBirthDate { get; set; }
    public string? PatientSex { get; set; }
    public string? StudyId { get; set; }
    public string? Modality { get; set; }
    public string? PatientId { get; set; }
    public string? BodyPartExamined { get; set; }
    public string? ViewPosition { get; set; }
    public string? StudyInstanceUid { get; set; }
    public string? SeriesInstanceUid { get; set; }
    public int? SamplesPerPixel { get; set; }
    public string? PhotometricInterpretation { get; set; }
    public int? NumberOfFrames { get; set; }
    public int? Rows { get; set; }
    public int? Columns { get; set; }
    public int? BitsAllocated { get; set; }
    public int? BitsStored { get; set; }
    public int? HighBit { get; set; }
    public int? PixelRepresentation { get; set; }
    public double? WindowCenter { get; set; }
    public double? WindowWidth { get; set; }
    public double? RescaleIntercept { get; set; }
    public double? RescaleSlope { get; set; }
    public string? VoiLutFunction { get; set; }
    public string? PresentationLutShape { get; set; }
    public DicomLut? ModalityLut { get; set; }
    public DicomLut? VoiLut { get; set; }

    /// <summary>A Type 1 attribute's value, or <see cref="DecodeErrorKind.Malformed"/> naming the missing attribute.</summary>
    public static T Required<T>(T? value, string attribute) where T : struct =>
        value ?? throw new XrayDecodeException(DecodeErrorKind.Malformed,
            $"DICOM file lacks {attribute}, a required (Type 1) attribute of the Image Pixel module (PS3.3 C.7.6.3).");

    // Value parsers (PS3.5 section 6.2): strings are padded with a trailing space (or NUL for UI) to even length.

    public string? Text(ReadOnlySpan<byte> value)
    {
        var text = (Utf8 ? Encoding.UTF8 : Encoding.Latin1).GetString(value).TrimEnd(' ', '\0').TrimStart(' ');
        return text.Length == 0 ? null : text;
    }

    public static int UnsignedShort(ReadOnlySpan<byte> value, string attribute) =>
        value.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(value)
            : throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"DICOM {attribute} holds {value.Length} bytes; a US value needs 2.");

    /// <summary>First value of a DS (decimal string), e.g. "40\400" → 40.</summary>
    public static double? DecimalString(ReadOnlySpan<byte> value, string attribute)
    {
        var text = FirstValue(value);
        if (text.Length == 0) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return number;
        throw new XrayDecodeException(DecodeErrorKind.Malformed, $"DICOM {attribute} is '{text}', not a decimal number (DS).");
    }

    /// <summary>First value of an IS (integer string).</summary>
    public static int? IntegerString(ReadOnlySpan<byte> value, string attribute)
    {
        var text = FirstValue(value);
        if (text.Length == 0) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) return number;
        throw new XrayDecodeException(DecodeErrorKind.Malformed, $"DICOM {attribute} is '{text}', not an integer (IS).");
    }

    private static string FirstValue(ReadOnlySpan<byte> value)
    {
        var separator = value.IndexOf((byte)'\\');
        return Encoding.ASCII.GetString(separator >= 0 ? value[..separator] : value).Trim(' ', '\0');
    }
}
