namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// Where the Pixel Data (7FE0,0010) value lives: one native byte range, or the fragments of an encapsulated pixel
/// sequence (PS3.5 section A.4) with each fragment item's offset from the first fragment item (the unit the Basic
/// Offset Table counts in) and the Basic Offset Table itself (empty when the encoder left it empty).
/// </summary>
internal sealed record DicomPixelData(Range Native, IReadOnlyList<Range> Fragments, IReadOnlyList<long> ItemOffsets,
    uint[] OffsetTable, bool Encapsulated)
{
    /// <summary>Concatenates fragments [first, first + count): one frame may be split over several (PS3.5 A.4).</summary>
    public byte[] Concatenate(ReadOnlySpan<byte> data, int first, int count)
    {
        long total = 0;
        for (var i = first; i < first + count; i++) total += Fragments[i].GetOffsetAndLength(data.Length).Length;
        var frame = new byte[total];
        var position = 0;
        for (var i = first; i < first + count; i++)
        {
            var bytes = data[Fragments[i]];
            bytes.CopyTo(frame.AsSpan(position));
            position += bytes.Length;
        }
        return frame;
    }
}
