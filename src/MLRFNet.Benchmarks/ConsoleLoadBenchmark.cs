using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace MLRFNet.Benchmarks;

/// <summary>
/// Scoring throughput with the clinic console idle (on, no clients) and busy (<see cref="Clients"/> pollers), issue 16.
/// Throughput of one run: images / (first "Took" line − last "Scored" line), i.e. from the first file taken to the
/// last report committed and input archived.
/// </summary>
/// <param name="Slowdown">1 − busy median / idle median: how much slower scoring is with the console busy (negative: faster).</param>
public sealed record ConsoleLoadRun
{
    public required string Precision { get; init; }
    public required int Images { get; init; }
    public required int Clients { get; init; }
    public required int IntervalMs { get; init; }
    public double[] IdleImagesPerSecond { get; init; } = [];
    public double[] BusyImagesPerSecond { get; init; } = [];
    public double? IdleMedian { get; init; }
    public double? BusyMedian { get; init; }
    public double? Slowdown { get; init; }

    /// <summary>Median over rounds of busy / idle within the round (drift in the machine's load between rounds cancels).</summary>
    public double? PairedRatioMedian { get; init; }

    /// <summary>
    /// CPU the load generator (this bench process: 50 HTTP clients) used over the busy runs, as a fraction of one core.
    /// On a box with few cores the clients compete with the service; on site they run on the clinic PCs.
    /// </summary>
    public double? ClientCpuCores { get; init; }

    /// <summary>The clients' requests over all busy runs, summed; latency is that of the last busy run.</summary>
    public ConsoleClientTally? Requests { get; init; }
    public string? Error { get; init; }

    /// <summary>Medians and slowdown of the given per-run throughputs (images/s).</summary>
    public static (double? Idle, double? Busy, double? Slowdown) Summarize(IReadOnlyCollection<double> idle, IReadOnlyCollection<double> busy)
    {
        double? Median(IReadOnlyCollection<double> v) => v.Count > 0 ? LatencyStatistics.Of(v).MedianMs : null;
        var (i, b) = (Median(idle), Median(busy));
        return (i, b, i is > 0 && b is { } bb ? 1 - bb / i.Value : null);
    }
}

/// <summary>
/// Runs the published service in watch mode with the console on a free loopback port and a token, <see cref="BenchSettings.ConsoleRounds"/>
/// times idle and busy, interleaved (idle, busy; then busy, idle; ...) so drift in the machine's load falls on both.
/// Each run gets fresh folders and a fresh process; the clients start once the console listens and stop after the
/// last report. Any client error or failed request is counted and shown, never dropped.
/// </summary>
public static class ConsoleLoadBenchmark
{
    private const string ListeningLine = "Clinic console listening on ";

