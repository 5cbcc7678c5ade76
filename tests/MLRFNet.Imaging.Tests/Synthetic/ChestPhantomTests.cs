using MLRFNet.Core.Labels;
using MLRFNet.Imaging.Synthetic;

namespace MLRFNet.Imaging.Tests.Synthetic;

public class ChestPhantomTests
{
    [Fact]
    public void Same_seed_and_index_give_identical_images_and_labels()
    {
        var a = ChestPhantom.Generate(seed: 7, index: 3, size: 128);
        var b = ChestPhantom.Generate(seed: 7, index: 3, size: 128);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(a.Targets, b.Targets);
        var c = ChestPhantom.Generate(seed: 8, index: 3, size: 128);
        Assert.NotEqual(a.Pixels, c.Pixels);
    }

    [Fact]
    public void Only_planted_findings_are_ever_positive_and_each_occurs_at_about_its_rate()
    {
        var labels = LabelSets.ChestXray14;
        var counts = new int[labels.Count];
        const int n = 300;
        for (var i = 0; i < n; i++)
        {
            var (_, targets) = ChestPhantom.Generate(1, i, 64);
            for (var c = 0; c < counts.Length; c++) counts[c] += (int)targets[c];
        }
        for (var c = 0; c < counts.Length; c++)
        {
            if (ChestPhantom.PlantedFindings.Contains(labels[c]))
                Assert.InRange(counts[c], (int)(n * 0.2), (int)(n * 0.4)); // p = 0.3, ±4 sd
            else
                Assert.Equal(0, counts[c]);
        }
    }

    [Theory]
    [InlineData("Nodule", 0.0005, 0.004)]
    [InlineData("Mass", 0.004, 0.03)]
    [InlineData("Consolidation", 0.01, 0.08)]
    [InlineData("Effusion", 0.005, 0.15)]
    [InlineData("Cardiomegaly", 0.005, 0.06)]
    [InlineData("Pneumothorax", 0.005, 0.08)]
    public void Each_finding_changes_a_region_of_the_expected_size_and_nothing_else(string finding, double minFraction, double maxFraction)
    {
        // Same phantom with and without one finding: the pixels that change must cover an area that fits the
        // finding (a nodule is small, a consolidation large); a generator that drew the finding without setting the
        // label, or set it without drawing, fails here.
        for (var index = 0; index < 5; index++)
        {
            var without = ChestPhantom.Generate(3, index, 256, new HashSet<string>());
            var with = ChestPhantom.Generate(3, index, 256, new HashSet<string> { finding });
            Assert.Equal(0f, without.Targets.Sum());
            Assert.Equal(1f, with.Targets[LabelSets.ChestXray14.IndexOf(finding)]);
            Assert.Equal(1f, with.Targets.Sum());
            var changed = with.Pixels.Zip(without.Pixels).Count(p => Math.Abs(p.First - p.Second) > 8);
            var fraction = changed / (double)with.Pixels.Length;
            Assert.InRange(fraction, minFraction, maxFraction);
        }
    }

    [Fact]
    public void Unknown_forced_findings_are_refused() =>
        Assert.Throws<ArgumentException>(() => ChestPhantom.Generate(1, 1, 64, new HashSet<string> { "Hernia" }));

    [Fact]
    public void Written_set_has_a_labels_csv_matching_the_generator_and_refuses_to_overwrite()
    {
        var dir = Path.Combine(Path.GetTempPath(), "phantoms-" + Guid.NewGuid().ToString("N"));
        try
        {
            var csv = PhantomDataset.Write(dir, count: 5, seed: 11, size: 64);
            var lines = File.ReadAllLines(csv);
            Assert.Equal(6, lines.Length);
            Assert.StartsWith("Image Index,Patient ID,Atelectasis,", lines[0]);
            var (pixels, targets) = ChestPhantom.Generate(11, 2, 64);
            Assert.Equal("phantom_00002.png,2," + string.Join(",", targets.Select(t => (int)t)), lines[3]);
            var decoded = XrayDecoder.DecodeFile(Path.Combine(dir, "images", "phantom_00002.png"));
            Assert.Equal(pixels.Select(p => (float)p), decoded.Pixels);
            Assert.Throws<IOException>(() => PhantomDataset.Write(dir, 5, 11, 64));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
