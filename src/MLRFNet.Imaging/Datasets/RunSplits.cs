namespace MLRFNet.Imaging.Datasets;

/// <summary>Settings of <see cref="RunSplits.Make"/>.</summary>
public sealed record SplitSettings
{
    /// <summary>Share of patients carved out for validation (patient and official splits).</summary>
    public double ValidationFraction { get; init; } = 0.2;

    public int Seed { get; init; }

    /// <summary>NIH lists; null = <c>train_val_list.txt</c> / <c>test_list.txt</c> beside the labels CSV.</summary>
    public string? TrainValList { get; init; }

    public string? TestList { get; init; }
}

/// <summary>
/// Makes a run's split and its <see cref="SplitRecord"/>. Every kind is patient-disjoint; the official kinds keep the
/// data set's own test images out of training, validation (early stopping, checkpoint choice) and threshold choice:
/// NIH ChestX-ray14's <c>test_list.txt</c>, CheXpert's <c>valid.csv</c> (beside <c>train.csv</c>).
/// </summary>
public static class RunSplits
{
    /// <summary>
    /// No <c>--split</c> given: a patient split over the whole CSV, refused when NIH's official lists lie beside the
    /// CSV (that CSV is the full data set, and a plain split would train on official test images).
    /// </summary>
    public static SplitRequest Default(DatasetSource source)
    {
        if (source.Kind != DatasetSource.CheXpert && SplitRequest.OfficialListsBeside(source.Labels) is { } lists)
            throw new ArgumentException($"{Path.GetFileName(source.Labels)} has NIH's official split lists beside it ({SplitRequest.TestList}); without --split it would train on official test images. Pass --split official (or --split patient to split all of it knowingly).");
        return new SplitRequest(SplitKind.Patient);
    }

    public static (DatasetSplit Split, SplitRecord Record) Make(DatasetSource source, XrayDataset dataset, SplitRequest request, SplitSettings settings)
    {
        var v = settings.ValidationFraction;
        if (!(v > 0 && v < 1)) throw new ArgumentException($"--validation-fraction must be between 0 and 1 (got {v}).");
        var files = new List<SplitFile> { SplitFile.Of("labels", source.Labels) };
        DatasetSource? testSource = null;
        var leftOut = 0;
        DatasetSplit split;
        double[] fractions;
        switch (request.Kind)
        {
            case SplitKind.Patient:
                split = PatientSplit.TrainValidation(dataset, v, settings.Seed);
                fractions = [1 - v, v];
                break;
            case SplitKind.Random:
                fractions = request.Fractions!.ToArray();
                split = PatientSplit.TrainValidationTest(dataset, settings.Seed, fractions[0], fractions[1], fractions[2]);
                break;
            case SplitKind.Official when source.Kind == DatasetSource.CheXpert:
            {
                var valid = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source.Labels))!, "valid.csv");
                if (string.Equals(Path.GetFullPath(source.Labels), valid, StringComparison.Ordinal))
                    throw new ArgumentException("--split official on CheXpert trains on train.csv and tests on valid.csv; give --labels train.csv, not valid.csv.");
                if (!File.Exists(valid)) throw new FileNotFoundException($"--split official on CheXpert needs valid.csv beside {source.Labels} (it is CheXpert's test set).", valid);
                testSource = source.WithLabels(valid);
                files.Add(SplitFile.Of("test labels (CheXpert valid.csv)", valid));
                var test = testSource.Load();
                split = WithTest(dataset, test, v, settings.Seed);
                fractions = [1 - v, v];
                break;
            }
            case SplitKind.Official:
            {
                var beside = SplitRequest.OfficialListsBeside(source.Labels);
                var trainValList = settings.TrainValList ?? beside?.TrainVal ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source.Labels))!, SplitRequest.TrainValList);
                var testList = settings.TestList ?? beside?.Test ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source.Labels))!, SplitRequest.TestList);
                var trainVal = ReadList(trainValList, "--train-val-list");
                var testIds = ReadList(testList, "--test-list");
                var shared = trainVal.Intersect(testIds).Take(3).ToArray();
                if (shared.Length > 0) throw new InvalidDataException($"{trainValList} and {testList} share images (e.g. {string.Join(", ", shared)}); they must be disjoint.");
                files.Add(SplitFile.Of("train_val list", trainValList));
                files.Add(SplitFile.Of("test list", testList));
                var inTest = dataset.Items.Where(i => testIds.Contains(Path.GetFileName(i.ImageIndex))).ToArray();
                var inTrainVal = dataset.Items.Where(i => trainVal.Contains(Path.GetFileName(i.ImageIndex))).ToArray();
                leftOut = dataset.Count - inTest.Length - inTrainVal.Length;
                split = WithTest(dataset.Subset(inTrainVal), dataset.Subset(inTest), v, settings.Seed);
                fractions = [1 - v, v];
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(request));
        }
        var record = new SplitRecord
        {
            Kind = request.Kind.ToString().ToLowerInvariant(), Seed = settings.Seed, Fractions = fractions,
            Source = source, TestSource = testSource, Files = files, LeftOut = leftOut,
            Train = Ids(split.Train), Validation = Ids(split.Validation), Test = split.Test is null ? [] : Ids(split.Test),
        };
        return (split, record);
    }

    /// <summary>Train/validation by patient from <paramref name="trainVal"/>; refuses a patient also in <paramref name="test"/>.</summary>
    private static DatasetSplit WithTest(XrayDataset trainVal, XrayDataset test, double validationFraction, int seed)
    {
        var testPatients = test.Items.Select(i => i.PatientId).ToHashSet(StringComparer.Ordinal);
        var both = trainVal.Items.Select(i => i.PatientId).Distinct(StringComparer.Ordinal).Where(testPatients.Contains).ToArray();
        if (both.Length > 0)
            throw new InvalidDataException($"{both.Length} patient(s) have images both in the test part and in train/validation (e.g. {string.Join(", ", both.Take(3))}); the lists do not match this labels CSV's patients.");
        if (trainVal.Count < 3) throw new InvalidDataException($"Only {trainVal.Count} images of the labels CSV are in the train/validation part; check that the lists name this CSV's images.");
        var inner = PatientSplit.Split(trainVal, [1 - validationFraction, validationFraction], seed);
        return new DatasetSplit(inner[0], inner[1], test);
    }

    private static string[] Ids(XrayDataset d) => d.Items.Select(i => i.ImageIndex).ToArray();

    private static HashSet<string> ReadList(string path, string option)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Split list not found: {path}; put NIH's list beside the labels CSV or give {option}.", path);
        return File.ReadLines(path).Select(l => Path.GetFileName(l.Trim())).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
    }
}
