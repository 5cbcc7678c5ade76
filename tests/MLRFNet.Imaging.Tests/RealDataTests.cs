using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MLRFNet.Imaging.Tests.Fixtures;
using MLRFNet.Tests;

namespace MLRFNet.Imaging.Tests;

/// <summary>
/// Every shared sample X-ray decodes, and agrees with independent decoders (Pillow for PNG, pydicom for DICOM) on the
/// figures recorded by Fixtures/make_imaging_fixtures.py. Skipped, visibly, when ../shared/data is absent.
/// </summary>
public class RealDataTests
{
    private static readonly JsonNode Fixture = FixtureFiles.Load("imaging_fixtures.json");

    /// <summary>All 421 + 8 PNGs: size, sampled pixels (exact), mean/min/max against Pillow (RGBA via convert("L")).</summary>
    [SkippableFact]
    public void AllSamplePngs_MatchPillow()
    {
        var root = SharedData.Require("nih-sample", "images");
        var shared = Path.GetFullPath(Path.Combine(root, "..", ".."));
        var entries = Fixture["png"]!.AsObject();
        var onDisk = Directory.GetFiles(root, "*.png").Length + Directory.GetFiles(Path.Combine(shared, "nih-sample", "fullsize"), "*.png").Length;
        Assert.Equal(entries.Count, onDisk);
        var rgba = 0;
        foreach (var (relative, expected) in entries)
        {
            var path = Path.Combine(shared, relative);
            var bytes = File.ReadAllBytes(path);
            Assert.True(expected!["sha256"]!.GetValue<string>() == Convert.ToHexStringLower(SHA256.HashData(bytes)),
                $"{relative} differs from the file the fixture was made from; re-run make_imaging_fixtures.py.");
            var image = XrayDecoder.Decode(bytes);
            AssertFigures(relative, expected, image, sampleTolerance: 0, meanTolerance: 1e-3);
            if (expected["mode"]!.GetValue<string>() == "RGBA") rgba++;
        }
        Assert.Equal(2, rgba);
    }

    [SkippableFact]
    public void TwelveBitDicom_MatchesPydicomWindowed()
    {
        var (image, expected) = DecodeDicom("nih-00000797-cr-12bit-explicit-le.dcm");
        Assert.Equal(12, image.SourceBitDepth);
        AssertFigures("12-bit DICOM", expected, image, sampleTolerance: 1e-3, meanTolerance: 1e-3);
    }

    /// <summary>ImageSharp's JPEG decoder against libjpeg-turbo (pydicom's Pillow handler); IDCTs differ slightly.</summary>
    [SkippableFact]
    public void JpegBaselineDicom_MatchesPydicomWithinIdctDifferences()
    {
        var (image, expected) = DecodeDicom("siim-chest-cr-jpeg-baseline.dcm");
        Assert.Equal(8, image.SourceBitDepth);
        AssertFigures("JPEG DICOM", expected, image, sampleTolerance: 1, meanTolerance: 0.05);   // measured over all pixels: max 1, mean 0.014
    }

    private static (XrayImage Image, JsonNode Expected) DecodeDicom(string name)
    {
        var path = SharedData.Require("dicom", name);
        var expected = Fixture["dicom"]![name]!;
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(expected["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var image = XrayDecoder.Decode(bytes);
        var tags = expected["tags"]!;
        var meta = image.Dicom!;
        Assert.Equal(tags["PatientID"]!.GetValue<string>(), meta.PatientId);
        Assert.Equal(tags["StudyInstanceUID"]!.GetValue<string>(), meta.StudyInstanceUid);
        Assert.Equal(tags["SeriesInstanceUID"]!.GetValue<string>(), meta.SeriesInstanceUid);
        Assert.Equal(tags["SOPInstanceUID"]!.GetValue<string>(), meta.SopInstanceUid);
        Assert.Equal(tags["Modality"]!.GetValue<string>(), meta.Modality);
        Assert.Equal(tags["BodyPartExamined"]!.GetValue<string>(), meta.BodyPartExamined);
        Assert.Equal(tags["ViewPosition"]!.GetValue<string>(), meta.ViewPosition);
        Assert.Equal(tags["PhotometricInterpretation"]!.GetValue<string>(), meta.PhotometricInterpretation);
        Assert.Equal(expected["transferSyntaxUid"]!.GetValue<string>(), meta.TransferSyntaxUid);
        return (image, expected);
    }

    private static void AssertFigures(string what, JsonNode expected, XrayImage image, double sampleTolerance, double meanTolerance)
    {
        Assert.Equal(expected["width"]!.GetValue<int>(), image.Width);
        Assert.Equal(expected["height"]!.GetValue<int>(), image.Height);
        foreach (var sample in expected["samples"]!.AsArray())
        {
            int x = sample![0]!.GetValue<int>(), y = sample[1]!.GetValue<int>();
            double reference = sample[2]!.GetValue<double>(), ours = image.Pixels[y * image.Width + x];
            Assert.True(Math.Abs(reference - ours) <= sampleTolerance + 1e-4,
                $"{what} pixel ({x},{y}): ours {ours}, reference {reference}");
        }
        var mean = image.Pixels.Average(v => (double)v);
        Assert.True(Math.Abs(mean - expected["mean"]!.GetValue<double>()) <= meanTolerance,
            $"{what} mean: ours {mean}, reference {expected["mean"]}");
        Assert.True(Math.Abs(image.Pixels.Min() - expected["min"]!.GetValue<double>()) <= sampleTolerance + 1e-4, $"{what} min");
        Assert.True(Math.Abs(image.Pixels.Max() - expected["max"]!.GetValue<double>()) <= sampleTolerance + 1e-4, $"{what} max");
    }
}
