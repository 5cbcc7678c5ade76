using MLRFNet.Edge.Storage;

namespace MLRFNet.Edge.Tests.Storage;

/// <summary>
/// A write that fails must not leave its hidden temp file behind: on a full or failing disk the service retries, and
/// each orphan would keep the disk fuller (the bug: WriteNew/WriteReplace left `.name.pid.guid.tmp` on a failed rename).
/// </summary>
public sealed class DurableFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mlrfnet-durable-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void AFailedRenameOfANewRecordThrowsAndLeavesNoTempFile()
    {
        // A directory squatting on the name makes the no-overwrite rename fail with a real IOException (as root too).
        Directory.CreateDirectory(Path.Combine(folder, "report.html"));

        Assert.ThrowsAny<IOException>(() => DurableFile.WriteNew(folder, "report.html", "<html/>"u8));

        Assert.Equal(["report.html"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void AFailedReplaceThrowsAndLeavesNoTempFile()
    {
        var squatter = Path.Combine(folder, "health.json");
        Directory.CreateDirectory(squatter);

        Assert.ThrowsAny<Exception>(() => DurableFile.WriteReplace(squatter, "{}"u8));

        Assert.Equal(["health.json"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void ATakenNameGetsTheNextSuffixAndTheFirstRecordIsKept()
    {
        File.WriteAllText(Path.Combine(folder, "a.json"), "first");

        var path = DurableFile.WriteNew(folder, "a.json", "second"u8);

        Assert.Equal("a-1.json", Path.GetFileName(path));
        Assert.Equal("first", File.ReadAllText(Path.Combine(folder, "a.json")));
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["a-1.json", "a.json"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order());
    }
}
