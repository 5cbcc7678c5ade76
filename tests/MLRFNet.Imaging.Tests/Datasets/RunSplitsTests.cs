using System.Diagnostics;
using MLRFNet.Core.Labels;
using MLRFNet.Imaging.Datasets;

namespace MLRFNet.Imaging.Tests.Datasets;

/// <summary>The run splits of issue 17 (official NIH lists, CheXpert valid.csv, seeded random by patient) and split.json.</summary>
public sealed class RunSplitsTests : IDisposable
{
    private readonly DatasetTestFiles files = new();

    public void Dispose() => files.Dispose();

    /// <summary>An NIH-like labelled folder: patients 1..P with 1..4 images each, plus the official lists when asked.</summary>
    private DatasetSource NihLike(int patients, Func<int, bool>? isTest = null, string folder = "nih")
    {
        var random = new Random(7);
        var csv = new System.Text.StringBuilder("Image Index,Patient ID," + string.Join(",", LabelSets.ChestXray14.Labels) + "\n");
        var trainVal = new List<string>();
        var test = new List<string>();
        for (var p = 1; p <= patients; p++)
        {
            for (var k = 0; k < 1 + random.Next(4); k++)
            {
                var name = $"{p:D8}_{k:D3}.png";
                files.Touch($"{folder}/images/{name}");
                csv.Append(name).Append(',').Append(p).Append(string.Concat(Enumerable.Range(0, 14).Select(c => c == p % 14 ? ",1" : ",0"))).Append('\n');
                (isTest?.Invoke(p) == true ? test : trainVal).Add(name);
            }
        }
        var labels = files.Write($"{folder}/labels.csv", csv.ToString());
        if (isTest is not null)
        {
            files.Write($"{folder}/{SplitRequest.TrainValList}", string.Join("\n", trainVal) + "\n");
            files.Write($"{folder}/{SplitRequest.TestList}", string.Join("\n", test) + "\n");
        }
        return new DatasetSource { Labels = labels, Images = [Path.Combine(files.Root, folder, "images")] };
    }

