using System.Diagnostics;
using System.Net;
using MLRFNet.Edge.Tests.Support;
using Xunit.Abstractions;

namespace MLRFNet.Edge.Tests.ClinicConsole;

/// <summary>
/// 50 browsers' worth of polling while 500 files are scored: every answer is a 200, every file comes out, and the API
/// ends up listing them all. Throughput is printed (busy console), not asserted: a timing figure, not a rule.
/// </summary>
public sealed class ConsoleLoadTests(ITestOutputHelper output) : IDisposable
{
    private const int Clients = 50;
    private const int Files = 500;
    private const int MaxRequestsPerClient = 5_000; // the loops stop by themselves even if scoring hangs
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task FiftyPollingClientsWhileFiveHundredFilesAreScoredGetNoErrors()
    {
        await using var host = await ConsoleTestHost.StartAsync(temp.Path, ConsoleTestHost.Token, s =>
        {
            s["Edge:QueueCapacity"] = "32";
            s["Inference:BatchSize"] = "8";
        });
        var staging = Path.Combine(temp.Path, "staging");
        Directory.CreateDirectory(staging);
        for (var i = 0; i < Files; i++)
            await File.WriteAllBytesAsync(Path.Combine(staging, $"p{i:D3}.png"), i % 50 == 49 ? [0x42, 0x41, 0x44] : SyntheticXrays.Png(2000 + i, 64, 72));

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Clients };
        using var client = new HttpClient(handler) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ConsoleTestHost.Token);
        string[] paths = ["/api/studies?limit=50", "/worklist/rows", "/api/studies?flagged=1&sort=triage", "/metrics", "/api/health", "/"];
        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var requests = 0;
        var pollers = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            for (var n = 0; n < MaxRequestsPerClient && !stop.IsCancellationRequested; n++)
            {
                var path = paths[(c + n) % paths.Length];
                try
                {
                    using var response = await client.GetAsync(path, CancellationToken.None);
                    await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                    if (response.StatusCode != HttpStatusCode.OK) failures.Enqueue($"{path}: {(int)response.StatusCode}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { failures.Enqueue($"{path}: {e.GetType().Name} {e.Message}"); }
                Interlocked.Increment(ref requests);
            }
        })).ToList();

        var clock = Stopwatch.StartNew();
        foreach (var file in Directory.GetFiles(staging)) File.Move(file, Path.Combine(host.Edge.Intake, Path.GetFileName(file)));
        await host.Edge.WaitUntilAsync(() => host.Edge.Inputs(host.Edge.Archive).Length + host.Edge.Inputs(host.Edge.Quarantine).Length == Files,
            seconds: 300, what: "500 files out while 50 clients poll");
        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(pollers);

        Assert.True(failures.IsEmpty, $"{failures.Count} failed requests, e.g. {string.Join("; ", failures.Take(5))}");
        Assert.Equal(Files - Files / 50, host.Edge.ReportJsons().Length);
        var (_, body, _) = await host.GetAsync("/api/studies?limit=1", ConsoleTestHost.Token);
        Assert.Equal(Files, System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("total").GetInt32());
        var summary = $"console load: {Files} files in {seconds:F2} s ({Files / seconds:F0} files/s, fake scorer) while {Clients} clients made {requests} requests " +
                      $"({requests / seconds:F0}/s), 0 errors";
        output.WriteLine(summary);
        File.WriteAllText(Path.Combine(ConsoleArtifacts.Folder(), "load.txt"), summary + "\n");
    }
}
