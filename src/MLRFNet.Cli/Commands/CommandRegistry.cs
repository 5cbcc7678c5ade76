using System.CommandLine;

namespace MLRFNet.Cli.Commands;

/// <summary>Every verb of the <c>mlrfnet</c> command, one file each.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All =>
    [
        SynthCommand.Create(),
        TrainCommand.Create(),
        EvaluateCommand.Create(),
        BenchTrainingCommand.Create(),
        MovedBenchCommand.Create(Console.Error),
        InfoCommand.Create(Console.Out, Console.Error),
        ExportCommand.Create(Console.Out, Console.Error),
        QuantizeCommand.Create(Console.Out, Console.Error),
        QaCommand.Create(Console.Out, Console.Error),
        KeysCommand.Create(Console.Out, Console.Error),
    ];
}
