namespace MLRFNet.Imaging.Dicom;

/// <summary>A DICOM attribute tag (group, element), printed the way DICOM documents do: <c>(0028,0010)</c>.</summary>
internal readonly record struct DicomTag(ushort Group, ushort Element)
{
    public static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    // Item, Item Delimitation and Sequence Delimitation: no VR in any transfer syntax (PS3.5 section 7.5).
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    public static readonly DicomTag ItemDelimitation = new(0xFFFE, 0xE00D);
    public static readonly DicomTag SequenceDelimitation = new(0xFFFE, 0xE0DD);

    public override string ToString() => $"({Group:X4},{Element:X4})";
}
