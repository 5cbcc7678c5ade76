using System.Buffers.Binary;
using MLRFNet.Tests;
using MLRFNet.Imaging.Tests.Fixtures;

namespace MLRFNet.Imaging.Tests.Dicom;

/// <summary>Correct decoding: files written by pydicom (committed fixtures) and by <see cref="DicomTestWriter"/>.</summary>
public class DicomReaderTests
{
    public static TheoryData<string> PydicomCases() =>
        new(FixtureFiles.Load("synthetic_dicom_fixtures.json")["cases"]!.AsObject().Select(p => p.Key));

    /// <summary>
    /// Each pydicom-written file against pydicom's own modality LUT + VOI (LINEAR, LINEAR_EXACT, SIGMOID, no window),
    /// and against dcmtk's dcm2pnm where it supports the case. Covers implicit/explicit VR, 8/12/16 bits, signed,
    /// rescale, MONOCHROME1, multi-valued window, sequences with undefined lengths (holding decoy Rows/Columns),
    /// encapsulated JPEG Baseline split over 3 fragments, Modality LUT Sequence, VOI LUT Sequence (first of two items,
    /// preferred over a window; 8- and 16-bit entries; clipping at both ends), both together, and Presentation LUT
    /// Shape INVERSE / IDENTITY with MONOCHROME2 and MONOCHROME1.
    /// </summary>
    [Theory]
    [MemberData(nameof(PydicomCases))]
    public void PydicomFile_MatchesPydicomAndDcmtk(string name)
    {
        var fixture = FixtureFiles.Load("synthetic_dicom_fixtures.json")["cases"]![name]!;
        var image = XrayDecoder.DecodeFile(FixtureFiles.PathOf(fixture["file"]!.GetValue<string>()));
        Assert.Equal(fixture["width"]!.GetValue<int>(), image.Width);
        Assert.Equal(fixture["height"]!.GetValue<int>(), image.Height);
        Assert.Equal(fixture["bitsStored"]!.GetValue<int>(), image.SourceBitDepth);
        Assert.Equal(XrayFormat.Dicom, image.Format);
        Assert.Equal(fixture["transferSyntaxUid"]!.GetValue<string>(), image.Dicom!.TransferSyntaxUid);
        Assert.Equal(fixture["photometricInterpretation"]!.GetValue<string>(), image.Dicom.PhotometricInterpretation);
        Assert.Equal(("SYNTH-01", "DX", "CHEST", "AP"), (image.Dicom.PatientId, image.Dicom.Modality, image.Dicom.BodyPartExamined, image.Dicom.ViewPosition));
        Assert.Equal(("1.2.826.0.1.3680043.8.498.2", "1.2.826.0.1.3680043.8.498.3", "1.2.826.0.1.3680043.8.498.1"),
            (image.Dicom.StudyInstanceUid, image.Dicom.SeriesInstanceUid, image.Dicom.SopInstanceUid));
        // pydicom is exact arithmetic; its JPEG frames come from libjpeg-turbo (via Pillow), ours from ImageSharp.
        var jpeg = name.StartsWith("jpeg", StringComparison.Ordinal);
        AssertClose(FixtureFiles.Floats(fixture["pydicom"]), image.Pixels, jpeg ? 1.0 : 1e-3, "pydicom");
        if (fixture["dcmtk"] is { } dcmtk)
            AssertClose(FixtureFiles.Floats(dcmtk), image.Pixels, fixture["dcmtkTolerance"]?.GetValue<double>() ?? (jpeg ? 1.0 : 0.02), "dcmtk");
    }

    [Fact]
    public void JpegBaseline_FragmentsAreConcatenated_AndMonochrome1Inverted()
    {
        var jpeg = TestImages.Jpeg(24, 16, gray: true);
        var reference = TestImages.DecodeRgb(jpeg).Select(p => (float)p.R).ToArray();
        // Fragments have even lengths (PS3.5 A.4); only the last one is padded, after EOI.
        var fragments = new[] { jpeg[..100], jpeg[100..102], jpeg[102..] };
        var file = DicomTestWriter.Grayscale(DicomTestWriter.JpegBaseline, 16, 24, 8, 8, false, [], "MONOCHROME1")
            .Encapsulated(fragments).Build();
        var image = XrayDecoder.Decode(file);
        Assert.Equal(reference.Select(v => 255 - v), image.Pixels);
        Assert.Equal(DicomTestWriter.JpegBaseline, image.Dicom!.TransferSyntaxUid);
    }