    public static ConsoleLoadRun Run(EdgeLauncher launcher, BenchModel model, IReadOnlyList<string> pngs, BenchSettings settings, string scratch, Action<string> log)
    {
        var idle = new List<double>();
        var busy = new List<double>();
        ConsoleClientTally? total = null;
        var ratios = new List<double>();
        double cpu = 0, wall = 0;
        try
        {
            for (var round = 0; round < settings.ConsoleRounds; round++)
            {
                var pair = new Dictionary<bool, double>();
                foreach (var withClients in round % 2 == 0 ? new[] { false, true } : [true, false])
                {
                    var root = Path.Combine(scratch, $"console-{round}-{(withClients ? "busy" : "idle")}");
                    var (rate, tally, clientCpu, clientWall) = RunOne(launcher, model, pngs, settings, root, withClients);
                    (withClients ? busy : idle).Add(rate);
                    pair[withClients] = rate;
                    (cpu, wall) = (cpu + clientCpu, wall + clientWall);
                    if (tally is not null) total = Add(total, tally);
                    log(string.Create(CultureInfo.InvariantCulture,
                        $"console {(withClients ? "busy" : "idle")} round {round + 1}: {rate:F2} images/s") +
                        (tally is null ? "" : $" ({tally.Requests} requests, {tally.Failed} failed, {tally.Errors} errors)"));
                }
                ratios.Add(pair[true] / pair[false]);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or JsonException or UnauthorizedAccessException or FormatException)
        {
            log($"console load: FAILED: {e.Message}");
            return Result(model, pngs, settings, idle, busy, total, ratios, cpu, wall) with { Error = e.Message };
        }
        return Result(model, pngs, settings, idle, busy, total, ratios, cpu, wall);
    }

    private static ConsoleLoadRun Result(BenchModel model, IReadOnlyList<string> pngs, BenchSettings settings, List<double> idle, List<double> busy,
        ConsoleClientTally? total, List<double> ratios, double clientCpu, double clientWall)
    {
        var (i, b, slowdown) = ConsoleLoadRun.Summarize(idle, busy);
        return new ConsoleLoadRun
        {
            Precision = model.Label, Images = pngs.Count, Clients = settings.ConsoleClients, IntervalMs = settings.ConsoleIntervalMs,
            IdleImagesPerSecond = [.. idle], BusyImagesPerSecond = [.. busy], IdleMedian = i, BusyMedian = b, Slowdown = slowdown, Requests = total,
            PairedRatioMedian = ratios.Count > 0 ? LatencyStatistics.Of(ratios).MedianMs : null,
            ClientCpuCores = clientWall > 0 ? clientCpu / clientWall : null,
        };
    }

    private static ConsoleClientTally Add(ConsoleClientTally? sum, ConsoleClientTally t) => sum is null ? t : t with
    {
        Requests = sum.Requests + t.Requests, Succeeded = sum.Succeeded + t.Succeeded, Failed = sum.Failed + t.Failed,
        Errors = sum.Errors + t.Errors, FirstProblem = sum.FirstProblem ?? t.FirstProblem,
    };

    private static (double Rate, ConsoleClientTally? Tally, double ClientCpuSeconds, double ClientWallSeconds) RunOne(EdgeLauncher launcher, BenchModel model, IReadOnlyList<string> pngs,
        BenchSettings settings, string root, bool withClients)
    {
        var (arguments, staged) = EdgeServiceBenchmark.Prepare(model, pngs, settings, root);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        // Port 0: the console takes a free port and logs it; the token is passed, never printed by the service.
        arguments.AddRange(["--Console:Urls=http://127.0.0.1:0", $"--Console:AccessToken={token}"]);
        using var service = EdgeProcess.Start(launcher, arguments, settings.EdgeEnvironment);
        service.WaitFor("Watching ", 1, settings.EdgeTimeout);
        service.WaitFor(ListeningLine, 1, settings.EdgeTimeout);
        var address = ConsoleAddress(service.LinesWith(ListeningLine)[0]);
        ConsoleClients? clients = null;
        var self = System.Diagnostics.Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var clientClock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            if (withClients)
            {
                clients = ConsoleClients.Start(address, token, settings.ConsoleClients, TimeSpan.FromMilliseconds(settings.ConsoleIntervalMs));
                // Busy before the first file: every client has had an answer (or an error) once.
                var warm = System.Diagnostics.Stopwatch.StartNew();
                while (clients.Requests < settings.ConsoleClients)
                {
                    if (warm.Elapsed > settings.EdgeTimeout) throw new TimeoutException($"The console answered {clients.Requests} of {settings.ConsoleClients} first requests within {settings.EdgeTimeout.TotalSeconds:F0} s.");
                    Thread.Sleep(10);
                }
            }
            var intake = Path.Combine(root, "intake");
            foreach (var file in staged) File.Move(file, Path.Combine(intake, Path.GetFileName(file)));
            var scored = service.WaitFor("Scored ", staged.Length, settings.EdgeTimeout);
            var tally = clients is null ? null : clients.StopAsync().GetAwaiter().GetResult();
            self.Refresh();
            var clientCpu = clients is null ? 0 : (self.TotalProcessorTime - cpuBefore).TotalSeconds;
            var clientWall = clients is null ? 0 : clientClock.Elapsed.TotalSeconds;
            var took = service.TimesOf("Took ");
            var reports = Directory.GetFiles(Path.Combine(root, "reports"), "*.json").Length;
            if (reports != staged.Length || took.Count < staged.Length)
                throw new InvalidOperationException($"The service took {took.Count} and wrote {reports} JSON reports for {staged.Length} inputs.");
            var exit = service.Stop(TimeSpan.FromSeconds(60));
            if (exit != 0) throw new InvalidOperationException($"The service exited with {exit} after the console run.\n{service.Tail(20)}");
            var seconds = (scored.Take(staged.Length).Max() - took.Min()) / 1000.0;
            return (staged.Length / seconds, tally, clientCpu, clientWall);
        }
        finally
        {
            if (clients is not null) clients.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The first http:// address in the console's "listening on A, B (access token ...)" line.</summary>
    public static Uri ConsoleAddress(string line)
    {
        var at = line.IndexOf(ListeningLine, StringComparison.Ordinal);
        var rest = at < 0 ? "" : line[(at + ListeningLine.Length)..];
        var first = rest.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal));
        return first is not null && Uri.TryCreate(first, UriKind.Absolute, out var uri)
            ? uri
            : throw new FormatException($"No http:// address in the console's log line '{line}'.");
    }
}
