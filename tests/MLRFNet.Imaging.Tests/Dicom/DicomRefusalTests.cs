using System.Buffers.Binary;
using MLRFNet.Tests;

namespace MLRFNet.Imaging.Tests.Dicom;

/// <summary>Every unsupported or broken DICOM input gives a typed <see cref="XrayDecodeException"/> naming the problem.</summary>
public class DicomRefusalTests
{
    private static DicomTestWriter Basic(string syntax = DicomTestWriter.ExplicitLittle) =>
        DicomTestWriter.Grayscale(syntax, 4, 4, 16, 12, false, Enumerable.Range(0, 16).Select(i => i * 100).ToArray());

    private static XrayDecodeException Refuse(byte[] file, DecodeErrorKind kind, params string[] fragments)
    {
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(file));
        Assert.True(kind == e.Kind, $"expected {kind}, got {e.Kind}: {e.Message}");
        foreach (var fragment in fragments) Assert.Contains(fragment, e.Message);
        return e;
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.51", "JPEG Extended")]
    [InlineData("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000")]
    [InlineData("1.2.840.10008.1.2.2", "Big Endian")]
    [InlineData("1.2.3.4.5.999", "unknown")]
    public void UnsupportedTransferSyntax_IsNamedWithUidAndName(string uid, string name) =>
        Refuse(Basic(uid).Build(), DecodeErrorKind.UnsupportedTransferSyntax, uid, name);

    [Fact]
    public void Colour_IsRefusedNamingSamplesPerPixel() =>
        Refuse(Basic().UShort(0x0028, 0x0002, 3).Build(), DecodeErrorKind.UnsupportedAttribute, "Samples per Pixel", "3");

    [Fact]
    public void NumberOfFramesZero_IsMalformed() =>
        Refuse(Basic().Text(0x0028, 0x0008, "IS", "0").Build(), DecodeErrorKind.Malformed, "Number of Frames");

    [Fact]
    public void MultiFrame_DecodesTheFirstFrameAndSaysHowManyThereAre()
    {
        var jpeg = TestImages.Jpeg(8, 8, gray: true);
        var second = (uint)((jpeg.Length + 1) & ~1) + 8;   // the first item: 8-byte header, fragment padded to even length
        var file = DicomTestWriter.Grayscale(DicomTestWriter.JpegBaseline, 8, 8, 8, 8, false, []).Text(0x0028, 0x0008, "IS", "2")
            .Encapsulated([jpeg, jpeg], 0, second).Build();
        Assert.Equal(2, XrayDecoder.Decode(file).Dicom!.NumberOfFrames);
    }

    [Fact]
    public void OffsetTableThatDisagreesWithNumberOfFrames_IsMalformed()
    {
        var jpeg = TestImages.Jpeg(8, 8, gray: true);
        var file = DicomTestWriter.Grayscale(DicomTestWriter.JpegBaseline, 8, 8, 8, 8, false, []).Text(0x0028, 0x0008, "IS", "3")
            .Encapsulated([jpeg, jpeg], 0, (uint)jpeg.Length + 8).Build();
        Refuse(file, DecodeErrorKind.Malformed, "Basic Offset Table", "Number of Frames");
    }

    [Theory]
    [InlineData("RGB")]
    [InlineData("PALETTE COLOR")]
    [InlineData("YBR_FULL_422")]
    public void ColourPhotometric_IsRefused(string photometric) =>
        Refuse(Basic().Text(0x0028, 0x0004, "CS", photometric).Build(), DecodeErrorKind.UnsupportedAttribute, "Photometric Interpretation", photometric);

    [Fact]
    public void BitsAllocated32_IsRefused() =>
        Refuse(Basic().UShort(0x0028, 0x0100, 32).Build(), DecodeErrorKind.UnsupportedAttribute, "Bits Allocated", "32");

    [Fact]
    public void ModalityLutSequenceItemWithoutLutData_IsMalformedRatherThanIgnored()
    {
        var item = new DicomTestWriter(DicomTestWriter.ExplicitLittle).Element(0x0028, 0x3002, "US", [0, 16, 0, 0, 16, 0]);
        Refuse(Basic().Sequence(0x0028, 0x3000, item).Build(), DecodeErrorKind.Malformed, "Modality LUT Sequence", "LUT Data");
    }

    [Fact]
    public void UnknownPresentationLutShape_IsRefused() =>
        Refuse(Basic().Text(0x2050, 0x0020, "CS", "SIDEWAYS").Build(), DecodeErrorKind.UnsupportedAttribute, "Presentation LUT Shape", "SIDEWAYS");

    [Fact]
    public void UnknownVoiFunction_IsRefused() =>
        Refuse(Basic().Text(0x0028, 0x1050, "DS", "100").Text(0x0028, 0x1051, "DS", "200").Text(0x0028, 0x1056, "CS", "CUBIC").Build(),
            DecodeErrorKind.UnsupportedAttribute, "VOI LUT Function", "CUBIC");

    [Fact]
    public void WindowWidthBelowOne_IsMalformed() =>
        Refuse(Basic().Text(0x0028, 0x1050, "DS", "100").Text(0x0028, 0x1051, "DS", "0").Build(), DecodeErrorKind.Malformed, "Window Width");

    [Fact]
    public void MissingRows_IsMalformedNamingRows() =>
        Refuse(Basic().Remove(0x0028, 0x0010).Build(), DecodeErrorKind.Malformed, "Rows (0028,0010)");

    [Fact]
    public void BitsStoredAboveBitsAllocated_IsMalformed() =>
        Refuse(Basic().UShort(0x0028, 0x0101, 17).Build(), DecodeErrorKind.Malformed, "Bits Stored 17");

