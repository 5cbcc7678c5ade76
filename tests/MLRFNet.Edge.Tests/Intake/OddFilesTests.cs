using System.Diagnostics;
using System.Text.Json;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Storage;
using MLRFNet.Edge.Tests.Support;
using static MLRFNet.Edge.Tests.Support.HardeningKit;

namespace MLRFNet.Edge.Tests.Intake;

/// <summary>
/// Issue #14 cases 2 and 3 through the real host in <c>--once</c> mode: links, pipes and devices in the intake, and
/// names the file system allows but the old code could not handle (255 bytes, not UTF-8). Each run is awaited with a
/// generous timeout that only guards against the old hang (a FIFO blocked the service in open(2)).
/// </summary>
public sealed class OddFilesTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Intake => Path.Combine(temp.Path, "intake");

    private EdgeTestHost Once() => EdgeTestHost.Create(temp.Path, s => s["Edge:Once"] = "true");

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public async Task LinksPipesAndDevicesAreNeverFollowedOrReadAndDoNotStopTheRun()
    {
        Directory.CreateDirectory(Intake);
        var outside = Path.Combine(temp.Path, "elsewhere.png");
        File.WriteAllBytes(outside, SyntheticXrays.Png(21));
        var good = SyntheticXrays.Png(22);
        File.WriteAllBytes(Path.Combine(Intake, "a.png"), good);
        Run("mkfifo", Path.Combine(Intake, "pipe.png"));
        File.CreateSymbolicLink(Path.Combine(Intake, "outside.png"), outside);
        File.CreateSymbolicLink(Path.Combine(Intake, "zero.png"), "/dev/zero");
        File.CreateSymbolicLink(Path.Combine(Intake, "passwd.png"), "/etc/passwd");

        await using var host = Once();
        var code = await EdgeHost.RunAsync(host.Host).WaitAsync(HangGuard);

        Assert.Equal(EdgeHost.ExitCodes.SomeUnfinished, code); // the pipe is left in the intake: --once says so
        Assert.Equal(["a.png"], Names(host.Archive));
        Assert.Equal([Sha(good)], ReportFiles(host.Reports, ".json").Select(j => Report(host.Reports, j).Input.Sha256));
        // The links themselves went aside, each with its reason; their targets are untouched where they were.
        foreach (var link in new[] { "outside.png", "zero.png", "passwd.png" })
        {
            Assert.Equal(EntryKind.Symlink, FileSystemOps.Real.Inspect(Path.Combine(host.Quarantine, link)).Kind);
            var record = Quarantine.ReadRecord(FileSystemOps.Real, Path.Combine(host.Quarantine, link + Quarantine.RecordSuffix))!;
            Assert.Equal(Quarantine.SymbolicLinkKind, record.Kind);
            Assert.Null(record.InputSha256); // never read
        }
        Assert.True(File.Exists(outside));
        // The pipe stays, reported once in the log and in health.json.
        Assert.Equal(["pipe.png"], Names(Intake));
        Assert.Single(host.Logs.Entries, e => e.EventId == 210 && e.Message.Contains("pipe.png"));
        var health = JsonSerializer.Deserialize(File.ReadAllBytes(host.HealthFile), EdgeJsonContext.Default.HealthSnapshot)!;
        Assert.Contains("named pipe", health.NotTaken!["pipe.png"]);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains("root:"));
    }

    [Fact]
    public async Task A255ByteNameAndANameThatIsNotUtf8AreScoredAndArchivedUnderTheirOriginalBytes()
    {
        Directory.CreateDirectory(Intake);
        var longName = "Thorax-" + new string('l', 240) + ".png";          // 251 bytes
        var longest = new string('m', 251) + ".png";                       // 255 bytes, NAME_MAX
        var raw = RawNames.FromBytes([(byte)'r', 0xFF, 0xFE, (byte)'x', 0xE9, (byte)'.', (byte)'p', (byte)'n', (byte)'g']); // Latin-1 é
        var badLong = new string('q', 251) + ".png";                       // not an image, 255 bytes: quarantined
        Assert.Equal(255, RawNames.ByteLength(longest));
        var inputs = new Dictionary<string, byte[]>
        {
            [longName] = SyntheticXrays.Png(31), [longest] = SyntheticXrays.Png(32), [raw] = SyntheticXrays.Png(33),
            [badLong] = "not an image"u8.ToArray(),
        };
        foreach (var (name, bytes) in inputs) FileSystemOps.Real.WriteNewFile(Path.Combine(Intake, name), bytes);

        await using var host = Once();
        var code = await EdgeHost.RunAsync(host.Host).WaitAsync(HangGuard);

        Assert.Equal(EdgeHost.ExitCodes.SomeQuarantined, code);
        Assert.Empty(Names(Intake));
        Assert.Empty(Names(host.Work));
        Assert.Equal(new[] { longName, longest, raw }.Order(StringComparer.Ordinal), Names(host.Archive));
        foreach (var name in new[] { longName, longest, raw })
            Assert.Equal(inputs[name], FileSystemOps.Real.ReadAllBytes(Path.Combine(host.Archive, name), 1 << 20));
        // Quarantined with its record beside it: the name is shortened so "<name>.error.json" fits NAME_MAX, and the
        // record keeps the full original name.
        var quarantined = RawNames.TrimToBytes(new string('q', 251), 255 - ".error.json".Length - ".png".Length) + ".png";
        Assert.Equal([quarantined, quarantined + ".error.json"], Names(host.Quarantine));
        Assert.Equal(badLong, Quarantine.ReadRecord(FileSystemOps.Real, Path.Combine(host.Quarantine, quarantined + ".error.json"))!.InputName);

        var reports = ReportFiles(host.Reports, ".json").Select(j => Report(host.Reports, j)).ToList();
        Assert.Equal(3, reports.Count);
        Assert.All(ReportFiles(host.Reports, ""), n => Assert.True(RawNames.ByteLength(n) <= 255));
        var rawReport = reports.Single(r => r.Input.Sha256 == Sha(inputs[raw]));
        Assert.Equal(@"r\xff\xfex\xe9.png", rawReport.Input.Name);
        Assert.Equal(@"r\xff\xfex\xe9.png", rawReport.ArchiveName);
        Assert.Equal(longest, reports.Single(r => r.Input.Sha256 == Sha(inputs[longest])).ArchiveName);
    }
}
