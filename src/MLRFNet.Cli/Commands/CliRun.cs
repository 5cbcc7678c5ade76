using MLRFNet.Imaging;

namespace MLRFNet.Cli.Commands;

/// <summary>
/// Runs a verb's body and turns the errors a user can fix (missing files, bad CSVs, bad arguments, unreadable
/// images) into one line on stderr and exit code 2; anything else is a bug and keeps its stack trace.
/// </summary>
internal static class CliRun
{
    public const int UsageOrInputError = 2;

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
                                       or NotSupportedException)
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
