using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Options;

/// <summary>
/// Turns an options failure into configuration keys a field engineer can type. The generated validator reports
/// "The field EdgeOptions.QueueCapacity must be between 1 and 100000." and ignores the attributes' ErrorMessage
/// (dotnet/runtime#123137), so the class path is rewritten to the key (<c>Edge:QueueCapacity</c>) and the ways to
/// set it are appended.
/// </summary>
internal static partial class StartupMessages
{
    private static readonly Dictionary<string, string> sections = new(StringComparer.Ordinal)
    {
        [nameof(EdgeOptions)] = EdgeOptions.Section,
        [nameof(InferenceOptions)] = InferenceOptions.Section,
        [nameof(GpioOptions)] = GpioOptions.Section,
    };

    public static string Explain(OptionsValidationException e)
    {
        var failures = e.Failures.Select(f => FieldPattern().Replace(f, m =>
            sections.TryGetValue(m.Groups[1].Value, out var section)
                ? $"{section}:{m.Groups[2].Value.Replace('.', ':')}"
                : m.Value)).ToList();
        return string.Join(" ", failures) +
               " Fix it in appsettings.json beside the binary, or override it as an environment variable (MLRFNET_Edge__QueueCapacity=64) or on the command line (--Edge:QueueCapacity=64).";
    }

    [GeneratedRegex(@"The field (\w+)\.([\w.]+)")]
    private static partial Regex FieldPattern();
}
