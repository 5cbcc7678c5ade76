using System.Diagnostics;
using System.Net.Http.Headers;

namespace MLRFNet.Benchmarks;

/// <summary>What the console's clients saw: every completed request is exactly one of succeeded, failed (a non-2xx
/// status) or errored (no response: refused, reset, timed out). Requests cut by the end of the run are not counted.</summary>
/// <param name="FirstProblem">The first failure or error, e.g. "GET /api/health: 500 InternalServerError".</param>
public sealed record ConsoleClientTally(int Clients, long Requests, long Succeeded, long Failed, long Errors, string? FirstProblem, LatencyStatistics? Latency);

/// <summary>
/// The clinic console's busy load: <c>clients</c> concurrent pollers, each alternating <c>GET /api/studies</c> and
/// <c>GET /api/health</c> with the bearer token and pausing between requests (a worklist open on many PCs, polling far
/// more often than its 5 s). Loopback only; bounded by the cancellation of the caller.
/// </summary>
public sealed class ConsoleClients : IAsyncDisposable
{
    public static readonly string[] Paths = ["/api/studies", "/api/health"];

    private readonly HttpClient http;
    private readonly CancellationTokenSource stop = new();
    private readonly Task[] loops;
    private readonly Lock gate = new();
    private readonly List<double> latencies = [];
    private long requests, succeeded, failed, errors;
    private string? firstProblem;

    /// <param name="handler">The HTTP stack (a <see cref="SocketsHttpHandler"/> in the bench; a fake in tests).</param>
    /// <param name="pause">Waits between two requests of one client (the bench: a fixed delay).</param>
    public ConsoleClients(HttpMessageHandler handler, Uri baseAddress, string token, int clients, Func<CancellationToken, Task> pause)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Clients = clients;
        loops = [.. Enumerable.Range(0, clients).Select(i => Task.Run(() => Loop(i, pause)))];
    }

    public int Clients { get; }

    /// <summary>Completed requests so far (answered or errored).</summary>
    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Starts <paramref name="clients"/> loopback pollers against the console at <paramref name="baseAddress"/>.</summary>
    public static ConsoleClients Start(Uri baseAddress, string token, int clients, TimeSpan interval) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10), UseProxy = false },
            baseAddress, token, clients, ct => Task.Delay(interval, ct));

    private async Task Loop(int client, Func<CancellationToken, Task> pause)
    {
        var ct = stop.Token;
        // Clients start on different paths so both endpoints are busy from the first round.
        for (var n = client; !ct.IsCancellationRequested; n++)
        {
            var path = Paths[n % Paths.Length];
            var clock = Stopwatch.StartNew();
            string? problem = null;
            var erred = false;
            try
            {
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
                if (!response.IsSuccessStatusCode) problem = $"GET {path}: {(int)response.StatusCode} {response.StatusCode}";
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return; // cut by the end of the run: not a completed request
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                erred = true;
                problem = $"GET {path}: {e.GetType().Name}: {e.Message}";
            }
            Record(clock.Elapsed.TotalMilliseconds, problem, erred);
            try { await pause(ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    private void Record(double ms, string? problem, bool erred)
    {
        lock (gate)
        {
            latencies.Add(ms);
            requests++;
            if (problem is null) succeeded++;
            else if (erred) errors++;
            else failed++;
            firstProblem ??= problem;
        }
    }

    /// <summary>Stops the pollers (in-flight requests are cut and not counted) and returns what they saw.</summary>
    public async Task<ConsoleClientTally> StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        lock (gate)
            return new ConsoleClientTally(Clients, requests, succeeded, failed, errors, firstProblem, latencies.Count > 0 ? LatencyStatistics.Of(latencies) : null);
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested) await StopAsync();
        http.Dispose();
        stop.Dispose();
    }
}
