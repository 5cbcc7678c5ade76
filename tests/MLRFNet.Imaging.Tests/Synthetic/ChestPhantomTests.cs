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
    [InlineData("Nodule")]
    [InlineData("Mass")]
    [InlineData("Consolidation")]
    [InlineData("Effusion")]
    [InlineData("Cardiomegaly")]
    public void A_planted_bright_finding_makes_the_image_brighter_on_average(string finding)
    {
        // Compares mean brightness of phantoms with and without the finding: a generator that set the label
        // without drawing the finding (or drew it when absent) would show no difference.
        var index = LabelSets.ChestXray14.IndexOf(finding);
        double with = 0, without = 0;
        int nWith = 0, nWithout = 0;
        for (var i = 0; i < 200; i++)
        {
            var (pixels, targets) = ChestPhantom.Generate(2, i, 96);
            var mean = pixels.Average(p => (double)p);
            if (targets[index] > 0) { with += mean; nWith++; } else { without += mean; nWithout++; }
        }
        Assert.True(nWith > 20 && nWithout > 20);
        Assert.True(with / nWith > without / nWithout, $"{finding}: mean with {with / nWith:F2}, without {without / nWithout:F2}");
    }

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
