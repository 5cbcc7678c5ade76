using System.Diagnostics;
using MLRFNet.Edge.Storage;
using MLRFNet.Edge.Tests.Support;

namespace MLRFNet.Edge.Tests.Storage;

/// <summary>
/// Issue #14 case 2 at the file-system layer: only regular files are ever opened. The old code opened a FIFO with a
/// plain open(2) (blocks until a writer appears), followed links (a link to /dev/zero was hashed for ever, one to
/// /etc/passwd was read) and checked the size after hashing. Each test would hang or read on that code.
/// </summary>
public sealed class FileSystemOpsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mlrfnet-fsops-").FullName;
    private readonly FileSystemOps ops = FileSystemOps.Real;

    public void Dispose() => RawTree.Delete(folder);

    private string PathOf(string name) => Path.Combine(folder, name);

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public void ARegularFileOpensWithItsSizeFromTheHandle()
    {
        File.WriteAllBytes(PathOf("a.png"), new byte[1234]);
        using var handle = ops.OpenRegular(PathOf("a.png"), out var size);
        Assert.Equal(1234, size);
        Assert.Equal(new EntryInfo(EntryKind.Regular, 1234, File.GetLastWriteTimeUtc(PathOf("a.png"))), ops.Inspect(PathOf("a.png")));
    }

    [Fact]
    public async Task AFifoIsRefusedWithoutBlockingAndNamedAsAPipe()
    {
        Run("mkfifo", PathOf("pipe.png"));
        // The 20 s only guard against a hang: the old open(2) without O_NONBLOCK blocks until a writer appears.
        var e = await Task.Run(() => Assert.Throws<FileOpenException>(() => ops.OpenRegular(PathOf("pipe.png"), out _)))
            .WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("named pipe", e.Message);
        Assert.Equal(EntryKind.Fifo, ops.Inspect(PathOf("pipe.png")).Kind);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/etc/passwd")]
    public void ALinkIsNeverFollowed(string target)
    {
        File.CreateSymbolicLink(PathOf("link.png"), target);
        var e = Assert.Throws<FileOpenException>(() => ops.OpenRegular(PathOf("link.png"), out _));
        Assert.Equal(Posix.ELOOP, e.Errno);
        Assert.Equal(EntryKind.Symlink, ops.Inspect(PathOf("link.png")).Kind);
    }

    [Fact]
    public void ADeviceIsRefused()
    {
        var e = Assert.Throws<FileOpenException>(() => ops.OpenRegular("/dev/zero", out _));
        Assert.Contains("device", e.Message);
        Assert.Equal(EntryKind.Device, ops.Inspect("/dev/zero").Kind);
    }

    // Issue #14 case 3: a name that is not UTF-8 was never taken (.NET enumerates it with U+FFFD and cannot open it).
    [Fact]
    public void ANameThatIsNotUtf8IsListedOpenedAndMovedUnderItsOriginalBytes()
    {
        byte[] raw = [(byte)'x', 0xFF, (byte)'y', 0xC3, (byte)'.', (byte)'p', (byte)'n', (byte)'g'];
        Run("sh", "-c", $"printf 'data' > \"$(printf '{folder}/x\\377y\\303.png')\"");

        var name = Assert.Single(ops.ListNames(folder));
        Assert.Equal(raw, RawNames.ToBytes(name, nulTerminated: false));
        Assert.Equal(@"x\xffy\xc3.png", RawNames.Display(name));
        using (var handle = ops.OpenRegular(PathOf(name), out var size)) Assert.Equal(4, size);
        Directory.CreateDirectory(PathOf("archive"));
        Assert.True(ops.TryRenameNoReplace(PathOf(name), Path.Combine(PathOf("archive"), name)));
        Assert.Equal(raw, RawNames.ToBytes(Assert.Single(ops.ListNames(PathOf("archive"))), nulTerminated: false));
    }

    [Fact]
    public void RawNamesRoundTripEveryByte()
    {
        var all = Enumerable.Range(1, 255).Where(b => b != '/').Select(b => (byte)b).ToArray();
        Assert.Equal(all, RawNames.ToBytes(RawNames.FromBytes(all), nulTerminated: false));
        var utf8 = "Thorax-Ü-😀.png"u8.ToArray();
        Assert.Equal("Thorax-Ü-😀.png", RawNames.FromBytes(utf8));
        Assert.Equal(utf8, RawNames.ToBytes("Thorax-Ü-😀.png", nulTerminated: false));
        var raw = RawNames.FromBytes([(byte)'a', 0xE9, 0xFF, (byte)'.', (byte)'p']);
        Assert.Equal(raw, RawNames.FromDisplay(RawNames.Display(raw)));
    }
}
