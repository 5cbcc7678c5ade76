namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// Walks a DICOM Part 10 file (PS3.10 section 7): preamble and <c>DICM</c>, the file meta group (always Explicit VR
/// Little Endian, PS3.10 7.1), then the top-level data set in the declared transfer syntax, reading the attributes of
/// <see cref="DicomAttributeTable"/>, skipping everything else (sequences of defined or undefined length, nested up
/// to <see cref="DecodeLimits.MaxSequenceDepth"/>), and stopping at Pixel Data (7FE0,0010).
/// </summary>
internal static class DicomDatasetWalker
{
    public const int PreambleLength = 128;
    public const int DatasetStart = PreambleLength + 4;

    /// <summary>Reads group 0002 and returns the Transfer Syntax UID and the offset where the data set starts.</summary>
    public static (string TransferSyntaxUid, int DatasetOffset) ReadFileMeta(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        var reader = new DicomElementReader(data, DatasetStart);
        string? transferSyntax = null;
        while (reader.Remaining > 0 && reader.PeekTag().Group == 0x0002)
        {
            var header = reader.ReadHeader(explicitVr: true);
            var value = reader.ReadValue(header, limits.MaxElementBytes);
            if (header.Tag == DicomTag.TransferSyntaxUid)
                transferSyntax = System.Text.Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
        }
        if (string.IsNullOrEmpty(transferSyntax))
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                "DICOM file meta information has no Transfer Syntax UID (0002,0010) (PS3.10 7.1); the file is corrupt.");
        return (transferSyntax, reader.Position);
    }

    /// <summary>Fills <paramref name="attributes"/> from the top-level data set and returns where Pixel Data is.</summary>
    public static DicomPixelData ReadDataset(ReadOnlySpan<byte> data, int offset, TransferSyntax syntax,
        DicomAttributes attributes, DecodeLimits limits)
    {
        var reader = new DicomElementReader(data, offset);
        while (reader.Remaining > 0)
        {
            var header = reader.ReadHeader(syntax.ExplicitVr);
            if (header.Tag == DicomTag.PixelData) return ReadPixelData(ref reader, header, syntax, limits);
            if (header.Tag.Group == 0xFFFE)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"DICOM data set has a stray item/delimiter tag {header.Tag} at byte {header.ValueOffset - 8}.");
            if (header.Tag == DicomLutSequenceReader.ModalityLutSequence || header.Tag == DicomLutSequenceReader.VoiLutSequence)
            {
                // An explicit UN holds Implicit VR Little Endian content (PS3.5 section 6.2.2).
                var lut = DicomLutSequenceReader.ReadFirst(ref reader, header, syntax.ExplicitVr && header.Vr != UN,
                    attributes.PixelRepresentation == 1, limits);
                if (header.Tag == DicomLutSequenceReader.ModalityLutSequence) attributes.ModalityLut = lut;
                else attributes.VoiLut = lut;
                continue;
            }
            DicomAttributeTable.TryGet(header.Tag, out var entry);
            if (header.HasUndefinedLength)
            {
                if (syntax.ExplicitVr && header.Vr != SQ && header.Vr != UN)
                    throw new XrayDecodeException(DecodeErrorKind.Malformed,
                        $"DICOM element {header.Tag} ({header.VrName}) has undefined length; only SQ and UN may.");
                // An explicit UN of undefined length holds Implicit VR Little Endian content (PS3.5 section 6.2.2).
                SkipSequence(ref reader, header.Tag, syntax.ExplicitVr && header.Vr != UN, depth: 1, limits);
                continue;
            }
            var value = reader.ReadValue(header, limits.MaxElementBytes);
            if (entry is not null && entry.Vr != "SQ") entry.Set(attributes, value, entry.Describe());
        }
        throw new XrayDecodeException(DecodeErrorKind.Malformed,
            "DICOM data set ends without Pixel Data (7FE0,0010): the file holds no image (or was truncated at an element boundary).");
    }

    private static readonly ushort SQ = DicomElementReader.Code("SQ"), UN = DicomElementReader.Code("UN");

    /// <summary>Skips an undefined-length sequence: items (defined or undefined length) up to the delimiter.</summary>
    internal static void SkipSequence(ref DicomElementReader reader, DicomTag sequence, bool explicitVr, int depth, DecodeLimits limits)
    {
        if (depth > limits.MaxSequenceDepth)
            throw new XrayDecodeException(DecodeErrorKind.TooLarge,
                $"DICOM sequences nest deeper than DecodeLimits.MaxSequenceDepth ({limits.MaxSequenceDepth}) at {sequence}.");
        while (true)
        {
            var item = reader.ReadHeader(explicitVr);
            if (item.Tag == DicomTag.SequenceDelimitation) return;
            if (item.Tag != DicomTag.Item)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"DICOM sequence {sequence} holds {item.Tag} at byte {item.ValueOffset - 8} where an Item (FFFE,E000) or " +
                    "Sequence Delimitation (FFFE,E0DD) must be.");
            if (!item.HasUndefinedLength)
            {
                reader.ReadValue(item, long.MaxValue);
                continue;
            }
            SkipItem(ref reader, sequence, explicitVr, depth, limits);
        }
    }

    /// <summary>Skips the elements of an undefined-length item up to its Item Delimitation (FFFE,E00D).</summary>
    private static void SkipItem(ref DicomElementReader reader, DicomTag sequence, bool explicitVr, int depth, DecodeLimits limits)
    {
        while (true)
        {
            var element = reader.ReadHeader(explicitVr);
            if (element.Tag == DicomTag.ItemDelimitation) return;
            if (element.Tag.Group == 0xFFFE)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"DICOM item in sequence {sequence} holds {element.Tag} at byte {element.ValueOffset - 8}, not an element.");
            if (element.HasUndefinedLength)
                SkipSequence(ref reader, element.Tag, explicitVr && element.Vr != UN, depth + 1, limits);
            else
                reader.ReadValue(element, long.MaxValue);
        }
    }

    private static DicomPixelData ReadPixelData(ref DicomElementReader reader, DicomElementHeader header,
        TransferSyntax syntax, DecodeLimits limits)
    {
        if (!syntax.Encapsulated)
        {
            if (header.HasUndefinedLength)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"DICOM Pixel Data has undefined length (encapsulated) but the transfer syntax {syntax.Uid} ({syntax.Name}) is native.");
            var start = reader.Position;
            var value = reader.ReadValue(header, limits.MaxFileBytes, isPixelData: true);
            return new DicomPixelData(new Range(start, start + value.Length), [], [], [], Encapsulated: false);
        }
        if (!header.HasUndefinedLength)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"DICOM Pixel Data has a defined length but the transfer syntax {syntax.Uid} ({syntax.Name}) is encapsulated (PS3.5 A.4).");
        // Encapsulated: Basic Offset Table item, then one item per fragment, then Sequence Delimitation (PS3.5 A.4).
        var offsetTable = reader.ReadHeader(explicitVr: false);
        if (offsetTable.Tag != DicomTag.Item || offsetTable.HasUndefinedLength)
            throw new XrayDecodeException(DecodeErrorKind.Malformed,
                $"DICOM encapsulated Pixel Data must start with a Basic Offset Table item (FFFE,E000); found {offsetTable.Tag}.");
        var table = reader.ReadValue(offsetTable, limits.MaxElementBytes, isPixelData: true);
        var offsets = new uint[table.Length / 4];
        for (var i = 0; i < offsets.Length; i++) offsets[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(table[(4 * i)..]);
        var fragments = new List<Range>();
        var itemOffsets = new List<long>();
        var firstItem = reader.Position;
        while (true)
        {
            itemOffsets.Add(reader.Position - firstItem);
            var item = reader.ReadHeader(explicitVr: false);
            if (item.Tag == DicomTag.SequenceDelimitation) break;
            if (item.Tag != DicomTag.Item || item.HasUndefinedLength)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"DICOM encapsulated Pixel Data holds {item.Tag} at byte {item.ValueOffset - 8} where a defined-length fragment " +
                    "item (FFFE,E000) or the Sequence Delimitation (FFFE,E0DD) must be.");
            var start = reader.Position;
            var fragment = reader.ReadValue(item, limits.MaxFileBytes, isPixelData: true);
            fragments.Add(new Range(start, start + fragment.Length));
        }
        if (fragments.Count == 0)
            throw new XrayDecodeException(DecodeErrorKind.Malformed, "DICOM encapsulated Pixel Data has no fragments.");
        itemOffsets.RemoveAt(itemOffsets.Count - 1);   // the Sequence Delimitation's position
        return new DicomPixelData(default, fragments, itemOffsets, offsets, Encapsulated: true);
    }
}
