using System.CommandLine;
using MLRFNet.Imaging;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// Runs a verb's body and turns the errors a user can fix (missing files, bad CSVs, bad arguments, unreadable
/// images) into one line on stderr and exit code 2; anything else is a bug and keeps its stack trace.
/// </summary>
internal static class CliRun
{
    public const int UsageOrInputError = 2;

    /// <summary>
    /// Runs the parsed command line; a command line System.CommandLine cannot parse (missing required option, bad
    /// number, unknown verb) is one error line and exit code 2, like every other input error, instead of the help
    /// text and exit code 1, which <c>mlrfnet qa</c> reserves for "the gate failed".
    /// </summary>
    public static int Invoke(ParseResult parse, TextWriter error)
    {
        if (parse.Errors.Count == 0) return parse.Invoke();
        var verb = parse.CommandResult.Command is RootCommand ? "mlrfnet" : "mlrfnet " + parse.CommandResult.Command.Name;
        error.WriteLine($"{verb}: error: {string.Join(" ", parse.Errors.Select(e => e.Message.Trim()))} (see `{verb} --help`)".ReplaceLineEndings(" "));
        return UsageOrInputError;
    }

    public static int Guard(string verb, Func<int> body) => Guard(verb, Console.Error, body);

    /// <summary>As <see cref="Guard(string, Func{int})"/>, writing the error line to <paramref name="error"/>.</summary>
    public static int Guard(string verb, TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or FormatException
                                       or ArgumentException or IOException or InvalidDataException
                                       or XrayDecodeException or KeyNotFoundException or UnauthorizedAccessException
                                       or NotSupportedException or Core.Manifest.ModelRefusedException or Inference.ModelRejectedException)
        {
            error.WriteLine($"mlrfnet {verb}: error: {OneLine(e)}");
            return UsageOrInputError;
        }
    }

    /// <summary>The message on one line, without .NET's "(Parameter 'x')" / "Actual value was" suffixes.</summary>
    private static string OneLine(Exception e)
    {
        var message = e is ArgumentException { ParamName: not null } a
            ? a.Message.Replace($" (Parameter '{a.ParamName}')", "", StringComparison.Ordinal)
            : e.Message;
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