    private static string Sha256Sum(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("sha256sum", [path]) { RedirectStandardOutput = true })!;
        var line = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return line.Split(' ')[0];
    }

    [Fact]
    public void Official_split_keeps_exactly_the_test_list_out_and_carves_validation_from_train_val_by_patient()
    {
        var source = NihLike(120, p => p % 5 == 0);
        var testList = File.ReadAllLines(Path.Combine(files.Root, "nih", SplitRequest.TestList)).Where(l => l.Length > 0).ToHashSet();
        var (split, record) = RunSplits.Make(source, source.Load(), SplitRequest.Parse("official"), new SplitSettings { ValidationFraction = 0.2, Seed = 3 });

        Assert.Equal(testList.Order(), split.Test!.Items.Select(i => i.ImageIndex).Order());
        Assert.DoesNotContain(split.Train.Items.Concat(split.Validation.Items), i => testList.Contains(i.ImageIndex));
        Assert.Empty(split.Train.Items.Select(i => i.PatientId).Intersect(split.Validation.Items.Select(i => i.PatientId)));
        Assert.InRange(split.Validation.Count / (double)(split.Train.Count + split.Validation.Count), 0.15, 0.25);
        Assert.Equal("official", record.Kind);
        Assert.Equal(split.Test.Items.Select(i => i.ImageIndex), record.Test);
        // The recorded hashes are the files' SHA-256 as sha256sum computes them.
        Assert.Equal(3, record.Files.Count);
        Assert.All(record.Files, f => Assert.Equal(Sha256Sum(f.Path), f.Sha256));
    }

    [Fact]
    public void Split_json_round_trips_and_each_part_reloads_exactly()
    {
        var source = NihLike(60, p => p % 4 == 0);
        var (split, record) = RunSplits.Make(source, source.Load(), SplitRequest.Parse("official"), new SplitSettings { Seed = 1 });
        var run = Path.Combine(files.Root, "run");
        Directory.CreateDirectory(run);
        record.Write(run);
        var read = SplitRecord.Read(run);
        Assert.Equal(record.Train, read.Train);
        Assert.Equal(record.Validation, read.Validation);
        Assert.Equal(record.Test, read.Test);
        Assert.Equal(split.Test!.Items.Select(i => i.ImagePath), read.LoadPart(SplitPart.Test).Items.Select(i => i.ImagePath));
        Assert.Equal(split.Validation.Items.Select(i => i.ImageIndex), read.LoadPart(SplitPart.Validation).Items.Select(i => i.ImageIndex));
        record.Write(run); // the same split again (a resumed run) is accepted

        // An edited labels CSV cannot silently rebuild another part.
        File.AppendAllText(source.Labels, "\n");
        var changed = Assert.Throws<InvalidDataException>(() => read.LoadPart(SplitPart.Test));
        Assert.Contains("changed since the run was split", changed.Message);
    }

    [Fact]
    public void Random_split_is_seeded_by_patient_and_no_patient_is_in_two_parts()
    {
        var source = NihLike(400);
        var dataset = source.Load();
        var (split, record) = RunSplits.Make(source, dataset, SplitRequest.Parse("random:70/10/20"), new SplitSettings { Seed = 9 });
        var parts = new[] { split.Train, split.Validation, split.Test! };
        var patients = parts.Select(p => p.Items.Select(i => i.PatientId).ToHashSet()).ToArray();
        Assert.Empty(patients[0].Intersect(patients[1]));
        Assert.Empty(patients[0].Intersect(patients[2]));
        Assert.Empty(patients[1].Intersect(patients[2]));
        Assert.Equal(dataset.Items.Select(i => i.ImageIndex).Order(), parts.SelectMany(p => p.Items).Select(i => i.ImageIndex).Order());
        Assert.InRange(split.Test!.Count / (double)dataset.Count, 0.17, 0.23);
        Assert.Equal([0.7, 0.1, 0.2], record.Fractions.Select(f => Math.Round(f, 9)));
        var again = RunSplits.Make(source, dataset, SplitRequest.Parse("random:70/10/20"), new SplitSettings { Seed = 9 }).Record;
        Assert.Equal(record.Test, again.Test);
        Assert.NotEqual(record.Test, RunSplits.Make(source, dataset, SplitRequest.Parse("random:70/10/20"), new SplitSettings { Seed = 10 }).Record.Test);
    }

    [Fact]
    public void Without_split_a_csv_beside_the_official_lists_is_refused_and_elsewhere_splits_by_patient()
    {
        var full = NihLike(30, p => p % 3 == 0, "full");
        var refused = Assert.Throws<ArgumentException>(() => RunSplits.Default(full));
        Assert.Contains("--split official", refused.Message);
        Assert.Equal(SplitKind.Patient, RunSplits.Default(NihLike(30, folder: "plain")).Kind);
    }

    [Fact]
    public void Official_lists_that_put_one_patient_on_both_sides_are_refused()
    {
        var source = NihLike(40, p => p % 4 == 0);
        // Move one image of a train_val patient into the test list.
        var trainValPath = Path.Combine(files.Root, "nih", SplitRequest.TrainValList);
        var trainVal = File.ReadAllLines(trainValPath).Where(l => l.Length > 0).ToList();
        var moved = trainVal[0];
        File.WriteAllLines(trainValPath, trainVal.Skip(1));
        File.AppendAllText(Path.Combine(files.Root, "nih", SplitRequest.TestList), moved + "\n");
        var error = Assert.ThrowsAny<InvalidDataException>(() => RunSplits.Make(source, source.Load(), SplitRequest.Parse("official"), new SplitSettings()));
        Assert.Contains("patient", error.Message);
    }

    [Fact]
    public void CheXpert_official_split_tests_on_valid_csv_and_trains_on_train_csv()
    {
        string Csv(string part, int from, int to) =>
            "Path,Frontal/Lateral," + string.Join(",", LabelSets.CheXpertCompetition.Labels) + "\n" + string.Concat(Enumerable.Range(from, to - from).Select(p =>
            {
                files.Touch($"x/CheXpert-v1.0-small/{part}/patient{p:D5}/study1/view1_frontal.jpg");
                return $"CheXpert-v1.0-small/{part}/patient{p:D5}/study1/view1_frontal.jpg,Frontal,1,0,,-1,0\n";
            }));
        var train = files.Write("x/CheXpert-v1.0-small/train.csv", Csv("train", 1, 41));
        files.Write("x/CheXpert-v1.0-small/valid.csv", Csv("valid", 64541, 64551));
        var source = new DatasetSource { Kind = DatasetSource.CheXpert, Labels = train, Images = [Path.Combine(files.Root, "x")] };
        var (split, record) = RunSplits.Make(source, source.Load(), SplitRequest.Parse("official"), new SplitSettings());
        Assert.Equal(10, split.Test!.Count);
        Assert.All(split.Test.Items, i => Assert.Contains("/valid/", i.ImageIndex));
        Assert.All(split.Train.Items.Concat(split.Validation.Items), i => Assert.Contains("/train/", i.ImageIndex));
        Assert.EndsWith("valid.csv", record.TestSource!.Labels);
    }

    [Theory]
    [InlineData("random:70/10")]
    [InlineData("random:70/10/30")]
    [InlineData("random:70/0/30")]
    [InlineData("official-ish")]
    public void Bad_split_values_are_refused_with_an_example(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => SplitRequest.Parse(text));
        Assert.Contains("--split", error.Message);
    }
}
