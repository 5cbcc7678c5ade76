using MLRFNet.Edge.Health;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Pacs;
using MLRFNet.Edge.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace MLRFNet.Edge.Tests.Pacs;

public sealed class PacsSenderTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("mlrfnet-pacs-").FullName;
    private readonly FakeTimeProvider time = new(DateTimeOffset.UnixEpoch);
    private readonly ServiceState state;
    private readonly PacsOptions options;

    public PacsSenderTests()
    {
        state = new ServiceState(time);
        options = new PacsOptions
        {
            Host = "127.0.0.1", Port = 11112, CalledAeTitle = "ORTHANC", CallingAeTitle = "MLRFNET", OutboxFolder = Path.Combine(root, "outbox"),
            RetryInitial = TimeSpan.FromHours(1), RetryMax = TimeSpan.FromHours(5), PollInterval = TimeSpan.FromHours(10),
        };
        Directory.CreateDirectory(Path.Combine(root, "reports"));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private (Outbox Outbox, PacsSender Sender) Create(IProcessRunner runner)
    {
        var edge = new EdgeOptions { ReportsFolder = Path.Combine(root, "reports") };
        var outbox = new Outbox(MsOptions.Create(options), MsOptions.Create(edge), new DurableFile(FileSystemOps.Real), NullLogger<Outbox>.Instance);
        outbox.Prepare();
        return (outbox, new PacsSender(outbox, runner, state, time, MsOptions.Create(options), NullLogger<PacsSender>.Instance));
    }

    private void Result(string name, string content = "DICM") => File.WriteAllText(Path.Combine(root, "reports", name), content);

    private string[] Names(string sub) =>
        [.. Directory.GetFiles(Path.Combine(root, "outbox", sub)).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task WhileThePacsIsDownNothingLeavesTheOutboxAndTheWaitDoublesUpToTheMaximum()
    {
        // Catches: a file dropped or moved to sent/ after a failed send, a fixed or unbounded retry interval, no
        // error in health.json, a success that does not reset the back-off.
        var dcmsend = new FakeDcmsend((61, null), (61, null), (61, null), (61, null), (0, "0000"));
        var (outbox, sender) = Create(dcmsend);
        Result("a.sr.dcm"); Result("a.sc.dcm");
        outbox.Enqueue(["a.sr.dcm", "a.sc.dcm"]);

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++) waits.Add(await sender.SendPendingAsync(CancellationToken.None));
        Assert.Equal([1, 2, 4, 5], waits.Select(w => w.TotalHours));
        Assert.Equal(["a.sc.dcm", "a.sr.dcm"], Names("pending"));
        Assert.Empty(Names("sent"));
        Assert.Equal(2, state.PacsPending);
        Assert.Contains("could not be reached", state.PacsLastError);
        Assert.Contains("Connection refused", state.PacsLastError);

        Assert.Equal(TimeSpan.FromHours(10), await sender.SendPendingAsync(CancellationToken.None));
        Assert.Empty(Names("pending"));
        Assert.Equal(["a.sc.dcm", "a.sr.dcm"], Names("sent"));
        Assert.Equal(0, state.PacsPending);
        Assert.Null(state.PacsLastError);
        Assert.Equal(2, state.PacsSent);
        Assert.Equal(2, dcmsend.Sent.Count);
    }

    [Fact]
    public async Task AFileThePacsRefusesStaysPendingThoughDcmsendExitsZero()
    {
        // Catches: trusting dcmsend's exit code alone (it is 0 when the C-STORE status is a failure).
        var dcmsend = new FakeDcmsend((0, "A700"));
        var (outbox, sender) = Create(dcmsend);
        Result("b.sr.dcm");
        outbox.Enqueue(["b.sr.dcm"]);
        Assert.Equal(TimeSpan.FromHours(1), await sender.SendPendingAsync(CancellationToken.None));
        Assert.Equal(["b.sr.dcm"], Names("pending"));
        Assert.Contains("0xA700", state.PacsLastError);
    }

    [Fact]
    public void EnqueueIsIdempotentAndNeverQueuesWhatWasSent()
    {
        // Catches: a second copy queued on the retry of a study, or a sent file queued again after a restart.
        var (outbox, _) = Create(new FakeDcmsend((0, "0000")));
        Result("c.sr.dcm", "one");
        outbox.Enqueue(["c.sr.dcm"]);
        outbox.Enqueue(["c.sr.dcm"]);
        Assert.Equal(["c.sr.dcm"], Names("pending"));
        outbox.MarkSent(Path.Combine(root, "outbox", "pending", "c.sr.dcm"));
        outbox.Enqueue(["c.sr.dcm"]);
        Assert.Empty(Names("pending"));
        Assert.Equal("one", File.ReadAllText(Path.Combine(root, "outbox", "sent", "c.sr.dcm")));
    }

    [Fact]
    public async Task TheHostedSenderRetriesOnTheTimeProvidersClock()
    {
        // Catches: retries on the real clock (Task.Delay without the TimeProvider) or a loop that stops after a failure.
        // RetryInitial is an hour: only advancing the fake clock can bring the second attempt.
        var dcmsend = new FakeDcmsend((61, null), (0, "0000"));
        var (outbox, sender) = Create(dcmsend);
        Result("d.sr.dcm");
        outbox.Enqueue(["d.sr.dcm"]);
        await sender.StartAsync(CancellationToken.None);
        try
        {
            Assert.True(await dcmsend.Ran.WaitAsync(TimeSpan.FromSeconds(30)), "first attempt");
            Assert.Equal(["d.sr.dcm"], Names("pending"));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!await dcmsend.Ran.WaitAsync(TimeSpan.FromMilliseconds(50)))
            {
                Assert.True(DateTime.UtcNow < deadline, "second attempt never came");
                time.Advance(TimeSpan.FromHours(1));
            }
            var until = DateTime.UtcNow.AddSeconds(30);
            while (Names("sent").Length == 0 && DateTime.UtcNow < until) await Task.Delay(20);
            Assert.Equal(["d.sr.dcm"], Names("sent"));
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(0, "DIMSE Status  : 0x0000 (Success)", null)]
    [InlineData(0, "DIMSE Status  : 0xB000 (Warning)", null)]
    [InlineData(0, "DIMSE Status  : 0xA700 (Refused: Out of Resources)", "refused")]
    [InlineData(0, "", "no C-STORE status")]
    [InlineData(61, "", "could not be reached")]
    [InlineData(22, "", "could not read")]
    public void DcmsendOutcomes(int exit, string report, string? expected)
    {
        var verdict = DcmsendReport.Verdict(exit, "", report);
        if (expected is null) Assert.Null(verdict);
        else Assert.Contains(expected, verdict);
    }
}
