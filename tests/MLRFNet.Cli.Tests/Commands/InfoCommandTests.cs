using System.CommandLine;
using MLRFNet.Cli.Commands;

namespace MLRFNet.Cli.Tests.Commands;

public sealed class InfoCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand { InfoCommand.Create(output, error) };
        var code = root.Parse(["info", .. args]).Invoke();
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Info_PrintsTheBackboneSizeAndMacs()
    {
        var (code, output, _) = Run("--variant", "mlrfnet");
        Assert.Equal(0, code);
        // Issue 3: Res2Net-50 26w x 4s backbone = 23,650,120 parameters; the MACs line must be present in G.
        Assert.Contains("(23,650,120 backbone)", output);
        Assert.Matches(@"MACs\s+4\.2\d\d G at 224x224", output);
    }

    [Fact]
    public void UnknownVariant_ExitsWithOneAndListsVariants()
    {
        var (code, _, error) = Run("--variant", "mlrfnet-huge");
        Assert.Equal(1, code);
        Assert.Contains("mlrfnet-r18", error);
    }
}
