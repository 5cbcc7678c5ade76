using MLRFNet.Tests;
using SixLabors.ImageSharp.PixelFormats;

namespace MLRFNet.Imaging.Tests;

/// <summary>
/// Seeded fuzzing: byte flips, overwrites and truncations of valid generated files. The only exception allowed out
/// of the decoder is <see cref="XrayDecodeException"/>; an IndexOutOfRange, overflow, stack overflow or a hang (the
/// test would not finish) would be a bug in our header parsers.
/// </summary>
public class DecoderFuzzTests
{
    private static readonly DecodeLimits Limits = new() { MaxPixels = 4_000_000, MaxWidth = 4096, MaxHeight = 4096 };

    public static TheoryData<string> Seeds() => new(Valid().Keys);

    private static Dictionary<string, byte[]> Valid()
    {
        var jpeg = TestImages.Jpeg(24, 16, gray: true);
        var sequenceItem = new DicomTestWriter(DicomTestWriter.ImplicitLittle).Element(0x0028, 0x0010, "US", [3, 0]);
        byte[] lutItem(int entries, int first, int bits)
        {
            var writer = new DicomTestWriter(DicomTestWriter.ExplicitLittle);
            var data = Enumerable.Range(0, entries).SelectMany(i => BitConverter.GetBytes((ushort)(i * 7 % (1 << bits)))).ToArray();
            return [.. writer.Element(0x0028, 0x3002, "US", [.. BitConverter.GetBytes((ushort)entries), .. BitConverter.GetBytes((ushort)first), .. BitConverter.GetBytes((ushort)bits)]),
                .. writer.Element(0x0028, 0x3006, "OW", data)];
        }
        return new()
        {
            ["png-gray8"] = TestImages.Gray8Png(24, 16),
            ["png-gray16"] = TestImages.Gray16Png(20, 12),
            ["png-rgba"] = TestImages.ColourPng(16, 16, (x, y) => new Rgba32((byte)(x * 9), (byte)(y * 13), 77, 255), alpha: true),
            ["jpeg-gray"] = jpeg,
            ["jpeg-colour"] = TestImages.Jpeg(24, 16, gray: false),
            ["dicom-explicit16"] = DicomTestWriter.Grayscale(DicomTestWriter.ExplicitLittle, 6, 5, 16, 12, false, Enumerable.Range(0, 30).Select(i => i * 131).ToArray())
                .Text(0x0028, 0x1050, "DS", "1000").Text(0x0028, 0x1051, "DS", "1500").Build(),
            ["dicom-implicit-sequences"] = DicomTestWriter.Grayscale(DicomTestWriter.ImplicitLittle, 4, 6, 8, 8, true, Enumerable.Range(0, 24).Select(i => i * 10).ToArray())
                .Sequence(0x0088, 0x0200, sequenceItem, sequenceItem).Build(),
            ["dicom-lut-sequences"] = DicomTestWriter.Grayscale(DicomTestWriter.ExplicitLittle, 4, 6, 16, 12, false, Enumerable.Range(0, 24).Select(i => i * 150).ToArray())
                .Sequence(0x0028, 0x3000, [.. lutItem(4096, 0, 16)]).Sequence(0x0028, 0x3010, [.. lutItem(64, 1000, 12)], [.. lutItem(8, 0, 8)])
                .Text(0x2050, 0x0020, "CS", "INVERSE").Build(),
            ["dicom-jpeg"] = DicomTestWriter.Grayscale(DicomTestWriter.JpegBaseline, 16, 24, 8, 8, false, []).Encapsulated([jpeg[..64], jpeg[64..]]).Build(),
        };
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Mutations_OnlyEverThrowXrayDecodeException(string name)
    {
        var valid = Valid()[name];
        Assert.NotNull(XrayDecoder.Decode(valid, Limits));           // the seed itself decodes
        var random = new Random(20240611 + name.Length * 7919 + name[^1]);
        var outcomes = new Dictionary<string, int>();
        for (var trial = 0; trial < 60; trial++)
        {
            var mutated = Mutate(valid, random);
            try
            {
                var image = XrayDecoder.Decode(mutated, Limits);
                Assert.Equal((long)image.Width * image.Height, image.Pixels.Length);
                outcomes["decoded"] = outcomes.GetValueOrDefault("decoded") + 1;
            }
            catch (XrayDecodeException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                outcomes[e.Kind.ToString()] = outcomes.GetValueOrDefault(e.Kind.ToString()) + 1;
            }
        }
        Assert.True(outcomes.Count > 1, $"mutations of {name} all ended the same way ({string.Join(", ", outcomes)}): the fuzzer is not reaching the parser");
    }

    public static TheoryData<string> PngSeeds() => new(Valid().Keys.Where(k => k.StartsWith("png", StringComparison.Ordinal)));

    /// <summary>
    /// The same mutations with every chunk CRC recomputed afterwards, as a buggy encoder or a corrupting copy tool
    /// that re-checksums would leave them: without this the CRC check rejects nearly every mutation before our own
    /// PNG pixel decoder (inflate, unfilter, sample conversion) sees it.
    /// </summary>
    [Theory]
    [MemberData(nameof(PngSeeds))]
    public void PngMutationsBehindRepairedCrcs_OnlyEverThrowXrayDecodeException(string name)
    {
        var valid = Valid()[name];
        var random = new Random(20261126 + name.Length * 7919 + name[^1]);
        var outcomes = new Dictionary<string, int>();
        for (var trial = 0; trial < 120; trial++)
        {
            var mutated = RepairCrcs(Mutate(valid, random));
            try
            {
                var image = XrayDecoder.Decode(mutated, Limits);
                Assert.Equal((long)image.Width * image.Height, image.Pixels.Length);
                Assert.All(image.Pixels, v => Assert.True(v is >= 0 and <= 255, $"pixel {v} outside 0..255"));
                outcomes["decoded"] = outcomes.GetValueOrDefault("decoded") + 1;
            }
            catch (XrayDecodeException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                var key = e.Kind + (e.Message.Contains("CRC", StringComparison.Ordinal) ? " (CRC)" : "");
                outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            }
        }
        Assert.True(outcomes.Count > 1, $"mutations of {name} all ended the same way ({string.Join(", ", outcomes)}): the fuzzer is not reaching the decoder");
        Assert.True(outcomes.Where(o => !o.Key.EndsWith("(CRC)", StringComparison.Ordinal)).Sum(o => o.Value) > 60,
            $"most mutations of {name} were stopped by a CRC ({string.Join(", ", outcomes)}): the repair is not working");
    }

    /// <summary>Recomputes the CRC of every chunk that lies inside the data; stops at a chunk whose length runs past the end.</summary>
    private static byte[] RepairCrcs(byte[] png)
    {
        for (var position = 8L; position + 12 <= png.Length; )
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan((int)position));
            if (position + 12 + length > png.Length) break;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan((int)(position + 8 + length)),
                System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan((int)position + 4, 4 + (int)length)));
            position += 12 + length;
        }
        return png;
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var data = (byte[])valid.Clone();
        switch (random.Next(4))
        {
            case 0:                                                    // truncate anywhere
                return data[..random.Next(data.Length)];
            case 1:                                                    // flip 1..8 bits
                for (var i = random.Next(1, 9); i > 0; i--) data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                return data;
            case 2:                                                    // overwrite 4 bytes with extreme values (lengths, sizes)
                var at = random.Next(Math.Max(1, data.Length - 4));
                var value = random.Next(3) switch { 0 => (byte)0xFF, 1 => (byte)0x00, _ => (byte)random.Next(256) };
                for (var i = at; i < Math.Min(data.Length, at + 4); i++) data[i] = value;
                return data;
            default:                                                   // mutate inside the header region, where parsers live
                for (var i = random.Next(1, 4); i > 0; i--) data[random.Next(Math.Min(data.Length, 400))] = (byte)random.Next(256);
                return data;
        }
    }
}
