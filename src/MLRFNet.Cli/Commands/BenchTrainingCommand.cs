using System.CommandLine;
using System.Globalization;
using MLRFNet.Training.Benchmarks;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet bench-training --labels CSV --images DIR [--variant mlrfnet]</c>: images/s of the loader alone (cold and
/// warm cache), of training steps alone, and of the real loop, in one process on the same images.
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
        var command = new Command("bench-training", "Measure loader vs training-step throughput (does the loader keep up?).");
        data.AddTo(command);
        foreach (var o in new Option[] { variant, batch, batches, threads, workers }) command.Options.Add(o);
        command.SetAction(parse => CliRun.Guard("bench-training", () =>
        {
            var dataset = data.Load(parse, Console.Out);
            var cache = Path.Combine(Path.GetTempPath(), "mlrfnet-bench-cache-" + Guid.NewGuid().ToString("N"));
            try
            {
                var r = TrainingThroughput.Measure(dataset, parse.GetValue(variant)!, parse.GetValue(batch), parse.GetValue(batches),
                    cache, parse.GetValue(threads), parse.GetValue(workers), Console.WriteLine);
                var c = CultureInfo.InvariantCulture;
                Console.WriteLine(string.Create(c, $"| variant | batch | images | threads | loader workers | loader cold img/s | loader warm img/s | steps alone img/s | epoch img/s | epoch time / steps time |"));
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
