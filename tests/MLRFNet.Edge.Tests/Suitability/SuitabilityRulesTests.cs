using MLRFNet.Edge.Suitability;
using MLRFNet.Imaging;

namespace MLRFNet.Edge.Tests.Suitability;

/// <summary>Each rule of <see cref="SuitabilityRules"/> at its boundary, with the default options and changed ones.</summary>
public sealed class SuitabilityRulesTests
{
    private static XrayImage Image(int width, int height, float spread = 60, DicomMetadata? dicom = null)
    {
        // Alternating 128 ± spread: a known standard deviation (= spread) without depending on a phantom.
        var pixels = Enumerable.Range(0, width * height).Select(i => 128f + ((i + i / width) % 2 == 0 ? spread : -spread)).ToArray();
        return new XrayImage(width, height, pixels, 8, dicom is null ? XrayFormat.Png : XrayFormat.Dicom, dicom);
    }

    private static DicomMetadata Tags(string? modality = "DX", string? bodyPart = "CHEST", string? view = "PA") =>
        new(null, null, null, null, modality, bodyPart, view, "MONOCHROME2", "1.2.840.10008.1.2.1");

    private static SuitabilityVerdict Check(XrayImage image, SuitabilityOptions? options = null) =>
        SuitabilityRules.Check(image, options ?? new SuitabilityOptions());

    [Theory]
    [InlineData("CR", true)]
    [InlineData("DX", true)]
    [InlineData("dx", true)]
    [InlineData("DR", true)]
    [InlineData("CT", false)]
    [InlineData("MR", false)]
    [InlineData(null, false)]
    public void Modality_CrDxDrPass(string? modality, bool suitable)
    {
        var verdict = Check(Image(300, 300, dicom: Tags(modality: modality)));
        Assert.Equal(suitable, verdict.Suitable);
        if (!suitable) Assert.Equal("modality", verdict.Rule);
    }

    [Theory]
    [InlineData("CHEST", true)]
    [InlineData(null, true)]
    [InlineData("KNEE", false)]
    [InlineData("ABDOMEN", false)]
    public void BodyPart_ChestOrAbsentPasses(string? part, bool suitable) =>
        Assert.Equal(suitable, Check(Image(300, 300, dicom: Tags(bodyPart: part))).Suitable);

    [Theory]
    [InlineData("PA", true)]
    [InlineData("AP", true)]
    [InlineData(null, true)]
    [InlineData("LL", false)]
    [InlineData("RL", false)]
    [InlineData("LATERAL", false)]
    public void ViewPosition_LateralFails(string? view, bool suitable) =>
        Assert.Equal(suitable, Check(Image(300, 300, dicom: Tags(view: view))).Suitable);

    [Theory]
    [InlineData(256, 256, true)]
    [InlineData(255, 400, false)]
    [InlineData(400, 255, false)]
    public void Size_AtLeast256ASide(int width, int height, bool suitable)
    {
        var verdict = Check(Image(width, height));
        Assert.Equal(suitable, verdict.Suitable);
        if (!suitable) Assert.Equal(("size", true), (verdict.Rule, verdict.Reason!.Contains($"{width}x{height}")));
    }

    [Theory]
    [InlineData(4.01f, true)]
    [InlineData(3.99f, false)]
    [InlineData(0f, false)]
    public void NearUniform_StandardDeviationBelow4Fails(float spread, bool suitable)
    {
        var verdict = Check(Image(300, 300, spread));
        Assert.Equal(suitable, verdict.Suitable);
        if (!suitable) Assert.Equal("near-uniform", verdict.Rule);
    }

    [Fact]
    public void PngPassesTheTagRulesUnverified()
    {
        var verdict = Check(Image(300, 300));
        Assert.True(verdict.Suitable);
        Assert.False(verdict.TagsVerified);
        Assert.True(Check(Image(300, 300, dicom: Tags())).TagsVerified);
    }

    [Fact]
    public void OptionsChangeTheRules()
    {
        var ct = Image(300, 300, dicom: Tags(modality: "CT", view: "LL"));
        Assert.False(Check(ct).Suitable);
        Assert.True(Check(ct, new SuitabilityOptions { AllowedModalities = "CR, ct", RejectedViewPositions = "" }).Suitable);
        Assert.True(Check(Image(100, 100), new SuitabilityOptions { MinSidePixels = 100 }).Suitable);
        var disabled = Check(Image(10, 10, 0, Tags(modality: "CT")), new SuitabilityOptions { Enabled = false });
        Assert.Equal((true, false), (disabled.Suitable, disabled.Checked));
    }
}
