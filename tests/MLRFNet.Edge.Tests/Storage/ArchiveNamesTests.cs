using MLRFNet.Edge.Options;
using MLRFNet.Edge.Storage;
using MLRFNet.Edge.Tests.Support;
using static MLRFNet.Edge.Tests.Support.HardeningKit;

namespace MLRFNet.Edge.Tests.Storage;

/// <summary>
/// Issue #14 case 1: one owner per archive name. A study's archive name is chosen before its report is committed and
/// used after; meanwhile no other input (a duplicate archived by the prepare stage) may be given the same name.
/// </summary>
public sealed class ArchiveNamesTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly ArchiveNames names;
    private readonly string archive;

    public ArchiveNamesTests()
    {
        archive = Path.Combine(temp.Path, "archive");
        Directory.CreateDirectory(archive);
        names = new ArchiveNames(new DurableFile(FileSystemOps.Real),
            Microsoft.Extensions.Options.Options.Create(new EdgeOptions { ArchiveFolder = archive }));
    }

    public void Dispose() => temp.Dispose();

    private string Input(string name, string content)
    {
        var path = Path.Combine(temp.Path, name + "." + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void AReservedNameIsNotGivenToAnotherInputBeforeItsMove()
    {
        var study = names.Reserve("x.png");                  // finish stage: name recorded in the report
        var duplicate = names.Reserve("x.png");              // prepare stage: a copy archived meanwhile
        Assert.Equal(["x.png", "x-1.png"], new[] { study, duplicate });

        names.MoveTo(Input("dup", "copy"), duplicate, "x.png");
        names.MoveTo(Input("study", "study"), study, "x.png");

        Assert.Equal("study", File.ReadAllText(Path.Combine(archive, "x.png")));
        Assert.Equal("copy", File.ReadAllText(Path.Combine(archive, "x-1.png")));
    }

    [Fact]
    public void ANameTakenFromOutsideAfterTheReservationIsNotReplaced()
    {
        var reserved = names.Reserve("y.png");
        File.WriteAllText(Path.Combine(archive, "y.png"), "someone else's");

        var moved = names.MoveTo(Input("in", "ours"), reserved, "y.png");

        Assert.Equal("y-1.png", Path.GetFileName(moved));
        Assert.Equal("someone else's", File.ReadAllText(Path.Combine(archive, "y.png")));
        Assert.Equal(["y-1.png", "y.png"], Names(archive));
    }

    [Fact]
    public void AReleasedNameIsFreeAgain()
    {
        names.Release(names.Reserve("z.png"));
        Assert.Equal("z.png", names.Reserve("z.png"));
    }
}
