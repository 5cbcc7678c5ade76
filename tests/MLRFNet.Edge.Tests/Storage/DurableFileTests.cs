using MLRFNet.Edge.Storage;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.Storage;

/// <summary>
/// Writes and moves of records and inputs. A write that fails must not leave its hidden temp file behind (on a full
/// disk each orphan keeps it fuller); a move must never replace a file, also when another writer takes the name
/// between the choice of a free name and the move (issue #14 case 1).
/// </summary>
public sealed class DurableFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mlrfnet-durable-").FullName;
    private readonly FaultyFileSystemOps ops = new();
    private readonly DurableFile durable;

    public DurableFileTests() => durable = new DurableFile(ops);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string[] Entries() => Directory.EnumerateFileSystemEntries(folder).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void AFailedRenameOfANewRecordThrowsAndLeavesNoTempFile()
    {
        ops.FailRename = target => target.EndsWith("report.html", StringComparison.Ordinal) ? FileSystemOps.Error(5, "rename", target, null) : null;

        Assert.ThrowsAny<IOException>(() => durable.WriteNew(folder, "report.html", "<html/>"u8));

        Assert.Empty(Entries());
    }

    [Fact]
    public void AFailedWriteOnAFullDiskThrowsAndLeavesNoTempFile()
    {
        ops.FailWrite = FaultyFileSystemOps.DiskFull;

        Assert.ThrowsAny<IOException>(() => durable.WriteNew(folder, "report.json", "{}"u8));

        Assert.Empty(Entries());
    }

    [Fact]
    public void AFailedReplaceThrowsAndLeavesNoTempFile()
    {
        var squatter = Path.Combine(folder, "health.json");
        Directory.CreateDirectory(squatter);

        Assert.ThrowsAny<Exception>(() => durable.WriteReplace(squatter, "{}"u8));

        Assert.Equal(["health.json"], Entries());
    }

    [Fact]
    public void ATakenNameGetsTheNextSuffixAndTheFirstRecordIsKept()
    {
        File.WriteAllText(Path.Combine(folder, "a.json"), "first");

        var path = durable.WriteNew(folder, "a.json", "second"u8);

        Assert.Equal("a-1.json", Path.GetFileName(path));
        Assert.Equal("first", File.ReadAllText(Path.Combine(folder, "a.json")));
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["a-1.json", "a.json"], Entries());
    }

    // Issue #14 case 1: the old move checked File.Exists, then rename(2)d, which replaces whatever took the name in
    // between. Here another writer takes the name at exactly that moment.
    [Fact]
    public void ANameTakenJustBeforeTheMoveIsNeverReplaced()
    {
        var source = Path.Combine(folder, "in.png");
        File.WriteAllText(source, "mine");
        Directory.CreateDirectory(Path.Combine(folder, "archive"));
        var archive = Path.Combine(folder, "archive");
        ops.BeforeRename = (_, target) =>
        {
            if (target == Path.Combine(archive, "x.png") && !File.Exists(target)) File.WriteAllText(target, "theirs");
        };

        var moved = durable.MoveNoOverwrite(source, archive, "x.png");

        Assert.Equal("x-1.png", Path.GetFileName(moved));
        Assert.Equal("theirs", File.ReadAllText(Path.Combine(archive, "x.png")));
        Assert.Equal("mine", File.ReadAllText(moved));
    }

    [Fact]
    public void WhereRenameat2IsNotSupportedLinkAndUnlinkStillRefuseATakenName()
    {
        ops.RenameAt2Errno = Posix.EINVAL; // what some FUSE and network file systems answer to RENAME_NOREPLACE
        File.WriteAllText(Path.Combine(folder, "a.png"), "first");
        File.WriteAllText(Path.Combine(folder, "in"), "second");

        var moved = durable.MoveNoOverwrite(Path.Combine(folder, "in"), folder, "a.png");

        Assert.Equal("a-1.png", Path.GetFileName(moved));
        Assert.Equal("first", File.ReadAllText(Path.Combine(folder, "a.png")));
        Assert.Equal(["a-1.png", "a.png"], Entries());
    }

    // Issue #14 case 3: the temporary name was ".<name>.<pid>.<guid>.tmp", past NAME_MAX for names of ~200 bytes.
    [Fact]
    public void ARecordWithA255ByteNameIsWrittenAndItsSuffixedNameStillFits()
    {
        var name = new string('n', 250) + ".json";
        Assert.Equal(255, RawNames.ByteLength(name));

        var first = durable.WriteNew(folder, name, "1"u8);
        var second = durable.WriteNew(folder, name, "2"u8);

        Assert.Equal(name, Path.GetFileName(first));
        Assert.Equal(new string('n', 248) + "-1.json", Path.GetFileName(second));
        Assert.Equal("2", File.ReadAllText(second));
    }

    // Issue #14 case 4: hidden .tmp files left by a crash were never cleaned up.
    [Fact]
    public void LeftoverTempFilesAreRemovedAndNothingElse()
    {
        foreach (var name in new[] { ".mlrfnet-0123abcd.tmp", ".x.json.4242.0123456789abcdef0123456789abcdef.tmp", ".keep.tmp", "a.tmp", "a.json" })
            File.WriteAllText(Path.Combine(folder, name), "x");

        Assert.Equal(2, durable.RemoveLeftoverTemps(folder));

        Assert.Equal([".keep.tmp", "a.json", "a.tmp"], Entries());
    }
}
