using System.IO.Compression;

namespace MLRFNet.Imaging.Dicom;

/// <summary>
/// Deflated Explicit VR Little Endian (1.2.840.10008.1.2.1.99, PS3.5 A.5): everything after the file meta group is
/// one raw deflate stream (RFC 1951, no zlib header), inflated here with .NET's <see cref="DeflateStream"/>. The
/// inflated size is bounded by <see cref="DecodeLimits.MaxFileBytes"/>, so a deflate bomb ends as TooLarge.
/// </summary>
internal static class DeflatedDataset
{
    /// <summary>The file with its data set inflated: the meta group bytes unchanged, then the inflated data set.</summary>
    public static byte[] Inflate(ReadOnlySpan<byte> file, int datasetOffset, DecodeLimits limits)
    {
        using var output = new MemoryStream();
        output.Write(file[..datasetOffset]);
        unsafe
        {
            fixed (byte* start = file)
            {
                using var compressed = new UnmanagedMemoryStream(start + datasetOffset, file.Length - datasetOffset);
                using var inflater = new DeflateStream(compressed, CompressionMode.Decompress);
                var buffer = new byte[1 << 16];
                try
                {
                    int read;
                    while ((read = inflater.Read(buffer)) > 0)
                    {
                        if (output.Length + read > limits.MaxFileBytes)
                            throw new XrayDecodeException(DecodeErrorKind.TooLarge,
                                $"DICOM deflated data set inflates beyond DecodeLimits.MaxFileBytes ({limits.MaxFileBytes}). " +
                                "Raise the limit if the file is trusted.");
                        output.Write(buffer, 0, read);
                    }
                }
                catch (InvalidDataException e)
                {
                    throw new XrayDecodeException(DecodeErrorKind.Malformed,
                        $"DICOM deflated data set is not a valid deflate stream ({e.Message}); the file is corrupt (PS3.5 A.5).", e);
                }
            }
        }
        return output.ToArray();
    }
}