    /// <summary>Catches a missing mask: bits above High Bit hold junk (old overlay planes) and must be ignored.</summary>
    [Fact]
    public void BitsAboveHighBit_AreMasked_FullStoredRangeMapped()
    {
        int[] stored = [0, 4095, 2048, 1];
        var file = DicomTestWriter.Grayscale(DicomTestWriter.ExplicitLittle, 2, 2, 16, 12, false, stored.Select(v => v | 0xA000).ToArray()).Build();
        var image = XrayDecoder.Decode(file);
        // No window: 0..4095 maps onto 0..255, so v·255/4095 (2048 → 127.53113553, 1 → 0.06227106).
        Assert.Equal([0f, 255f, 127.531136f, 0.0622711f], image.Pixels, new Tolerance(1e-4f));
    }

    /// <summary>High Bit 15 with 12 bits stored: the sample sits in the upper bits and must be shifted down.</summary>
    [Fact]
    public void HighBitAboveBitsStored_IsShifted()
    {
        var writer = DicomTestWriter.Grayscale(DicomTestWriter.ExplicitLittle, 1, 3, 16, 12, false, [0 << 4, 4095 << 4, (2048 << 4) | 0xF]);
        writer.UShort(0x0028, 0x0102, 15);
        Assert.Equal([0f, 255f, 127.531136f], XrayDecoder.Decode(writer.Build()).Pixels, new Tolerance(1e-4f));
    }

    /// <summary>Signed 8-bit with window: catches a missing sign extension (200 would read as +200, not −56).</summary>
    [Fact]
    public void Signed8Bit_IsSignExtended_BeforeTheWindow()
    {
        var writer = DicomTestWriter.Grayscale(DicomTestWriter.ImplicitLittle, 1, 3, 8, 8, true, [200, 0, 127])
            .Text(0x0028, 0x1050, "DS", "0").Text(0x0028, 0x1051, "DS", "101");
        // LINEAR, c = 0, w = 101: x ≤ −50.5 → 0; x > 49.5 → 255; x = 0 → ((0 + 0.5)/100 + 0.5)·255 = 128.775.
        Assert.Equal([0f, 128.775f, 255f], XrayDecoder.Decode(writer.Build()).Pixels, new Tolerance(1e-3f));
    }

    /// <summary>An explicit-VR UN element of undefined length holds implicit-VR content (PS3.5 6.2.2) and must be skipped.</summary>
    [Fact]
    public void UndefinedLengthUn_IsSkippedAsImplicitSequence()
    {
        var implicitItem = DicomTestWriter.Header(0x0028, 0x0010, "", 2, explicitVr: false).Concat(new byte[] { 9, 0 }).ToArray();
        var un = new List<byte>(DicomTestWriter.Header(0x0009, 0x1010, "UN", 0xFFFFFFFF, explicitVr: true));
        un.AddRange(DicomTestWriter.Header(0xFFFE, 0xE000, "", 0xFFFFFFFF, false));
        un.AddRange(implicitItem);
        un.AddRange(DicomTestWriter.Header(0xFFFE, 0xE00D, "", 0, false));
        un.AddRange(DicomTestWriter.Header(0xFFFE, 0xE0DD, "", 0, false));
        var file = DicomTestWriter.Grayscale(DicomTestWriter.ExplicitLittle, 1, 2, 8, 8, false, [10, 20]).Build();
        var pixelData = file.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xE0, 0x7F, 0x10, 0x00]);
        byte[] patched = [.. file[..pixelData], .. un, .. file[pixelData..]];
        var image = XrayDecoder.Decode(patched);
        Assert.Equal((2, 1), (image.Width, image.Height));
        Assert.Equal([10f, 20f], image.Pixels);
    }

    [Fact]
    public void PatientIdInUtf8_IsDecodedWhenCharacterSetSaysSo()
    {
        var writer = DicomTestWriter.Grayscale(DicomTestWriter.ExplicitLittle, 1, 1, 8, 8, false, [0])
            .Text(0x0008, 0x0005, "CS", "ISO_IR 192")
            .Raw(0x0010, 0x0020, "LO", "Zoë "u8.ToArray());
        Assert.Equal("Zoë", XrayDecoder.Decode(writer.Build()).Dicom!.PatientId);
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance, string reference)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        var at = -1;
        for (var i = 0; i < expected.Length; i++)
            if (Math.Abs(expected[i] - actual[i]) > worst) { worst = Math.Abs(expected[i] - actual[i]); at = i; }
        Assert.True(worst <= tolerance, $"max |ours - {reference}| = {worst} at pixel {at} (ours {actual[Math.Max(at, 0)]}, {reference} {expected[Math.Max(at, 0)]}); tolerance {tolerance}");
    }
}

/// <summary>Float comparer with an absolute tolerance, for Assert.Equal over sequences.</summary>
internal sealed class Tolerance(float epsilon) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= epsilon;

    public int GetHashCode(float obj) => 0;
}
