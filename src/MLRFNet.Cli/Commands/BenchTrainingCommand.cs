using System.CommandLine;
using System.Globalization;
using MLRFNet.Imaging.Datasets;
using MLRFNet.Training.Benchmarks;
using MLRFNet.Training.Devices;
using MLRFNet.Training.Models;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet bench-training --labels CSV --images DIR [--variant mlrfnet]</c>: images/s of the loader alone (cold and
/// warm cache), of training steps alone, and of the real loop, in one process on the same images. With
/// <c>--loader-only</c>: the loader alone over the whole set, <c>--runs</c> warm epochs, their median (does the data
/// path keep a GPU fed?).
/// </summary>
internal static class BenchTrainingCommand
{
    public static Command Create()
    {
        var data = new DatasetOptions();
        var variant = new Option<string>("--variant") { DefaultValueFactory = _ => "mlrfnet" };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 32 };
        var batches = new Option<int>("--batches") { DefaultValueFactory = _ => 4 };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount };
        var workers = new Option<int>("--loader-workers") { DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount / 2) };
        var device = new Option<string>("--device") { Description = "Training steps: cpu | cuda | cuda:N.", DefaultValueFactory = _ => "cpu" };
        var loaderOnly = new Option<bool>("--loader-only") { Description = "Measure only the loader (cache read + augmentation) over the whole set." };
        var runs = new Option<int>("--runs") { Description = "--loader-only: warm epochs measured (the median is reported).", DefaultValueFactory = _ => 5 };
        var command = new Command("bench-training", "Measure loader vs training-step throughput (does the loader keep up?).");
        data.AddTo(command);
        foreach (var o in new Option[] { variant, batch, batches, threads, workers, device, loaderOnly, runs }) command.Options.Add(o);
        command.SetAction(parse => CliRun.Guard("bench-training", () =>
        {
            var target = TrainingDevice.Parse(parse.GetValue(device)!);
            target.Resolve();
            var dataset = data.Load(parse, Console.Out);
            var cache = Path.Combine(Path.GetTempPath(), "mlrfnet-bench-cache-" + Guid.NewGuid().ToString("N"));
            var c = CultureInfo.InvariantCulture;
            try
            {
                if (parse.GetValue(loaderOnly))
                {
                    var spec = ModelVariants.Get(parse.GetValue(variant)!).Preprocessing;
                    var l = LoaderThroughput.Measure(dataset, spec, cache, parse.GetValue(batch), parse.GetValue(workers), parse.GetValue(runs), Console.WriteLine);
                    Console.WriteLine("| images | crop | batch | loader workers | first epoch img/s | warm runs img/s | warm median img/s |");
                    Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
                    Console.WriteLine(string.Create(c, $"| {l.Images} | {l.CropSize} | {l.BatchSize} | {l.Workers} | {l.Cold:F1} | {string.Join(" ", l.Warm.Select(w => w.ToString("F0", c)))} | {l.WarmMedian:F1} |"));
                    return 0;
                }
                var r = TrainingThroughput.Measure(dataset, parse.GetValue(variant)!, parse.GetValue(batch), parse.GetValue(batches),
                    cache, parse.GetValue(threads), parse.GetValue(workers), Console.WriteLine, target);
                Console.WriteLine("| variant | batch | images | threads | loader workers | loader cold img/s | loader warm img/s | steps alone img/s | epoch img/s | epoch time / steps time |");
                Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
                Console.WriteLine(string.Create(c, $"| {r.Variant} | {r.BatchSize} | {r.Images} | {r.Threads} | {r.LoaderWorkers} | {r.LoaderCold:F1} | {r.LoaderWarm:F1} | {r.StepsAlone:F2} | {r.Epoch:F2} | {r.EpochOverSteps:F3} |"));
                return 0;
            }
            finally
            {
                if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
            }
        }));
        return command;
    }
}
