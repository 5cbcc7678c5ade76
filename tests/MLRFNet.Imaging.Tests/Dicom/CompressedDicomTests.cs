using System.Text.Json.Nodes;
using MLRFNet.Imaging.Dicom;
using MLRFNet.Imaging.Tests.Fixtures;

namespace MLRFNet.Imaging.Tests.Dicom;

/// <summary>
/// Every supported compressed transfer syntax, pixel-exact against dcmtk or GDCM: the fixtures are synthetic phantoms
/// compressed by dcmtk (dcmcjpeg, dcmcjpls, dcmcrle, dcmconv +td) and GDCM (gdcmconv --j2k), and the references are
/// the first frame as dcmtk (dcmdjpeg, dcmdjpls, dcmdrle, dcmconv +te) or GDCM (gdcmconv --raw) decode it; see
/// Fixtures/make_compressed_dicom.py.
/// </summary>
public class CompressedDicomTests
{
    private static readonly JsonNode Fixtures = FixtureFiles.Load("compressed_dicom.json");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Fixtures["cases"]!.AsObject()) data.Add(name);
        return data;
    }

    private static JsonNode Case(string name) => Fixtures["cases"]![name]!;

    [Theory]
    [MemberData(nameof(Cases))]
    public void FirstFrame_EqualsTheReferenceDecoderSampleForSample(string name)
    {
        var c = Case(name);
        var frame = DicomReader.ReadFirstFrame(File.ReadAllBytes(FixtureFiles.PathOf(c["file"]!.GetValue<string>())), DecodeLimits.Default);
        var reference = File.ReadAllBytes(FixtureFiles.PathOf(c["reference"]!.GetValue<string>()));
        Assert.Equal(c["transferSyntaxUid"]!.GetValue<string>(), frame.Syntax.Uid);
        Assert.Equal(reference.Length, frame.Samples.Length);
        var mismatch = Enumerable.Range(0, reference.Length).FirstOrDefault(i => reference[i] != frame.Samples[i], -1);
        Assert.True(mismatch < 0, $"{name}: byte {mismatch} is {(mismatch < 0 ? 0 : frame.Samples[mismatch])}, " +
            $"{c["referenceDecoder"]} gives {(mismatch < 0 ? 0 : reference[mismatch])}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_OfALosslessCopy_GivesTheDisplayPixelsOfTheUncompressedFile(string name)
    {
        var c = Case(name);
        var compressed = XrayDecoder.DecodeFile(FixtureFiles.PathOf(c["file"]!.GetValue<string>()));
        Assert.Equal(c["frames"]!.GetValue<int>(), compressed.Dicom!.NumberOfFrames);
        Assert.Equal((c["width"]!.GetValue<int>(), c["height"]!.GetValue<int>()), (compressed.Width, compressed.Height));
        if (!c["lossless"]!.GetValue<bool>()) return;
        var native = XrayDecoder.DecodeFile(FixtureFiles.PathOf(c["native"]!.GetValue<string>()));
        Assert.Equal(native.Pixels, compressed.Pixels);
    }

    [Fact]
    public void Fixtures_CoverEverySyntaxAndEncapsulationLayout()
    {
        var cases = Fixtures["cases"]!.AsObject().Select(p => p.Value!).ToList();
        string[] syntaxes = ["1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
            "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.1.99"];
        foreach (var uid in syntaxes) Assert.Contains(cases, c => c["transferSyntaxUid"]!.GetValue<string>() == uid);
        int? Bot(JsonNode c) => c["offsetTableEntries"]?.GetValue<int>();
        int? Fragments(JsonNode c) => c["fragments"]?.GetValue<int>();
        Assert.Contains(cases, c => c["frames"]!.GetValue<int>() == 1 && Fragments(c) > 1 && Bot(c) == 0);
        Assert.Contains(cases, c => c["frames"]!.GetValue<int>() > 1 && Bot(c) == c["frames"]!.GetValue<int>());
        Assert.Contains(cases, c => c["frames"]!.GetValue<int>() > 1 && Bot(c) == 0);
        Assert.Contains(cases, c => c["frames"]!.GetValue<int>() > 1 && Fragments(c) > c["frames"]!.GetValue<int>() && Bot(c) == 0);
    }
}
