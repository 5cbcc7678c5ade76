using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Scoring;
using MLRFNet.Edge.Signals;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>
/// The real service host (EdgeHost.AddEdgeService, every hosted service) over temporary folders, with the scorer,
/// disk-free and GPIO behind fakes. Timing options default small (stable age 0.3 s) so end-to-end tests take seconds.
/// </summary>
internal sealed class EdgeTestHost : IAsyncDisposable
{
    private EdgeTestHost(string root, IHost host, FakeScorerFactory scorers, ListLoggerProvider logs)
    {
        Root = root;
        Host = host;
        Scorers = scorers;
        Logs = logs;
    }

    public string Root { get; }
    public IHost Host { get; }
    public FakeScorerFactory Scorers { get; }
    public ListLoggerProvider Logs { get; }

    public string Intake => Path.Combine(Root, "intake");
    public string Work => Path.Combine(Root, "work");
    public string Reports => Path.Combine(Root, "reports");
    public string Archive => Path.Combine(Root, "archive");
    public string Quarantine => Path.Combine(Root, "quarantine");
    public string HealthFile => Path.Combine(Root, "health.json");

    public ServiceState State => Host.Services.GetRequiredService<ServiceState>();

    public static Dictionary<string, string?> DefaultSettings(string root) => new()
    {
        ["Edge:IntakeFolder"] = Path.Combine(root, "intake"),
        ["Edge:WorkFolder"] = Path.Combine(root, "work"),
        ["Edge:ReportsFolder"] = Path.Combine(root, "reports"),
        ["Edge:ArchiveFolder"] = Path.Combine(root, "archive"),
        ["Edge:QuarantineFolder"] = Path.Combine(root, "quarantine"),
        ["Edge:HealthFile"] = Path.Combine(root, "health.json"),
        ["Edge:StableAge"] = "00:00:00.300",
        ["Edge:UnwatchedStableAge"] = "00:00:00.600",
        ["Edge:PollInterval"] = "00:00:00.050",
        ["Edge:RescanInterval"] = "00:00:01",
        ["Edge:HealthInterval"] = "00:00:00.200",
        ["Edge:MinFreeDiskMegabytes"] = "100",
        // The synthetic films here are 80x96 (small, fast); the 256-pixel default of the size rule is tested on its own.
        ["Edge:Suitability:MinSidePixels"] = "32",
        ["Inference:ModelPath"] = Path.Combine(root, "model", "model.onnx"),
        ["Inference:TrustedKeysFolder"] = Path.Combine(root, "trusted-keys"),
        ["Inference:BatchSize"] = "4",
        ["Console:Urls"] = "", // off unless a test asks (ConsoleTestHost): parallel hosts would fight over port 8080
    };

    public static EdgeTestHost Create(string root, Action<Dictionary<string, string?>>? configure = null,
        FakeDiskSpace? disk = null, IGpioChipSource? gpio = null, SystemdNotifier? notifier = null,
        FakeScorerFactory? scorers = null, Action<IServiceCollection>? services = null, bool writeModel = true)
    {
        if (writeModel && !File.Exists(Path.Combine(root, "model", "model.onnx"))) TestModel.Write(Path.Combine(root, "model"));
        if (!Directory.Exists(Path.Combine(root, "trusted-keys"))) TestKeys.WriteTrustedFolder(Path.Combine(root, "trusted-keys"));
        var settings = DefaultSettings(root);
        configure?.Invoke(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new ListLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.AddEdgeService();
        scorers ??= new FakeScorerFactory();
        builder.Services.AddSingleton<IXrayScorerFactory>(scorers);
        builder.Services.AddSingleton<IDiskSpace>(disk ?? new FakeDiskSpace());
        builder.Services.AddSingleton(gpio ?? new FakeGpioChipSource(present: false));
        builder.Services.AddSingleton(notifier ?? new SystemdNotifier(null));
        builder.Services.AddSingleton(new WatchdogSettings(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30)));
        services?.Invoke(builder.Services);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        return new EdgeTestHost(root, builder.Build(), scorers, logs);
    }

    public Task StartAsync() => Host.StartAsync();

    public async Task StopAsync()
    {
        try { await Host.StopAsync(); }
        catch (OperationCanceledException) { }
        catch (ArgumentNullException) { } // Host.StopAsync after a start that failed (no hosted services were started)
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until true; fails with the folder state after <paramref name="seconds"/>.
    /// The limit only guards against a hang (generous for a loaded 2-core CI machine), never decides an outcome.
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, double seconds = 120, string? what = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what ?? "condition"}. {Describe()}");
            await Task.Delay(25);
        }
    }

    /// <summary>
    /// For a host on a fake clock: moves it on with <paramref name="advance"/> until <paramref name="condition"/>
    /// holds. The short real pause between steps only lets the service's loops run; the limit guards against a hang.
    /// </summary>
    public async Task AdvanceUntilAsync(Action advance, Func<bool> condition, string what, double seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}. {Describe()}");
            advance();
            await Task.Delay(25);
        }
    }

    public string[] Files(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder).Select(p => Path.GetFileName(p)).Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToArray()
            : [];

    public string[] Inputs(string folder) => Files(folder).Where(n => !n.EndsWith(".error.json", StringComparison.Ordinal)).ToArray();

    public string[] ReportJsons() => Files(Reports).Where(n => n.EndsWith(".json", StringComparison.Ordinal)).ToArray();

    public string Describe() =>
        $"intake=[{string.Join(", ", Files(Intake))}] work=[{string.Join(", ", Files(Work))}] archive=[{string.Join(", ", Files(Archive))}] " +
        $"quarantine=[{string.Join(", ", Files(Quarantine))}] reports={Files(Reports).Length} log:\n" +
        string.Join("\n", Logs.Entries.TakeLast(30).Select(e => $"  {e.Level} {e.EventId} {e.Message}"));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Host.Dispose();
    }
}

/// <summary>A temporary folder removed after the test (test scaffolding, not the service: the service never deletes).</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlrfnet-edge-" + Guid.NewGuid().ToString("N")[..12]));

    public string Path { get; }

    public void Dispose()
    {
        // rm -rf: names that are not UTF-8 cannot be removed by Directory.Delete.
        RawTree.Delete(Path);
    }
}
