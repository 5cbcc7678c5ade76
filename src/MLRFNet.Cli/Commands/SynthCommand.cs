using System.CommandLine;
using MLRFNet.Imaging.Synthetic;

namespace MLRFNet.Cli.Commands;

/// <summary><c>mlrfnet synth --out DIR --count N [--seed S] [--size 512]</c>: chest phantoms + labels.csv.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var outOption = new Option<DirectoryInfo>("--out") { Description = "Folder to write images/ and labels.csv into.", Required = true };
        var countOption = new Option<int>("--count") { Description = "Number of phantoms.", Required = true };
        var seedOption = new Option<int>("--seed") { Description = "Seed; the same seed gives the same set.", DefaultValueFactory = _ => 0 };
        var sizeOption = new Option<int>("--size") { Description = "Side in pixels (64..4096).", DefaultValueFactory = _ => 512 };
        var command = new Command("synth", "Write deterministic chest phantoms with planted findings and their labels.csv.")
        {
            outOption, countOption, seedOption, sizeOption,
        };
        command.SetAction(parse => CliRun.Guard("synth", () =>
        {
            var dir = parse.GetValue(outOption)!.FullName;
            var count = parse.GetValue(countOption);
            var labels = PhantomDataset.Write(dir, count, parse.GetValue(seedOption), parse.GetValue(sizeOption));
            Console.WriteLine($"wrote {count} phantoms to {Path.Combine(dir, "images")} and labels to {labels}");
            return 0;
        }));
        return command;
    }
}
