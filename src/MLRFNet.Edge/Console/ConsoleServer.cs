using System.Net;
using System.Security.Cryptography.X509Certificates;
using MLRFNet.Edge.Health;
using MLRFNet.Edge.Intake;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Scoring;
using MLRFNet.Edge.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>
/// The clinic console's web server, a hosted service beside the scoring pipeline in the same process. It runs its own
/// small ASP.NET Core app (Kestrel, routing, nothing else: <see cref="WebApplication.CreateEmptyBuilder"/>) over the
/// service's singletons. Error policy: the console is a window onto the service, never a reason to stop it; a port
/// in use, a bad certificate or a failing request is logged and scoring goes on. Settings that would expose the
/// console unsafely are refused at start by <see cref="ConsoleOptionsValidator"/> instead.
/// </summary>
internal sealed class ConsoleServer(IServiceProvider services, IOptions<ConsoleOptions> consoleOptions, IOptions<EdgeOptions> edgeOptions,
    ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger logger = loggers.CreateLogger("MLRFNet.Edge.Console");
    private WebApplication? app;

    /// <summary>The addresses actually bound (with the real port when 0 was asked for); empty while off.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = consoleOptions.Value;
        if (!options.Enabled || edgeOptions.Value.Once)
        {
            Log.ConsoleOff(logger);
            return;
        }
        try
        {
            app = Build(options);
            await app.StartAsync(cancellationToken);
            Addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
            Log.ConsoleListening(logger, string.Join(", ", Addresses), string.IsNullOrEmpty(options.AccessToken) ? "not set: this box only" : "required");
            var clear = ConsoleEndpoint.ParseList(options.Urls).Where(e => !e.IsLoopback && !e.Https).ToList();
            if (clear.Count > 0) Log.ConsoleWithoutTls(logger, string.Join(", ", clear));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Swallow and log: scoring must not depend on the console (port taken, certificate unreadable).
            Log.ConsoleStartFailed(logger, $"{e.GetType().Name}: {e.Message}");
            if (app is not null) await app.DisposeAsync();
            app = null;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (app is null) return;
        try { await app.StopAsync(cancellationToken); }
        catch (OperationCanceledException) { } // shutdown timeout: open connections are cut, as for any stop
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }

    private WebApplication Build(ConsoleOptions options)
    {
        var edge = edgeOptions.Value;
        var time = services.GetRequiredService<TimeProvider>();
        var access = new ConsoleAccess(options.AccessToken, logger);
        var endpoints = new ConsoleEndpoints(new StudyIndex(edgeOptions), new ReviewMarks(options.ResolvedReviewsFile(edge.ReportsFolder), services.GetRequiredService<DurableFile>(), time), access,
            services.GetRequiredService<ServiceState>(), services.GetRequiredService<WorkQueue>(), services.GetRequiredService<IntakeScanner>(),
            services.GetRequiredService<DiskWatermark>(), services.GetRequiredService<ModelHost>(), edge, options, time, logger);
        var certificate = LoadCertificate(options);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // The console's own host shares the service's logging and never reacts to SIGTERM itself: the service's host
        // stops it (StopAsync above), after which scoring finishes its batch.
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024; // a review form or a login: nothing larger is ever posted
            kestrel.Limits.MaxConcurrentConnections = 256;
            foreach (var endpoint in ConsoleEndpoint.ParseList(options.Urls))
            {
                void Configure(ListenOptions listen)
                {
                    // HTTP/2 needs TLS (ALPN); on plain http Kestrel would warn at every start and use HTTP/1.1 anyway.
                    listen.Protocols = endpoint.Https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                    if (endpoint.Https) listen.UseHttps(certificate!);
                }
                if (endpoint.Localhost) kestrel.ListenLocalhost(endpoint.Port, Configure);
                else if (endpoint.Address!.Equals(IPAddress.IPv6Any)) kestrel.ListenAnyIP(endpoint.Port, Configure);
                else kestrel.Listen(endpoint.Address, endpoint.Port, Configure);
            }
        });
        var web = builder.Build();
        web.Use(async (context, next) =>
        {
            try { await next(context); }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                // Swallow and log: one failing request (a report removed by hand, a full disk for a review mark) is
                // answered 500; the console and the service go on.
                Log.ConsoleRequestFailed(logger, context.Request.Method, context.Request.Path.Value ?? "", e);
                if (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    await ConsoleAccess.Plain(context, StatusCodes.Status500InternalServerError, "The console could not answer this request; the service log has the reason.");
                }
            }
        });
        web.Use(SecurityHeaders.InvokeAsync);
        web.Use(access.InvokeAsync);
        endpoints.Map(web);
        return web;
    }

    private static X509Certificate2? LoadCertificate(ConsoleOptions options)
    {
        if (options.CertificatePath is not { Length: > 0 } path) return null;
        if (options.CertificateKeyPath is { Length: > 0 } key)
            return string.IsNullOrEmpty(options.CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(path, key)
                : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, key);
        return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
    }

    /// <summary>The service's host owns the process signals; the console's host only starts and stops when told.</summary>
    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