    [Fact]
    public void NotADecimalString_IsMalformedNamingTheAttribute() =>
        Refuse(Basic().Text(0x0028, 0x1053, "DS", "one").Build(), DecodeErrorKind.Malformed, "Rescale Slope", "'one'");

    /// <summary>Patient ID claims 2 GiB in a 1 KB file: fail fast, name the element, allocate nothing.</summary>
    [Fact]
    public void LyingElementLength_IsMalformedNamingTheElement()
    {
        // LO has a 16-bit length in explicit VR; use implicit VR where every length is 32-bit.
        var file = Basic(DicomTestWriter.ImplicitLittle).Raw(0x0010, 0x0020, "LO", "ID01"u8.ToArray(), declaredLength: 0x7FFFFFF0).Build();
        Refuse(file, DecodeErrorKind.Malformed, "(0010,0020)", "2147483632", "length");
    }

    [Fact]
    public void LyingShortLength_InExplicitVr_IsMalformed()
    {
        var file = Basic().Build();
        var at = file.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x10, 0x00, 0x20, 0x00, (byte)'L', (byte)'O']);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(at + 6), 0xFFF0);
        // The lie reaches past the end of this small file.
        Assert.Equal(DecodeErrorKind.Malformed, Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(file)).Kind);
    }

    [Fact]
    public void CutInsidePixelData_IsTruncated()
    {
        var file = Basic().Build();
        Refuse(file[..(file.Length - 7)], DecodeErrorKind.Truncated, "(7FE0,0010)", "truncated");
    }

    [Fact]
    public void CutInsideHeader_IsTruncated() => Refuse(Basic().Build()[..150], DecodeErrorKind.Truncated, "truncated");

    [Fact]
    public void PixelDataShorterThanRowsTimesColumns_IsMalformed() =>
        Refuse(Basic().UShort(0x0028, 0x0010, 40).Build(), DecodeErrorKind.Malformed, "Pixel Data holds 32 bytes", "need 320");

    [Fact]
    public void DimensionsOverLimits_AreTooLarge() =>
        Refuse(Basic().UShort(0x0028, 0x0010, 60000).UShort(0x0028, 0x0011, 60000).Build(), DecodeErrorKind.TooLarge, "60000x60000");

    [Fact]
    public void ElementOverMaxElementBytes_IsTooLarge()
    {
        var file = Basic().Raw(0x0008, 0x2111, "ST", new byte[4000]).Build();
        var e = Assert.Throws<XrayDecodeException>(() => XrayDecoder.Decode(file, new DecodeLimits { MaxElementBytes = 1000 }));
        Assert.Equal(DecodeErrorKind.TooLarge, e.Kind);
        Assert.Contains("MaxElementBytes", e.Message);
        Assert.Equal(4, XrayDecoder.Decode(file).Width);
    }

    /// <summary>Deeply nested undefined-length sequences must stop at MaxSequenceDepth, not overflow the stack.</summary>
    [Fact]
    public void SequencesNestedTooDeep_AreTooLarge()
    {
        var writer = Basic();
        byte[] nested = [];
        for (var depth = 0; depth < 40; depth++)
        {
            var inner = new List<byte>(DicomTestWriter.Header(0x0040, 0xA730, "SQ", 0xFFFFFFFF, true));
            inner.AddRange(DicomTestWriter.Header(0xFFFE, 0xE000, "", 0xFFFFFFFF, false));
            inner.AddRange(nested);
            inner.AddRange(DicomTestWriter.Header(0xFFFE, 0xE00D, "", 0, false));
            inner.AddRange(DicomTestWriter.Header(0xFFFE, 0xE0DD, "", 0, false));
            nested = [.. inner];
        }
        writer.Sequence(0x0040, 0xA730, nested);
        Refuse(writer.Build(), DecodeErrorKind.TooLarge, "MaxSequenceDepth");
    }

    [Fact]
    public void WrongVrEncoding_IsMalformed()
    {
        // An implicit data set labelled Explicit VR: the "VR" bytes are the low bytes of a length.
        var file = Basic(DicomTestWriter.ImplicitLittle).Build();
        var uid = file.AsSpan().IndexOf("1.2.840.10008.1.2\0"u8);
        byte[] relabelled = [.. file[..uid], .. "1.2.840.10008.1.2.1\0"u8.ToArray(), .. file[(uid + 18)..]];
        BinaryPrimitives.WriteUInt16LittleEndian(relabelled.AsSpan(132 + 12 + 14 + 6), 20);  // the UI length: after group length (12) and version (14) elements
        BinaryPrimitives.WriteUInt32LittleEndian(relabelled.AsSpan(128 + 4 + 8), BinaryPrimitives.ReadUInt32LittleEndian(relabelled.AsSpan(128 + 4 + 8)) + 2);
        Refuse(relabelled, DecodeErrorKind.Malformed, "VR");
    }

    [Fact]
    public void NoPixelData_IsMalformed() =>
        Refuse(Basic().Remove(0x7FE0, 0x0010).Build(), DecodeErrorKind.Malformed, "Pixel Data");

    [Fact]
    public void EncapsulatedJpegOfWrongSize_IsMalformed()
    {
        var file = DicomTestWriter.Grayscale(DicomTestWriter.JpegBaseline, 9, 8, 8, 8, false, []).Encapsulated([TestImages.Jpeg(8, 8, gray: true)]).Build();
        Refuse(file, DecodeErrorKind.Malformed, "8x8", "8x9");
    }
}
