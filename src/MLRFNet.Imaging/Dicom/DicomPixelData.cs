namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// Where the Pixel Data (7FE0,0010) value lives: one native byte range, or the fragments of an encapsulated pixel
/// sequence (PS3.5 section A.4) with the number of Basic Offset Table entries (one per frame when it is filled).
/// </summary>
internal sealed record DicomPixelData(Range Native, IReadOnlyList<Range> Fragments, int OffsetTableEntries, bool Encapsulated)
{
    /// <summary>Concatenates the fragments: a single frame may be split over several of them (PS3.5 A.4, note).</summary>
    public byte[] ConcatenateFragments(ReadOnlySpan<byte> data)
    {
        long total = 0;
        foreach (var f in Fragments) total += f.GetOffsetAndLength(data.Length).Length;
        var frame = new byte[total];
        var position = 0;
        foreach (var f in Fragments)
        {
            var bytes = data[f];
            bytes.CopyTo(frame.AsSpan(position));
            position += bytes.Length;
        }
        return frame;
    }
}
