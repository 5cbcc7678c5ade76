using MLRFNet.Edge.ClinicConsole;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Scoring;
using MLRFNet.Edge.Signals;
using MLRFNet.Edge.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge;

/// <summary>Wiring of the service, shared by Program.cs and the in-process end-to-end tests.</summary>
public static class EdgeHost
{
    /// <summary>Exit codes of the service (and of <c>--once</c>).</summary>
    public static class ExitCodes
    {
        public const int Ok = 0;
        public const int StartFailed = 1;
        public const int SomeQuarantined = 3;
        public const int SomeUnfinished = 4;

        /// <summary>
        /// The model was refused (signature, SHA-256, QA verdict) and no fallback could run. Listed in the unit's
        /// RestartPreventExitStatus: restarting cannot fix it, installing a good model does. 78 is EX_CONFIG (sysexits.h).
        /// </summary>
        public const int ModelRefused = 78;
    }

    /// <summary>
    /// Host builder over appsettings.json beside the binary, then <c>MLRFNET_</c> environment variables
    /// (<c>MLRFNET_Edge__IntakeFolder</c>), then the command line (<c>--Edge:IntakeFolder=/x</c>, <c>--once</c>).
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = NormalizeArguments(args),
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The default builder reads DOTNET_-prefixed and unprefixed variables; add ours after them so they win,
        // then the command line again so it stays last.
        builder.Configuration.AddEnvironmentVariables("MLRFNET_");
        builder.Configuration.AddCommandLine(NormalizeArguments(args));
        if (Microsoft.Extensions.Hosting.Systemd.SystemdHelpers.IsSystemdService()) builder.Logging.AddSystemdConsole();
        // ImageSharp pools freed buffers per process (up to 1/8 of physical memory by default in 2.x); a clinic box
        // shares its memory with the GPU (Jetson), so keep the pool small: decode and heatmap buffers of a 2-3k film
        // are then allocated per study and returned to the OS by the GC instead of being held.
        SixLabors.ImageSharp.Configuration.Default.MemoryAllocator =
            SixLabors.ImageSharp.Memory.MemoryAllocator.Create(new SixLabors.ImageSharp.Memory.MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 32 });
        return builder;
    }

    /// <summary><c>--once</c> (a bare switch) becomes <c>--Edge:Once=true</c> for the configuration binder.</summary>
    public static string[] NormalizeArguments(string[] args) =>
        args.Select(a => a is "--once" or "/once" ? "--Edge:Once=true" : a).ToArray();

    /// <summary>Registers everything but the scorer factory (<see cref="IXrayScorerFactory"/>), which the caller picks.</summary>
    public static IHostApplicationBuilder AddEdgeService(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<EdgeOptions, EdgeOptionsValidator>().Bind(builder.Configuration.GetSection(EdgeOptions.Section));
        services.AddOptionsWithValidateOnStart<InferenceOptions, InferenceOptionsValidator>().Bind(builder.Configuration.GetSection(InferenceOptions.Section));
        services.AddOptionsWithValidateOnStart<GpioOptions, GpioOptionsValidator>().Bind(builder.Configuration.GetSection(GpioOptions.Section));
        services.AddOptionsWithValidateOnStart<Suitability.SuitabilityOptions, Suitability.SuitabilityOptionsValidator>()
            .Bind(builder.Configuration.GetSection(Suitability.SuitabilityOptions.Section));
        services.AddOptionsWithValidateOnStart<Pacs.PacsOptions, Pacs.PacsOptionsValidator>().Bind(builder.Configuration.GetSection(Pacs.PacsOptions.Section));
        services.AddSingleton<IValidateOptions<EdgeOptions>, EdgeCrossFieldValidator>();
        services.AddSingleton<IValidateOptions<InferenceOptions>, EdgeCrossFieldValidator>();
        services.AddSingleton<IValidateOptions<GpioOptions>, EdgeCrossFieldValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(FileSystemOps.Real);
        services.AddSingleton<DurableFile>();
        services.TryAddSingleton<IIntakeFileSystem, PhysicalIntakeFileSystem>();
        services.TryAddSingleton<IDiskSpace, PhysicalDiskSpace>();
        services.TryAddSingleton<IXrayDecoder, ImagingXrayDecoder>();
        services.TryAddSingleton<IGpioChipSource, LibGpiodChipSource>();
        services.TryAddSingleton<Core.Manifest.IModelHasher>(Core.Manifest.Sha256ModelHasher.Instance);
        services.TryAddSingleton(_ => SystemdNotifier.FromEnvironment());
        services.TryAddSingleton(sp => new WatchdogSettings(
            SystemdNotifier.WatchdogInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID")),
            sp.GetRequiredService<IOptions<EdgeOptions>>().Value.LivenessTimeout));
        services.AddSingleton(sp => FieldSignalsFactory.Create(sp.GetRequiredService<IOptions<GpioOptions>>(),
            sp.GetRequiredService<IGpioChipSource>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("MLRFNet.Edge.Signals")));

        services.AddSingleton<ServiceState>();
        services.AddSingleton<WorkQueue>();
        services.AddSingleton<DiskWatermark>();
        services.AddSingleton<IntakeScanner>();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<Quarantine>();
        services.AddSingleton<ArchiveNames>();
        services.AddSingleton<OddFiles>();
        services.AddSingleton<QuarantineWatch>();
        services.AddSingleton<StudyProcessor>();
        services.AddSingleton<Suitability.UnsuitableStudies>();
        services.AddSingleton<ModelHost>();
        services.AddSingleton<Pacs.Outbox>();
        services.TryAddSingleton<Pacs.IProcessRunner, Pacs.ProcessRunner>();

        // Start order: folders, model (refuses a bad one before any file is taken), then the workers.
        services.AddHostedService<EdgeFolders>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelHost>());
        services.AddHostedService<ScoringWorker>();
        services.AddHostedService<IntakeService>();
        services.AddHostedService<Pacs.PacsSender>(); // sends the outbox to the PACS (Pacs:Host set), retrying with back-off
        services.AddSingleton<HealthFileWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthFileWriter>());
        services.AddHostedService<SystemdWatchdogService>();
        services.AddClinicConsole(builder.Configuration); // the clinic console (Console/): its failures never stop scoring
        return builder;
    }

    /// <summary>
    /// Runs the host; returns the process exit code. A start failure (bad options, unusable folder, refused model)
    /// is logged as one critical line with the fix and gives <see cref="ExitCodes.StartFailed"/>.
    /// </summary>
    public static async Task<int> RunAsync(IHost host, CancellationToken cancellationToken = default)
    {
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MLRFNet.Edge");
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Core.Manifest.ModelRefusedException refused)
        {
            // A visible, stable state: health.json says "refused" with the reason, the fault light is on, one log line,
            // and an exit code systemd does not restart on (a restart cannot fix a refused model).
            var reason = $"{refused.Reason}: {refused.Message}";
            Log.StartFailed(logger, "model refused (" + reason + ")");
            host.Services.GetRequiredService<HealthFileWriter>().WriteRefused(reason);
            return ExitCodes.ModelRefused;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything that stops the start (bad options, unusable folder, refused model, missing native runtime)
            // is one critical line with the reason; the messages of our exceptions carry the fix.
            Log.StartFailed(logger, e switch
            {
                OptionsValidationException invalid => StartupMessages.Explain(invalid),
                Inference.ModelRejectedException => e.Message,
                DllNotFoundException or TypeInitializationException { InnerException: DllNotFoundException } =>
                    $"the ONNX Runtime native library could not be loaded ({(e.InnerException ?? e).Message}). On a Jetson set " +
                    "Inference:NativeLibraryPath to the device's libonnxruntime.so (1.31); elsewhere reinstall the published folder, " +
                    "which carries libonnxruntime.so beside the binary.",
                _ => $"{e.GetType().Name}: {e.Message}",
            });
            return ExitCodes.StartFailed;
        }
        await host.WaitForShutdownAsync(cancellationToken);
        var options = host.Services.GetRequiredService<IOptions<EdgeOptions>>().Value;
        if (!options.Once) return ExitCodes.Ok;
        var state = host.Services.GetRequiredService<ServiceState>();
        var scanner = host.Services.GetRequiredService<IntakeScanner>();
        var files = host.Services.GetRequiredService<IIntakeFileSystem>();
        // A fault still standing, files left in the intake, or inputs left in the work folder: given up on after a
        // disk error (a later successful batch clears the fault, not them) or claimed but never finished because the
        // run was stopped (SIGTERM, Ctrl-C). The work folder on disk is the last word: it is what the next start picks up.
        // Entries it would not take (pipes, unreadable files) are left too.
        if (state.Fault is not null || scanner.Pending > 0 || state.NotTaken.Count > 0 || files.EnumerateFiles(options.WorkFolder).Any(IntakeFilter.IsCandidate))
            return ExitCodes.SomeUnfinished;
        return state.Quarantined > 0 ? ExitCodes.SomeQuarantined : ExitCodes.Ok;
    }
}
