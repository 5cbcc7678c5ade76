using MLRFNet.Cli.Tests.Support;

namespace MLRFNet.Cli.Tests.Commands;

/// <summary>
/// <c>mlrfnet bench</c> moved to the <c>mlrfnet-bench</c> tool (issue 17: the CLI does not build or start other
/// projects). A script that still calls the old verb gets one line naming the new tool, exit 2, and nothing runs.
/// </summary>
public sealed class MovedBenchCommandTests
{
    [Fact]
    public void The_old_bench_verb_names_the_new_tool_and_exits_2_without_running()
    {
        using var folder = new TempFolder();
        var (code, output, error) = CliProcess.Run("bench", "--checkpoint", folder["none.ckpt"], "--out", folder["out"], "--no-edge");
        Assert.Equal(2, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mlrfnet bench: error: ", line);
        Assert.Contains("mlrfnet-bench", line);
        Assert.Contains("src/MLRFNet.Benchmarks", line);
        Assert.False(Directory.Exists(folder["out"]), output);
    }
}
