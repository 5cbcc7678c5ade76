using System.CommandLine;
using MLRFNet.Imaging;

namespace MLRFNet.Benchmarks;

/// <summary>
/// Runs <c>mlrfnet-bench</c> and turns the errors a user can fix (bad arguments, missing files, unreadable models)
/// into one line on stderr and exit code 2, as <c>mlrfnet</c> does; anything else is a bug and keeps its stack trace.
/// </summary>
public static class BenchRun
{
    public const string Tool = "mlrfnet-bench";
    public const int UsageOrInputError = 2;

    public static int Invoke(ParseResult parse, TextWriter error)
    {
        if (parse.Errors.Count == 0) return parse.Invoke();
        error.WriteLine($"{Tool}: error: {string.Join(" ", parse.Errors.Select(e => e.Message.Trim()))} (see `{Tool} --help`)".ReplaceLineEndings(" "));
        return UsageOrInputError;
    }

    public static int Guard(TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or FormatException
                                       or ArgumentException or IOException or InvalidDataException
                                       or XrayDecodeException or KeyNotFoundException or UnauthorizedAccessException
                                       or NotSupportedException or Core.Manifest.ModelRefusedException)
        {
            var message = e is ArgumentException { ParamName: not null } a
                ? a.Message.Replace($" (Parameter '{a.ParamName}')", "", StringComparison.Ordinal)
                : e.Message;
            error.WriteLine($"{Tool}: error: {string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}");
            return UsageOrInputError;
        }
    }
}
