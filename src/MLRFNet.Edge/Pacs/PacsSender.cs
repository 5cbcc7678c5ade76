using MLRFNet.Edge.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Pacs;

/// <summary>
/// Sends the outbox to the PACS with dcmtk's <c>dcmsend</c>, one file per run, oldest first. A file leaves
/// <c>pending/</c> only after dcmsend exits 0 and its transfer report says the PACS answered the C-STORE with Success
/// (0x0000) or a Warning (0xB...); otherwise it stays, the error goes to health.json, and the next attempt waits
/// <see cref="PacsOptions.RetryInitial"/>, doubling up to <see cref="PacsOptions.RetryMax"/> (TimeProvider-driven).
/// A success resets the wait. Nothing is dropped while the PACS is down.
/// </summary>
internal sealed class PacsSender(Outbox outbox, IProcessRunner runner, ServiceState state, TimeProvider time, IOptions<PacsOptions> pacs,
    ILogger<PacsSender> logger) : BackgroundService
{
    private readonly PacsOptions options = pacs.Value;
    private int failures;

    /// <summary>Creates the outbox before anything is queued; a folder that cannot be made stops the start with the reason.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (outbox.Enabled)
        {
            try
            {
                outbox.Prepare();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OptionsValidationException(PacsOptions.Section, typeof(PacsOptions),
                    [$"Pacs:OutboxFolder '{Path.GetFullPath(options.OutboxFolder)}' is not a writable folder ({e.Message}); create it and give the service user write access (deploy/install.sh does)."]);
            }
            state.PacsPending = outbox.Pending().Count;
        }
        return base.StartAsync(cancellationToken);
    }

    /// <summary>The current wait after <see cref="failures"/> consecutive failed attempts.</summary>
    public TimeSpan Backoff(int failed) =>
        failed <= 0 ? options.PollInterval
            : TimeSpan.FromTicks(Math.Min(options.RetryMax.Ticks, options.RetryInitial.Ticks * (1L << Math.Min(failed - 1, 30))));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!outbox.Enabled) return;
        await Task.Yield();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = await SendPendingAsync(stoppingToken);
                await Task.Delay(wait, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>Sends what is pending until one fails; returns how long to wait before the next round.</summary>
    public async Task<TimeSpan> SendPendingAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> pending;
        try
        {
            pending = outbox.Pending();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failed($"the outbox cannot be read: {e.Message}", 0);
        }
        state.PacsPending = pending.Count;
        for (var i = 0; i < pending.Count; i++)
        {
            var file = pending[i];
            var error = await SendAsync(file, cancellationToken);
            if (error is not null) return Failed($"{Path.GetFileName(file)}: {error}", pending.Count - i);
            try
            {
                outbox.MarkSent(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Sent but still pending: sent again next round (the PACS keeps one copy per SOP Instance UID).
                return Failed($"{Path.GetFileName(file)} was sent but could not be moved to sent/: {e.Message}", pending.Count - i);
            }
            state.PacsPending = pending.Count - i - 1;
            state.OnPacsSent(time.GetUtcNow());
            Log.PacsSent(logger, Path.GetFileName(file), options.CalledAeTitle, options.Host!, options.Port);
        }
        if (failures > 0) Log.PacsRecovered(logger, options.CalledAeTitle, failures);
        failures = 0;
        state.PacsLastError = null;
        return Backoff(0);
    }

    private TimeSpan Failed(string error, int pending)
    {
        failures++;
        var wait = Backoff(failures);
        state.PacsLastError = error;
        state.PacsLastErrorUtc = time.GetUtcNow();
        Log.PacsSendFailed(logger, error, pending, wait.TotalSeconds);
        return wait;
    }

    /// <summary>Runs dcmsend on one file; null when the PACS accepted it, else why not.</summary>
    private async Task<string?> SendAsync(string file, CancellationToken cancellationToken)
    {
        var report = Path.Combine(Path.GetTempPath(), $"mlrfnet-dcmsend-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        try
        {
            var result = await runner.RunAsync(options.DcmsendPath,
                ["-aet", options.CallingAeTitle, "-aec", options.CalledAeTitle, "-to", "30", "--create-report-file", report,
                 options.Host!, options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), file],
                options.SendTimeout, cancellationToken);
            var text = File.Exists(report) ? await File.ReadAllTextAsync(report, cancellationToken) : "";
            return DcmsendReport.Verdict(result.ExitCode, result.Output, text);
        }
        finally
        {
            try { File.Delete(report); } catch (IOException) { }
        }
    }
}
