using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Storage;
using MLRFNet.Edge.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static MLRFNet.Edge.Tests.Support.HardeningKit;

namespace MLRFNet.Edge.Tests.Intake;

/// <summary>
/// Issue #14 case 5: a slow writer's file was quarantined as truncated, the writer went on writing into it, and its
/// .error.json described bytes no longer there. Now the change is noticed and the file taken again.
/// </summary>
public sealed class QuarantineWatchTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly EdgeOptions options;
    private readonly Quarantine quarantine;
    private readonly QuarantineWatch watch;

    public QuarantineWatchTests()
    {
        options = new EdgeOptions
        {
            IntakeFolder = Path.Combine(temp.Path, "intake"), QuarantineFolder = Path.Combine(temp.Path, "quarantine"),
            WorkFolder = Path.Combine(temp.Path, "work"),
        };
        foreach (var folder in new[] { options.IntakeFolder, options.QuarantineFolder, options.WorkFolder }) Directory.CreateDirectory(folder);
        var o = Microsoft.Extensions.Options.Options.Create(options);
        var durable = new DurableFile(FileSystemOps.Real);
        quarantine = new Quarantine(o, durable, TimeProvider.System);
        watch = new QuarantineWatch(durable, o, TimeProvider.System, NullLogger<QuarantineWatch>.Instance);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void AQuarantinedFileThatKeepsGrowingIsTakenAgainAndItsStaleRecordRemoved()
    {
        var whole = SyntheticXrays.Png(41);
        var work = Path.Combine(options.WorkFolder, "slow.png");
        File.WriteAllBytes(work, whole[..(whole.Length / 2)]);
        using var writer = new FileStream(work, FileMode.Append, FileAccess.Write); // the writer keeps its file open
        var moved = quarantine.Move(work, "slow.png", null, "Truncated", "The file ends early.");
        Assert.Equal(0, watch.RetakeChanged());                                       // unchanged: stays

        writer.Write(whole.AsSpan(whole.Length / 2));
        writer.Flush();

        Assert.Equal(1, watch.RetakeChanged());
        Assert.Equal(["slow.png"], Names(options.IntakeFolder));
        Assert.Equal(whole, File.ReadAllBytes(Path.Combine(options.IntakeFolder, "slow.png")));
        Assert.Empty(Names(options.QuarantineFolder));
        Assert.False(File.Exists(moved));
    }

    [Fact]
    public void AFileQuarantinedForAReasonThatIsNotAboutWritingIsLeftAlone()
    {
        var work = Path.Combine(options.WorkFolder, "big.png");
        File.WriteAllBytes(work, [1, 2, 3]);
        var moved = quarantine.Move(work, "big.png", null, "TooLarge", "Too large.");
        File.AppendAllText(moved, "more");

        Assert.Equal(0, watch.RetakeChanged());
        Assert.Equal(["big.png", "big.png.error.json"], Names(options.QuarantineFolder));
    }
}
