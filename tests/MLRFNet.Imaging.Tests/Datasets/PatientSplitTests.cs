using MLRFNet.Core.Labels;
using MLRFNet.Tests;
using MLRFNet.Imaging.Datasets;

namespace MLRFNet.Imaging.Tests.Datasets;

public class PatientSplitTests
{
    private static XrayDataset ManyImagesPerPatient(int patients, int seed)
    {
        // Patients with 1..20 images each, like ChestX-ray14's follow-ups: an image-wise split would leak.
        var random = new Random(seed);
        var items = new List<DatasetItem>();
        for (var p = 0; p < patients; p++)
        {
            var n = 1 + random.Next(20);
            for (var k = 0; k < n; k++)
                items.Add(new DatasetItem($"{p:D8}_{k:D3}.png", $"/x/{p:D8}_{k:D3}.png", p.ToString(), new float[14]));
        }
        return new XrayDataset(LabelSets.ChestXray14, items);
    }

    [Fact]
    public void No_patient_appears_in_two_parts_and_every_image_is_used_once()
    {
        var dataset = ManyImagesPerPatient(500, 1);
        var split = PatientSplit.TrainValidationTest(dataset, seed: 42);
        var parts = new[] { split.Train, split.Validation, split.Test! };
        var patientSets = parts.Select(p => p.Items.Select(i => i.PatientId).ToHashSet()).ToArray();
        for (var a = 0; a < 3; a++)
            for (var b = a + 1; b < 3; b++)
                Assert.Empty(patientSets[a].Intersect(patientSets[b]));
        Assert.Equal(dataset.Count, parts.Sum(p => p.Count));
        Assert.Equal(dataset.Count, parts.SelectMany(p => p.Items).Select(i => i.ImageIndex).Distinct().Count());
    }

    [Fact]
    public void Part_sizes_follow_the_fractions_and_the_seed_makes_it_repeatable()
    {
        var dataset = ManyImagesPerPatient(800, 2);
        var split = PatientSplit.TrainValidationTest(dataset, seed: 5);
        Assert.InRange(split.Train.Count / (double)dataset.Count, 0.68, 0.72);
        Assert.InRange(split.Validation.Count / (double)dataset.Count, 0.08, 0.12);
        Assert.InRange(split.Test!.Count / (double)dataset.Count, 0.18, 0.22);
        var again = PatientSplit.TrainValidationTest(dataset, seed: 5);
        Assert.Equal(split.Validation.Items.Select(i => i.ImageIndex), again.Validation.Items.Select(i => i.ImageIndex));
        var other = PatientSplit.TrainValidationTest(dataset, seed: 6);
        Assert.NotEqual(split.Validation.Items.Select(i => i.ImageIndex), other.Validation.Items.Select(i => i.ImageIndex));
    }

    [Fact]
    public void Bad_fractions_are_refused()
    {
        var dataset = ManyImagesPerPatient(10, 3);
        Assert.Throws<ArgumentException>(() => PatientSplit.Split(dataset, [0.5, 0.6], 1));
        Assert.Throws<ArgumentException>(() => PatientSplit.Split(dataset, [1.2, -0.2], 1));
    }

    [SkippableFact]
    public void Real_nih_sample_split_by_patient_has_no_leakage()
    {
        var csv = SharedData.Require("nih-sample", "labels.csv");
        var dataset = LabelledFolderDataset.Load(csv, Path.Combine(Path.GetDirectoryName(csv)!, "images"));
        Assert.Equal(421, dataset.Count);
        Assert.Empty(dataset.Skipped);
        var split = PatientSplit.TrainValidation(dataset, 0.2, seed: 0);
        Assert.Empty(split.Train.Items.Select(i => i.PatientId).Intersect(split.Validation.Items.Select(i => i.PatientId)));
        // Positives per class as documented in shared/data/README.md.
        Assert.Equal([60, 36, 53, 85, 45, 66, 22, 28, 55, 11, 29, 32, 47, 14], dataset.PositivesPerClass());
    }
}
