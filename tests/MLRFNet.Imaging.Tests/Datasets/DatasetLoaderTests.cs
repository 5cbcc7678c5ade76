using MLRFNet.Core.Labels;
using MLRFNet.Imaging.Datasets;

namespace MLRFNet.Imaging.Tests.Datasets;

public class DatasetLoaderTests
{
    [Fact]
    public void ChestXray14_findings_map_to_columns_and_missing_images_are_listed()
    {
        using var files = new DatasetTestFiles();
        var csv = files.Write("Data_Entry_2017.csv",
            "Image Index,Finding Labels,Follow-up #,Patient ID\n" +
            "00000001_000.png,Cardiomegaly|Emphysema,0,1\n" +
            "00000001_001.png,No Finding,1,1\n" +
            "00000002_000.png,Hernia,0,2\n");
        files.Touch("images_001/images/00000001_000.png");
        files.Touch("images_002/images/00000001_001.png");
        var dataset = ChestXray14Dataset.Load(csv, [Path.Combine(files.Root, "images_001"), Path.Combine(files.Root, "images_002")]);
        Assert.Equal(2, dataset.Count);
        var first = dataset.Items[0].Targets;
        Assert.Equal(1f, first[LabelSets.ChestXray14.IndexOf("Cardiomegaly")]);
        Assert.Equal(1f, first[LabelSets.ChestXray14.IndexOf("Emphysema")]);
        Assert.Equal(2f, first.Sum());
        Assert.Equal(0f, dataset.Items[1].Targets.Sum());
        Assert.Single(dataset.Skipped);
        Assert.Contains("00000002_000.png", dataset.Skipped[0]);
    }

    [Fact]
    public void An_unknown_finding_is_an_error_not_a_silent_zero()
    {
        var e = Assert.Throws<FormatException>(() => ChestXray14Dataset.ParseFindings("Effusion|Pleural Thickening", LabelSets.ChestXray14));
        Assert.Contains("unknown finding 'Pleural Thickening'", e.Message);
    }

    [Fact]
    public void Official_split_keeps_test_apart_and_carves_validation_by_patient()
    {
        using var files = new DatasetTestFiles();
        var lines = new List<string> { "Image Index,Finding Labels,Patient ID" };
        var trainVal = new List<string>();
        var test = new List<string>();
        for (var p = 1; p <= 60; p++)
        {
            for (var k = 0; k < 3; k++)
            {
                var name = $"{p:D8}_{k:D3}.png";
                lines.Add($"{name},No Finding,{p}");
                files.Touch("images/" + name);
                (p <= 45 ? trainVal : test).Add(name);
            }
        }
        var csv = files.Write("Data_Entry_2017.csv", string.Join("\n", lines));
        var tv = files.Write("train_val_list.txt", string.Join("\n", trainVal));
        var te = files.Write("test_list.txt", string.Join("\n", test));
        var dataset = ChestXray14Dataset.Load(csv, [Path.Combine(files.Root, "images")]);
        var split = ChestXray14Dataset.OfficialSplit(dataset, tv, te, 0.2, seed: 1);
        Assert.Equal(45, split.Test!.Count);
        Assert.Equal(135, split.Train.Count + split.Validation.Count);
        Assert.InRange(split.Validation.Count, 24, 30);
        Assert.Empty(split.Train.Items.Select(i => i.PatientId).Intersect(split.Validation.Items.Select(i => i.PatientId)));
        Assert.All(split.Test.Items, i => Assert.Contains(i.ImageIndex, test));
    }

    [Theory]
    [InlineData(UncertaintyPolicy.Ones, new float[] { 1, 1, 0, 1, 0 })]
    [InlineData(UncertaintyPolicy.Zeros, new float[] { 0, 0, 0, 1, 0 })]
    [InlineData(UncertaintyPolicy.Mixed, new float[] { 1, 0, 0, 1, 0 })]
    public void CheXpert_uncertain_labels_follow_the_policy_and_laterals_are_filtered(UncertaintyPolicy policy, float[] expected)
    {
        using var files = new DatasetTestFiles();
        var csv = files.Write("CheXpert-v1.0-small/train.csv",
            "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Atelectasis,Cardiomegaly,Consolidation,Edema,Pleural Effusion\n" +
            "CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg,F,68,Frontal,AP,,-1.0,-1.0,,1.0,0.0\n" +
            "CheXpert-v1.0-small/train/patient00001/study1/view2_lateral.jpg,F,68,Lateral,,,1.0,,,,\n");
        files.Touch("CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg");
        files.Touch("CheXpert-v1.0-small/train/patient00001/study1/view2_lateral.jpg");
        var dataset = CheXpertDataset.Load(csv, files.Root, policy);
        var item = Assert.Single(dataset.Items);
        Assert.Equal(expected, item.Targets);
        Assert.Equal("patient00001", item.PatientId);
        Assert.Equal(LabelSets.CheXpertCompetition, dataset.Labels);
    }

    [Fact]
    public void Labelled_folder_infers_custom_columns_and_rejects_non_binary_values()
    {
        using var files = new DatasetTestFiles();
        files.Touch("img/a.png");
        files.Touch("img/b.png");
        var csv = files.Write("labels.csv", "Image Index,Spot,Haze,Note\na.png,1,0,x\nb.png,0,1,y\n");
        var dataset = LabelledFolderDataset.Load(csv, Path.Combine(files.Root, "img"));
        Assert.Equal(["Spot", "Haze"], dataset.Labels.Labels);
        Assert.Equal("a.png", dataset.Items[0].PatientId);

        var bad = files.Write("bad.csv", "Image Index,Spot\na.png,2\n");
        var e = Assert.Throws<FormatException>(() => LabelledFolderDataset.Load(bad, Path.Combine(files.Root, "img"), new LabelSet("x", ["Spot"])));
        Assert.Contains("'Spot' is '2'", e.Message);
    }

    [Theory]
    [InlineData("00012345_003.png", "12345")]
    [InlineData("CheXpert-v1.0-small/train/patient04211/study2/view1_frontal.jpg", "patient04211")]
    [InlineData("scan.png", "scan.png")]
    public void Patient_ids_derive_from_known_naming_schemes(string name, string expected) =>
        Assert.Equal(expected, PatientIds.FromImageName(name));
}
