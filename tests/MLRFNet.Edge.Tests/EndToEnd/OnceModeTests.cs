using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.EndToEnd;

/// <summary><c>--once</c>: score what is in the intake, exit with a code that says how it went.</summary>
public sealed class OnceModeTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private EdgeTestHost Once() => EdgeTestHost.Create(temp.Path, s => s["Edge:Once"] = "true");

    private void Drop(string name, byte[] bytes)
    {
        Directory.CreateDirectory(Path.Combine(temp.Path, "intake"));
        File.WriteAllBytes(Path.Combine(temp.Path, "intake", name), bytes);
    }

    [Fact]
    public async Task AllGoodExitsZeroWithEverythingArchived()
    {
        Drop("a.png", SyntheticXrays.Png(1));
        Drop("b.dcm", DicomWriter.Native16(2));
        await using var host = Once();
        var code = await EdgeHost.RunAsync(host.Host).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(EdgeHost.ExitCodes.Ok, code);
        Assert.Equal(["a.png", "b.dcm"], host.Inputs(host.Archive));
        Assert.Equal(2, host.ReportJsons().Length);
    }

    [Fact]
    public async Task AQuarantinedFileGivesANonZeroExit()
    {
        Drop("a.png", SyntheticXrays.Png(3));
        Drop("bad.png", "not an image"u8.ToArray());
        await using var host = Once();
        var code = await EdgeHost.RunAsync(host.Host).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(EdgeHost.ExitCodes.SomeQuarantined, code);
        Assert.Equal(["a.png"], host.Inputs(host.Archive));
        Assert.Equal(["bad.png"], host.Inputs(host.Quarantine));
    }

    [Fact]
    public async Task AModelWhoseHashDoesNotMatchItsManifestStopsTheStartWithExitOne()
    {
        TestModel.Write(Path.Combine(temp.Path, "model"), wrongSha: new string('0', 64));
        Drop("a.png", SyntheticXrays.Png(4));
        await using var host = Once();
        var code = await EdgeHost.RunAsync(host.Host).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(EdgeHost.ExitCodes.StartFailed, code);
        var critical = host.Logs.Entries.Single(e => e.EventId == 101).Message;
        Assert.Contains("SHA-256", critical);
        Assert.Contains("Reinstall the model and its manifest", critical);
        Assert.Equal(["a.png"], host.Files(host.Intake)); // nothing taken
    }
}
