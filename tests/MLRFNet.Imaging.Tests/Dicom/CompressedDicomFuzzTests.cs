using MLRFNet.Imaging.Tests.Fixtures;
using Xunit.Abstractions;

namespace MLRFNet.Imaging.Tests.Dicom;

/// <summary>
/// Seeded fuzzing of the frame decoders (our JPEG Lossless and RLE decoders, CharLS, OpenJPEG, inflate): bit flips,
/// overwrites, truncations and zeroed runs inside the compressed pixel data of the dcmtk/GDCM fixtures, where the
/// header parsers (fuzzed in <see cref="DecoderFuzzTests"/>) are already behind. Only an <see cref="XrayDecodeException"/>
/// may come out; a crash in a native library would kill the test host, and a hang would never finish.
/// </summary>
public class CompressedDicomFuzzTests(ITestOutputHelper output)
{
    private const int Trials = 200;

    [Theory]
    [InlineData("jpeg_lossless_p14_sv6_u12", "JPEG Lossless")]
    [InlineData("jpeg_lossless_sv1_u16", "JPEG Lossless")]
    [InlineData("jpegls_lossless_u12", "JPEG-LS")]
    [InlineData("jpegls_near_lossless_u12", "JPEG-LS")]
    [InlineData("j2k_lossless_u12", "JPEG 2000")]
    [InlineData("j2k_lossy_u12", "JPEG 2000")]
    [InlineData("rle_u12", "RLE")]
    [InlineData("deflated_u12", "deflate")]
    [InlineData("jpeg_lossless_sv1_multiframe_no_bot", "JPEG Lossless")]
    public void MutatedPixelData_OnlyEverThrowsXrayDecodeException(string name, string codec)
    {
        var valid = File.ReadAllBytes(FixtureFiles.PathOf($"compressed_dicom/{name}.dcm"));
        var start = PixelDataStart(valid, name.StartsWith("deflated", StringComparison.Ordinal));
        var random = new Random(15_000 + name.Length * 7919 + name[^1]);
        var outcomes = new Dictionary<string, int>();
        for (var trial = 0; trial < Trials; trial++)
        {
            var mutated = Mutate(valid, start, random);
            try
            {
                var image = XrayDecoder.Decode(mutated);
                Assert.Equal((long)image.Width * image.Height, image.Pixels.Length);
                Assert.All(image.Pixels, v => Assert.True(v is >= 0 and <= 255, $"pixel {v} outside 0..255"));
                outcomes["decoded"] = outcomes.GetValueOrDefault("decoded") + 1;
            }
            catch (XrayDecodeException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                var key = e.Kind + (e.Message.Contains(codec, StringComparison.Ordinal) ? $" ({codec})" : "");
                outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            }
        }
        output.WriteLine($"{name}: {string.Join(", ", outcomes.OrderBy(o => o.Key))}");
        var reached = outcomes.Where(o => o.Key == "decoded" || o.Key.EndsWith($"({codec})", StringComparison.Ordinal)).Sum(o => o.Value);
        Assert.True(reached > Trials / 2, $"only {reached} of {Trials} mutations of {name} reached the {codec} decoder: {string.Join(", ", outcomes)}");
        Assert.True(outcomes.Count > 1, $"mutations of {name} all ended the same way ({string.Join(", ", outcomes)})");
    }

    /// <summary>Where the compressed bytes start: after the Pixel Data header and the first item (or the file meta, deflated).</summary>
    private static int PixelDataStart(byte[] file, bool deflated)
    {
        if (deflated)
        {
            var meta = 132;   // group 0002 is Explicit VR LE with 2-byte lengths for UL/UI/OB...: walk its elements
            while (file[meta] == 0x02 && file[meta + 1] == 0x00)
            {
                var vr = System.Text.Encoding.ASCII.GetString(file, meta + 4, 2);
                meta += vr is "OB" or "UN" or "UT" ? 12 + BitConverter.ToInt32(file, meta + 8) : 8 + BitConverter.ToUInt16(file, meta + 6);
            }
            return meta;
        }
        var tag = file.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0xE0, 0x7F, 0x10, 0x00]);
        Assert.True(tag > 0, "no Pixel Data tag");
        return tag + 12 + 8 + BitConverter.ToInt32(file, tag + 16) + 8;   // element header, offset table item, first fragment item
    }

    private static byte[] Mutate(byte[] valid, int start, Random random)
    {
        var data = (byte[])valid.Clone();
        var span = data.Length - start;
        switch (random.Next(4))
        {
            case 0:
                return data[..(start + random.Next(span))];
            case 1:
                for (var i = random.Next(1, 9); i > 0; i--) data[start + random.Next(span)] ^= (byte)(1 << random.Next(8));
                return data;
            case 2:
                var at = start + random.Next(Math.Max(1, span - 4));
                var value = random.Next(3) switch { 0 => (byte)0xFF, 1 => (byte)0x00, _ => (byte)random.Next(256) };
                for (var i = at; i < Math.Min(data.Length, at + 4); i++) data[i] = value;
                return data;
            default:                                                  // the codestream's own header, where sizes live
                for (var i = random.Next(1, 4); i > 0; i--) data[start + random.Next(Math.Min(span, 120))] = (byte)random.Next(256);
                return data;
        }
    }
}
