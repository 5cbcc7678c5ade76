using MLRFNet.Core.Labels;
using MLRFNet.Core.Manifest;
using MLRFNet.Core.Preprocessing;

namespace MLRFNet.Core.Tests.Manifest;

public sealed class OnnxModelMetadataTests
{
    private static readonly OnnxModelMetadata Sample = new()
    {
        LabelSet = new LabelSet("odd", ["Pleural Effusion", "Quote\"d", "Ünïcode"]),
        Preprocessing = PreprocessingSpec.ImageNet with { CropSize = 192, ResizeSize = 200 },
        Variant = "mlrfnet",
        LossJson = "{\"kind\":\"Focal\"}",
        SourceCheckpointSha256 = new string('a', 64),
        ExportedUtc = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero),
    };

    [Fact]
    public void Round_trips_through_string_properties()
    {
        var back = OnnxModelMetadata.FromProperties(Sample.ToProperties());
        Assert.Equal(Sample.LabelSet, back.LabelSet);
        Assert.Equal(Sample.Preprocessing, back.Preprocessing);
        Assert.Equal(Sample.ExportedUtc, back.ExportedUtc);
        Assert.Equal(Sample.LossJson, back.LossJson);
        Assert.Null(back.VariantConfigJson);
        Assert.Equal(Sample, back with { LabelSet = Sample.LabelSet, Preprocessing = Sample.Preprocessing });
    }

    [Fact]
    public void Labels_are_a_json_array_in_output_order_and_time_is_iso_8601_utc()
    {
        var properties = Sample.ToProperties();
        using var labels = System.Text.Json.JsonDocument.Parse(properties[OnnxModelMetadata.LabelsKey]);
        Assert.Equal(["Pleural Effusion", "Quote\"d", "Ünïcode"], labels.RootElement.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2025-03-04T05:06:07.8900000Z", properties[OnnxModelMetadata.ExportedUtcKey]);
        Assert.False(properties.ContainsKey(OnnxModelMetadata.VariantConfigKey)); // optional entries only when set
    }

    [Fact]
    public void Missing_or_malformed_entries_are_refused_with_the_key()
    {
        var properties = new Dictionary<string, string>(Sample.ToProperties());
        properties.Remove(OnnxModelMetadata.PreprocessingKey);
        Assert.Contains("no 'preprocessing' metadata entry", Assert.Throws<InvalidDataException>(() => OnnxModelMetadata.FromProperties(properties)).Message);

        properties = new Dictionary<string, string>(Sample.ToProperties()) { [OnnxModelMetadata.LabelsKey] = "{\"a\": 1}" };
        Assert.Contains("JSON array", Assert.Throws<InvalidDataException>(() => OnnxModelMetadata.FromProperties(properties)).Message);

        properties = new Dictionary<string, string>(Sample.ToProperties()) { [OnnxModelMetadata.LabelsKey] = "[\"A\", \"A\"]" };
        Assert.Contains("lists 'A' twice", Assert.Throws<InvalidDataException>(() => OnnxModelMetadata.FromProperties(properties)).Message);
    }
}
