using System.Net;
using MLRFNet.Benchmarks;

namespace MLRFNet.Benchmarks.Tests;

/// <summary>
/// The console load's clients (issue 16): every completed request is counted once, as succeeded, failed or errored.
/// A fake HTTP stack answers by call number, so the expected counts are known without running the clients' code.
/// </summary>
public sealed class ConsoleClientsTests
{
    /// <summary>Call n (from 1): every 5th throws, else every 3rd answers 500, else 200. Calls after the last wait until cancelled.</summary>
    private sealed class ScriptedHandler(int calls) : HttpMessageHandler
    {
        private int count;
        public readonly System.Collections.Concurrent.ConcurrentBag<(string Path, string? Auth)> Seen = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref count);
            if (n > calls)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken); // held until the clients stop: never completed
                throw new InvalidOperationException("unreachable");
            }
            Seen.Add((request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString()));
            if (n % 5 == 0) throw new HttpRequestException("connection refused (scripted)");
            return new HttpResponseMessage(n % 3 == 0 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK) { Content = new StringContent("{}") };
        }
    }

    [Fact]
    public async Task FailuresAndErrorsAreCountedNotSwallowed()
    {
        // 30 calls: errors at 5,10,...,30 (6); 500s at 3,6,9,12,18,21,24,27 (8; 15 and 30 threw first); 16 succeeded.
        // Catches: a loop that catches exceptions without counting them, counts a 500 as a success, or counts a
        // request cut by the end of the run (calls 31+ are held and cancelled) as an error.
        var handler = new ScriptedHandler(30);
        await using var clients = new ConsoleClients(handler, new Uri("http://127.0.0.1:1"), "0123456789abcdef", 3, async _ => await Task.Yield());
        var wait = System.Diagnostics.Stopwatch.StartNew();
        while (clients.Requests < 30 && wait.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(5);
        var tally = await clients.StopAsync();

        Assert.Equal(3, tally.Clients);
        Assert.Equal(30, tally.Requests);
        Assert.Equal(16, tally.Succeeded);
        Assert.Equal(8, tally.Failed);
        Assert.Equal(6, tally.Errors);
        Assert.NotNull(tally.FirstProblem);
        Assert.Matches("^GET /api/(studies|health): ", tally.FirstProblem);
        Assert.Equal(30, tally.Latency!.Runs);
        Assert.All(handler.Seen, s => Assert.Equal("Bearer 0123456789abcdef", s.Auth));
        Assert.Equal(ConsoleClients.Paths.Order(), handler.Seen.Select(s => s.Path).Distinct().Order());
    }

    [Fact]
    public void TheConsoleAddressIsReadFromItsLogLine()
    {
        // The service logs the bound port when asked for port 0. Catches: taking the "(access token ...)" text or a
        // trailing comma into the address.
        Assert.Equal(new Uri("http://127.0.0.1:41234/"),
            ConsoleLoadBenchmark.ConsoleAddress("      Clinic console listening on http://127.0.0.1:41234 (access token required)"));
        Assert.Equal(new Uri("http://127.0.0.1:5000/"),
            ConsoleLoadBenchmark.ConsoleAddress("info: x[600] Clinic console listening on http://127.0.0.1:5000, https://127.0.0.1:5001 (access token required)"));
        Assert.Throws<FormatException>(() => ConsoleLoadBenchmark.ConsoleAddress("Clinic console is off (Console:Urls is empty, or --once)"));
    }
}
