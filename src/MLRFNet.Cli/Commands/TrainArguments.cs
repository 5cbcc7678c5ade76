using System.CommandLine;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Devices;
using MLRFNet.Training.Losses;
using MLRFNet.Training.Training;

namespace MLRFNet.Cli.Commands;

/// <summary>The options of <c>mlrfnet train</c> and their reading into a <see cref="TrainingRunRequest"/>.</summary>
internal sealed class TrainArguments
{
    private readonly DatasetOptions data = new();
    private readonly Option<DirectoryInfo> output = new("--out") { Description = "Run folder (created; an existing run is continued only with --resume).", Required = true };
    private readonly Option<string?> split = new("--split") { Description = "official (NIH train_val_list.txt/test_list.txt beside the CSV; CheXpert: valid.csv is the test) | random:70/10/20 | patient (train/validation only; the default, refused beside NIH's official lists)." };
    private readonly Option<FileInfo?> trainValList = new("--train-val-list") { Description = "--split official: NIH train_val_list.txt (default: beside the labels CSV)." };
    private readonly Option<FileInfo?> testList = new("--test-list") { Description = "--split official: NIH test_list.txt (default: beside the labels CSV)." };
    private readonly Option<string> device = new("--device") { Description = "cpu | cuda | cuda:N (CUDA needs a build with -p:TorchSharpPackage=cuda).", DefaultValueFactory = _ => "cpu" };
    private readonly Option<bool> mixed = new("--mixed-precision") { Description = "FP16 autocast + loss scaling on CUDA (not available with TorchSharp 0.107; refused with the reason)." };
    private readonly Option<string> variant = new("--variant") { Description = "Model variant (mlrfnet info --list).", DefaultValueFactory = _ => "mlrfnet" };
    private readonly Option<int> epochs = new("--epochs") { Description = "Maximum epochs.", DefaultValueFactory = _ => 20 };
    private readonly Option<FileInfo?> pretrained = new("--pretrained") { Description = "PyTorch state_dict (zip) for the backbone, or ResNet18.onnx for mlrfnet-r18." };
    private readonly Option<bool> allowPartial = new("--allow-partial-pretrained") { Description = "Accept a pretrained file that leaves backbone weights missing." };
    private readonly Option<bool> resume = new("--resume") { Description = "Continue the run in --out from its last finished epoch." };
    private readonly Option<int> batch = new("--batch-size") { DefaultValueFactory = _ => 32 };
    private readonly Option<double> lr = new("--lr") { Description = "Initial learning rate (x0.9 every 2 epochs).", DefaultValueFactory = _ => 1e-4 };
    private readonly Option<int> patience = new("--patience") { Description = "Early stopping: epochs without a lower validation loss (0 = off).", DefaultValueFactory = _ => 5 };
    private readonly Option<int> seed = new("--seed") { Description = "Seeds the split, the shuffling, the augmentation and the weights.", DefaultValueFactory = _ => 0 };
    private readonly Option<int> threads = new("--threads") { Description = "libtorch threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
    private readonly Option<int> workers = new("--loader-workers") { DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount / 2) };
    private readonly Option<double> validation = new("--validation-fraction") { Description = "Share of (train_val) patients held out for validation; random:A/B/C sets its own.", DefaultValueFactory = _ => 0.2 };
    private readonly Option<string> loss = new("--loss") { Description = "biased-focal | focal | bce", DefaultValueFactory = _ => "biased-focal" };
    private readonly Option<DirectoryInfo?> cache = new("--cache") { Description = "Preprocessed-image cache folder (default: beside the run folder)." };
    private readonly Option<int?> maxBatches = new("--max-batches-per-epoch") { Description = "Cap training batches per epoch (quick checks)." };
    private readonly Option<int> bootstrap = new("--bootstrap") { Description = "Bootstrap resamples for the final validation CIs (0 = none).", DefaultValueFactory = _ => 1000 };

    public void AddTo(Command command)
    {
        data.AddTo(command);
        foreach (var o in new Option[] { output, split, trainValList, testList, device, mixed, variant, epochs, pretrained, allowPartial, resume, batch, lr, patience, seed, threads, workers, validation, loss, cache, maxBatches, bootstrap })
            command.Options.Add(o);
    }

    public TrainingRunRequest Read(ParseResult parse) => new()
    {
        Source = data.Source(parse),
        Split = parse.GetValue(split) is { } s ? SplitRequest.Parse(s) : null,
        SplitSettings = new SplitSettings
        {
            ValidationFraction = parse.GetValue(validation),
            TrainValList = parse.GetValue(trainValList)?.FullName, TestList = parse.GetValue(testList)?.FullName,
        },
        Options = new TrainingOptions
        {
            Variant = parse.GetValue(variant)!, Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch),
            LearningRate = parse.GetValue(lr), Patience = parse.GetValue(patience), Seed = parse.GetValue(seed),
            Threads = parse.GetValue(threads), LoaderWorkers = parse.GetValue(workers),
            Pretrained = parse.GetValue(pretrained)?.FullName, AllowPartialPretrained = parse.GetValue(allowPartial),
            Loss = LossFunctions.Settings(parse.GetValue(loss)!), CacheFolder = parse.GetValue(cache)?.FullName,
            MaxBatchesPerEpoch = parse.GetValue(maxBatches),
            Device = TrainingDevice.Parse(parse.GetValue(device)!), MixedPrecision = parse.GetValue(mixed),
        },
        RunFolder = parse.GetValue(output)!.FullName,
        Resume = parse.GetValue(resume),
        Bootstrap = parse.GetValue(bootstrap),
    };
}
