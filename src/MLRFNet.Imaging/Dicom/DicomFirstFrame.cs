namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// The compressed bytes of the first frame of an encapsulated pixel sequence (PS3.5 A.4). The model scores one image,
/// so a multi-frame file is scored on its first frame (and <see cref="DicomMetadata.NumberOfFrames"/> says so):
/// - one frame: every fragment belongs to it;
/// - a filled Basic Offset Table: the fragments whose item offset is below the second frame's offset;
/// - no offset table: RLE has exactly one fragment per frame (PS3.5 A.4.2), so the first fragment; the JPEG family
///   (JPEG, JPEG-LS, JPEG 2000) ends a frame with the EOI/EOC marker FF D9, so fragments up to the first one that ends
///   with it (an odd-length codestream is padded with one zero byte, PS3.5 A.4).
/// </summary>
internal static class DicomFirstFrame
{
    public static byte[] Extract(ReadOnlySpan<byte> data, DicomPixelData pixels, int frames, FrameCodec codec)
    {
        var count = pixels.Fragments.Count;
        if (frames == 1) return pixels.Concatenate(data, 0, count);
        if (pixels.OffsetTable.Length > 0)
        {
            if (pixels.OffsetTable.Length != frames || pixels.OffsetTable[0] != 0)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"DICOM Basic Offset Table has {pixels.OffsetTable.Length} entries starting at {pixels.OffsetTable[0]} but Number " +
                    $"of Frames is {frames}; a filled table has one entry per frame and starts at 0 (PS3.5 A.4).");
            var second = pixels.OffsetTable[1];
            var end = 0;
            while (end < count && pixels.ItemOffsets[end] < second) end++;
            if (end == 0 || end == count || pixels.ItemOffsets[end] != second)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"DICOM Basic Offset Table puts frame 2 at byte {second}, which is not the start of a fragment item.");
            return pixels.Concatenate(data, 0, end);
        }
        if (count == frames || codec == FrameCodec.Rle)
        {
            if (count < frames)
                throw new XrayDecodeException(DecodeErrorKind.Malformed,
                    $"DICOM encapsulated Pixel Data holds {count} fragments for {frames} frames; RLE needs one per frame (PS3.5 A.4.2).");
            return pixels.Concatenate(data, 0, 1);
        }
        for (var i = 0; i < count; i++)
        {
            var fragment = data[pixels.Fragments[i]];
            if (fragment.Length > 0 && fragment[^1] == 0) fragment = fragment[..^1];
            if (fragment.EndsWith((ReadOnlySpan<byte>)[0xFF, 0xD9])) return pixels.Concatenate(data, 0, i + 1);
        }
        throw new XrayDecodeException(DecodeErrorKind.Malformed,
            $"DICOM encapsulated Pixel Data of {frames} frames has no Basic Offset Table and no fragment ends a codestream " +
            "(FF D9), so the first frame cannot be delimited. Re-encode with an offset table (e.g. dcmcjpeg +ot).");
    }
}
