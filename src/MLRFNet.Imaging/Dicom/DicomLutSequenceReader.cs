namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// Reads the first item of a Modality LUT Sequence or VOI LUT Sequence (the first LUT is the default one, PS3.3
/// C.11.2.1.1; pydicom's apply_voi_lut uses index 0 too) and skips the rest of the sequence, for defined and undefined
/// lengths alike (PS3.5 7.5). Every read goes through the bounds-checked <see cref="DicomElementReader"/>.
/// </summary>
internal static class DicomLutSequenceReader
{
    public static readonly DicomTag ModalityLutSequence = new(0x0028, 0x3000);
    public static readonly DicomTag VoiLutSequence = new(0x0028, 0x3010);
    private static readonly DicomTag LutDescriptor = new(0x0028, 0x3002), LutData = new(0x0028, 0x3006);
    private static readonly ushort SS = DicomElementReader.Code("SS");

    /// <param name="signedInput">Implicit VR only: whether the descriptor's first-mapped value is SS (Pixel Representation 1).</param>
    public static DicomLut? ReadFirst(ref DicomElementReader reader, DicomElementHeader sequence, bool explicitVr, bool signedInput,
        DecodeLimits limits)
    {
        var name = sequence.Tag == ModalityLutSequence ? "Modality LUT Sequence (0028,3000)" : "VOI LUT Sequence (0028,3010)";
        long end = sequence.HasUndefinedLength ? long.MaxValue : reader.Position + (long)sequence.Length;
        DicomLut? first = null;
        while (reader.Position < end)
        {
            var item = reader.ReadHeader(explicitVr);
            if (item.Tag == DicomTag.SequenceDelimitation) break;
            if (item.Tag != DicomTag.Item)
                throw DicomLut.Bad(name, $"it holds {item.Tag} where an Item (FFFE,E000) must be");
            long itemEnd = item.HasUndefinedLength ? long.MaxValue : reader.Position + (long)item.Length;
            byte[]? descriptor = null, data = null;
            var signedFirst = signedInput;
            while (reader.Position < itemEnd)
            {
                var element = reader.ReadHeader(explicitVr);
                if (element.Tag == DicomTag.ItemDelimitation) break;
                if (element.Tag.Group == 0xFFFE) throw DicomLut.Bad(name, $"an item holds {element.Tag}, not an element");
                if (element.HasUndefinedLength)
                {
                    DicomDatasetWalker.SkipSequence(ref reader, element.Tag, explicitVr, depth: 2, limits);
                    continue;
                }
                var value = reader.ReadValue(element, limits.MaxElementBytes);
                if (element.Tag == LutDescriptor)
                {
                    descriptor = value.ToArray();
                    if (element.Vr != 0) signedFirst = element.Vr == SS;
                }
                else if (element.Tag == LutData) data = value.ToArray();
            }
            if (first is null)
            {
                if (descriptor is null || data is null)
                    throw DicomLut.Bad(name, "its first item lacks LUT Descriptor (0028,3002) or LUT Data (0028,3006)");
                first = DicomLut.Parse(name, descriptor, data, signedFirst);
            }
        }
        if (end != long.MaxValue && reader.Position != end)
            throw DicomLut.Bad(name, $"its items end at byte {reader.Position}, not at the sequence's declared end {end}");
        return first;
    }
}
