using MLRFNet.Imaging.Tests.Fixtures;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Imaging.Tests;

public class LuminanceTests
{
    /// <summary>Catches a different luma formula (BT.709, plain average) or rounding: reference is Pillow's convert("L").</summary>
    [Fact]
    public void FromRgb8_MatchesPillowConvertL()
    {
        foreach (var row in FixtureFiles.Load("luminance_fixtures.json")["colours"]!.AsArray())
        {
            var rgb = row!["rgb"]!.AsArray().Select(v => (byte)v!.GetValue<int>()).ToArray();
            Assert.Equal(row["pillowL"]!.GetValue<int>(), Luminance.FromRgb8(rgb[0], rgb[1], rgb[2]));
        }
    }

    /// <summary>Catches colour PNGs decoded through ImageSharp's own (BT.709) gray conversion instead of ours.</summary>
    [Fact]
    public void RgbPng_DecodesToPillowLuma()
    {
        var colours = FixtureFiles.Load("luminance_fixtures.json")["colours"]!.AsArray()
            .Select(r => (Rgb: r!["rgb"]!.AsArray().Select(v => (byte)v!.GetValue<int>()).ToArray(), L: r["pillowL"]!.GetValue<int>()))
            .ToArray();
        foreach (var alpha in new[] { false, true })
        {
            var png = TestImages.ColourPng(colours.Length, 1, (x, _) => new Rgba32(colours[x].Rgb[0], colours[x].Rgb[1], colours[x].Rgb[2], (byte)(x * 20)), alpha);
            var image = XrayDecoder.Decode(png);
            Assert.Equal(colours.Select(c => (float)c.L), image.Pixels);
        }
    }

    [Fact]
    public void Gray_StoredAsRgb_IsUnchanged()
    {
        for (var v = 0; v < 256; v++)
        {
            Assert.Equal(v, Luminance.FromRgb8((byte)v, (byte)v, (byte)v));
            Assert.Equal(v * 257, Luminance.FromRgb16((ushort)(v * 257), (ushort)(v * 257), (ushort)(v * 257)));
        }
    }
}
