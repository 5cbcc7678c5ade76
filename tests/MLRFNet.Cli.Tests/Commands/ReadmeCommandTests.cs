using System.Text.RegularExpressions;
using MLRFNet.Cli.Tests.Support;
using MLRFNet.Tests;
using Xunit.Abstractions;

namespace MLRFNet.Cli.Tests.Commands;

/// <summary>
/// The README is a newcomer's first contact: every <c>mlrfnet VERB --option</c> it shows (in its code blocks and
/// inline code, and in models/MODEL_CARD.md) must be a verb and option the built command accepts. Catches a renamed
/// or removed option, or a verb the README invents. (The quick start itself, synth + tools/run-edge.sh, is run by
/// tools/readme-quickstart.sh from tools/test.sh.)
/// </summary>
public partial class ReadmeCommandTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"mlrfnet\s+(?<verb>[a-z][a-z0-9-]*)(?<rest>[^`\n]*)")]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex OptionName();

    [GeneratedRegex(@"^\s+(?<word>[a-z][a-z-]*)(?=\s|$)")]
    private static partial Regex SubcommandWord();

    public static TheoryData<string> Documents => new() { "README.md", "models/MODEL_CARD.md" };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_documented_mlrfnet_verb_and_option_exists(string document)
    {
        var text = File.ReadAllText(Path.Combine(SharedData.RepoRoot, document));
        var commands = CommandLine().Matches(text)
            .Select(m => (Verb: m.Groups["verb"].Value, Sub: SubcommandWord().Match(m.Groups["rest"].Value) is { Success: true } w ? w.Groups["word"].Value : null,
                Options: OptionName().Matches(m.Groups["rest"].Value).Select(o => o.Value).ToArray()))
            // "mlrfnet is ..." prose and "mlrfnet-r18" variant names are not commands.
            .Where(c => c.Verb is not ("is" or "command"))
            .ToList();
        Assert.True(commands.Count >= 5, $"{document}: only {commands.Count} mlrfnet commands found; the pattern no longer matches the document");

        var help = new Dictionary<string, string>();
        var problems = new List<string>();
        foreach (var (verb, sub, options) in commands)
        {
            if (!help.TryGetValue(verb, out var page))
            {
                var run = CliProcess.Run(verb, "--help");
                page = help[verb] = run.Code == 0 ? run.Output : "";
                if (run.Code != 0) problems.Add($"'mlrfnet {verb}' is not a verb (exit {run.Code}: {run.Error.Trim()})");
            }
            if (page.Length == 0) continue;
            // A verb with subcommands (`mlrfnet keys new --out DIR`): the options are the subcommand's. A prose word
            // after the verb ("mlrfnet train writes ...") is no subcommand: its help fails and the verb's page counts.
            if (sub is not null && Regex.IsMatch(page, $@"(?m)^\s+{Regex.Escape(sub)}\b"))
            {
                var key = verb + " " + sub;
                if (!help.TryGetValue(key, out var subPage))
                {
                    var run = CliProcess.Run(verb, sub, "--help");
                    subPage = help[key] = run.Code == 0 ? run.Output : "";
                }
                if (subPage.Length > 0) page = subPage;
            }
            foreach (var option in options)
                if (!Regex.IsMatch(page, $@"(?<![\w-]){Regex.Escape(option)}(?![\w-])"))
                    problems.Add($"'mlrfnet {verb}' has no option {option}");
        }
        output.WriteLine($"{document}: {commands.Count} commands, verbs {string.Join(", ", help.Keys)}");
        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
    }
}
