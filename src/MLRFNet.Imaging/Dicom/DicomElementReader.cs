using System.Buffers.Binary;

namespace MLRFNet.Imaging.Dicom;

/// <summary>One element header: tag, VR (two ASCII letters; 0 when implicit or for item/delimiter tags) and length.</summary>
internal readonly record struct DicomElementHeader(DicomTag Tag, ushort Vr, uint Length, int ValueOffset)
{
    public const uint UndefinedLength = 0xFFFFFFFF;

    public bool HasUndefinedLength => Length == UndefinedLength;

    public string VrName => Vr == 0 ? "implicit" : $"{(char)(Vr & 0xFF)}{(char)(Vr >> 8)}";
}

/// <summary>
/// Bounds-checked cursor over little-endian DICOM data (PS3.5 section 7.1): every read checks the remaining bytes
/// first and throws <see cref="XrayDecodeException"/>, so no index error can escape on hostile input, and every
/// read advances, so no loop over it can hang.
/// </summary>
internal ref struct DicomElementReader(ReadOnlySpan<byte> data, int position)
{
    private readonly ReadOnlySpan<byte> data = data;

    public int Position { get; private set; } = position;

    public readonly int Remaining => data.Length - Position;

    /// <summary>VRs whose explicit encoding has 2 reserved bytes and a 32-bit length (PS3.5 table 7.1-1).</summary>
    private static readonly HashSet<ushort> LongLengthVrs =
        new[] { "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UR", "UT", "UN", "SV", "UV" }.Select(Code).ToHashSet();

    public static ushort Code(string vr) => (ushort)(vr[0] | (vr[1] << 8));

    /// <summary>The next tag without consuming it (the meta group ends where group 0002 does).</summary>
    public readonly DicomTag PeekTag()
    {
        RequireHeaderBytes(4);
        return new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(data[Position..]),
            BinaryPrimitives.ReadUInt16LittleEndian(data[(Position + 2)..]));
    }

    /// <summary>Reads a tag and length; explicit VR adds the VR (and 2 reserved bytes for long-length VRs).</summary>
    public DicomElementHeader ReadHeader(bool explicitVr)
    {
        var tag = PeekTag();
        // Item and delimiter tags never carry a VR, in either encoding (PS3.5 section 7.5).
        if (!explicitVr || tag.Group == 0xFFFE)
        {
            RequireHeaderBytes(8);
            var implicitLength = BinaryPrimitives.ReadUInt32LittleEndian(data[(Position + 4)..]);
            Position += 8;
            return new DicomElementHeader(tag, 0, implicitLength, Position);
        }
        RequireHeaderBytes(8);
        var vr = BinaryPrimitives.ReadUInt16LittleEndian(data[(Position + 4)..]);
        if (!char.IsAsciiLetterUpper((char)(vr & 0xFF)) || !char.IsAsciiLetterUpper((char)(vr >> 8)))
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"DICOM element {tag} at byte {Position} has no valid explicit VR (bytes {vr & 0xFF:X2} {vr >> 8:X2}): the file is " +
                "corrupt or its data set is not in the transfer syntax its meta information declares.");
        if (LongLengthVrs.Contains(vr))
        {
            RequireHeaderBytes(12);
            var longLength = BinaryPrimitives.ReadUInt32LittleEndian(data[(Position + 8)..]);
            Position += 12;
            return new DicomElementHeader(tag, vr, longLength, Position);
        }
        var shortLength = BinaryPrimitives.ReadUInt16LittleEndian(data[(Position + 6)..]);
        Position += 8;
        return new DicomElementHeader(tag, vr, shortLength, Position);
    }

    /// <summary>
    /// The value bytes of a defined-length element, consumed. A length past the end of the data is
    /// <see cref="DecodeErrorKind.Truncated"/> for Pixel Data (the last element, where a cut lands) and
    /// <see cref="DecodeErrorKind.Malformed"/> (a lying length) for anything else; a length that fits but exceeds
    /// <paramref name="maxBytes"/> is <see cref="DecodeErrorKind.TooLarge"/>.
    /// </summary>
    public ReadOnlySpan<byte> ReadValue(in DicomElementHeader header, long maxBytes, bool isPixelData = false)
    {
        if (header.HasUndefinedLength)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"DICOM element {header.Tag} ({header.VrName}) has undefined length, which only sequences and encapsulated Pixel Data may have.");
        if (header.Length > (uint)Remaining)
        {
            var kind = isPixelData ? DecodeErrorKind.Truncated : DecodeErrorKind.Malformed;
            throw new XrayDecodeException(kind,
                $"DICOM element {header.Tag} at byte {header.ValueOffset} declares {header.Length} bytes but only {Remaining} remain: " +
                (isPixelData ? "the file is truncated; re-copy it." : "its length field is corrupt (or the file is truncated)."));
        }
        if (header.Length > maxBytes)
            throw new XrayDecodeException(DecodeErrorKind.TooLarge,
                $"DICOM element {header.Tag} declares {header.Length} bytes, above DecodeLimits.MaxElementBytes ({maxBytes}). " +
                "Raise the limit if the file is trusted.");
        var value = data.Slice(Position, (int)header.Length);
        Position += (int)header.Length;
        return value;
    }

    private readonly void RequireHeaderBytes(int count)
    {
        if (Remaining < count)
            throw new XrayDecodeException(DecodeErrorKind.Truncated,
                $"DICOM data ends at byte {data.Length} inside an element header: the file is truncated. Re-copy it.");
    }
}
