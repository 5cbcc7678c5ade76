using System.CommandLine;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// <c>mlrfnet bench</c> moved to its own tool, <c>mlrfnet-bench</c> (src/MLRFNet.Benchmarks, same options): it times
/// engines and starts (or builds) the edge service, which the model toolchain does not. The old verb says where it went
/// and exits 2 instead of "unknown command", so a script that still calls it gets the fix in its log.
/// </summary>
internal static class MovedBenchCommand
{
    public const string Message =
        "`mlrfnet bench` is now its own tool with the same options: `mlrfnet-bench ...` " +
        "(dotnet run -c Release --project src/MLRFNet.Benchmarks -- ...; see docs/benchmarks.md).";

    public static Command Create(TextWriter error)
    {
        var command = new Command("bench", "Moved: the inference benchmark is the `mlrfnet-bench` tool (src/MLRFNet.Benchmarks).")
        {
            Hidden = true, TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(_ =>
        {
            error.WriteLine("mlrfnet bench: error: " + Message);
            return CliRun.UsageOrInputError;
        });
        return command;
    }
}
