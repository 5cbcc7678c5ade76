using MLRFNet.Imaging.Dicom;
using MLRFNet.Tests;

namespace MLRFNet.Imaging.Tests.Dicom;

/// <summary>
/// Compressed grayscale files made by other encoders than our dcmtk/GDCM fixtures: the test files that Debian's
/// python3-pydicom ships (signed MR data, 13/14-bit JPEG 2000, a J2K whose sign disagrees with Pixel Representation,
/// a codestream holding a stray sequence delimiter). Each first frame, masked to Bits Stored, against GDCM's
/// decompression read by pydicom (Fixtures/reference_first_frame.py). Read in place; skipped when absent.
/// </summary>
public sealed class ForeignEncoderTests : IDisposable
{
    private const string Folder = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("mlrfnet-i15-foreign-");

    public void Dispose() => temp.Delete(recursive: true);

    [SkippableTheory]
    [InlineData("693_J2KI.dcm")]
    [InlineData("J2K_pixelrep_mismatch.dcm")]
    [InlineData("JPEG2000.dcm")]
    [InlineData("MR_small_RLE.dcm")]
    [InlineData("MR_small_jp2klossless.dcm")]
    [InlineData("MR_small_jpeg_ls_lossless.dcm")]
    public void FirstFrame_MatchesGdcm(string name)
    {
        var path = Path.Combine(Folder, name);
        Skip.IfNot(File.Exists(path), $"{path} is absent (Debian python3-pydicom): foreign-encoder test skipped.");
        Skip.IfNot(File.Exists("/usr/bin/gdcmconv"), "gdcmconv (libgdcm-tools) is absent: foreign-encoder test skipped.");
        var reference = Path.Combine(temp.FullName, name + ".raw");
        var script = Path.Combine(SharedData.RepoRoot, "tests", "MLRFNet.Imaging.Tests", "Fixtures", "reference_first_frame.py");
        var (code, log) = ExternalProcess.Run("/usr/bin/python3", [script, path, reference], 120_000);
        Assert.True(code == 0, $"reference_first_frame.py failed: {log}");
        var frame = DicomReader.ReadFirstFrame(File.ReadAllBytes(path), DecodeLimits.Default);
        var expected = File.ReadAllBytes(reference);
        var mask = (1 << frame.Geometry.BitsStored) - 1;
        var wide = frame.Geometry.BitsAllocated == 16;
        var count = frame.Geometry.Rows * frame.Geometry.Columns;
        Assert.Equal(expected.Length, frame.Samples.Length);
        for (var i = 0; i < count; i++)
        {
            int ours = wide ? frame.Samples[2 * i] | frame.Samples[2 * i + 1] << 8 : frame.Samples[i];
            int gdcm = wide ? expected[2 * i] | expected[2 * i + 1] << 8 : expected[i];
            Assert.True((ours & mask) == (gdcm & mask), $"{name}: sample {i} is {ours & mask}, GDCM gives {gdcm & mask}");
        }
    }

    /// <summary>
    /// A fragment whose bytes hold FE FF DD E0 (the Sequence Delimitation tag) inside the codestream's SIZ marker, a
    /// pydicom parser test: the encapsulation must be read by item lengths (one 250-byte fragment), not by scanning for
    /// the delimiter. The codestream itself is then invalid (its Rsiz/Xsiz bytes are the tag), which OpenJPEG, like
    /// GDCM's gdcmconv, refuses: the file must reach the JPEG 2000 decoder and end as Malformed, not as a parse error.
    /// </summary>
    [SkippableFact]
    public void EmbeddedSequenceDelimiterInAFragment_IsReadByLengthAndReachesTheCodec()
    {
        var trap = Path.Combine(Folder, "JPEG2000-embedded-sequence-delimiter.dcm");
        Skip.IfNot(File.Exists(trap), $"{trap} is absent (Debian python3-pydicom): test skipped.");
        var e = Assert.Throws<XrayDecodeException>(() => DicomReader.ReadFirstFrame(File.ReadAllBytes(trap), DecodeLimits.Default));
        Assert.Equal(DecodeErrorKind.Malformed, e.Kind);
        Assert.Contains("JPEG 2000 frame is corrupt", e.Message);
        Assert.Contains("tiles", e.Message);   // OpenJPEG read the SIZ marker: the whole fragment was handed over
    }
}
