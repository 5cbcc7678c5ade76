using MLRFNet.Edge.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Storage;

/// <summary>
/// Creates the folders at start and proves each is writable, so a permission problem stops the service with the
/// fix in the message instead of failing on the first X-ray; then removes what a crash left half-written.
/// </summary>
internal sealed class EdgeFolders(IOptions<EdgeOptions> options, DurableFile durable, Reports.ReportStore reports, ILogger<EdgeFolders> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var failures = new List<string>();
        foreach (var (key, path) in new[]
                 {
                     ("Edge:IntakeFolder", o.IntakeFolder), ("Edge:WorkFolder", o.WorkFolder), ("Edge:ReportsFolder", o.ReportsFolder),
                     ("Edge:ArchiveFolder", o.ArchiveFolder), ("Edge:QuarantineFolder", o.QuarantineFolder),
                     ("Edge:HealthFile", Path.GetDirectoryName(Path.GetFullPath(o.ResolvedHealthFile))!),
                 })
        {
            try
            {
                Directory.CreateDirectory(path);
                // A probe that removes itself on close (O_TMPFILE-like): proves we can create files here.
                using var probe = new FileStream(Path.Combine(path, $".probe-{Environment.ProcessId}"), FileMode.CreateNew,
                    FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.FolderUnusable(logger, key, path, e.Message);
                failures.Add($"{key} '{Path.GetFullPath(path)}' is not a writable folder ({e.Message}); create it and give the service user write access (deploy/install.sh does: install -d -o mlrfnet -g mlrfnet <folder>).");
            }
        }
        if (failures.Count > 0) throw new OptionsValidationException(EdgeOptions.Section, typeof(EdgeOptions), failures);
        // Writes a crash or a full disk cut short: temporary files and report pages without their JSON report.
        // Never an input: the intake, work and archive folders hold no temporary files of ours.
        var removed = reports.RemoveUncommitted() + durable.RemoveLeftoverTemps(o.QuarantineFolder)
                      + durable.RemoveLeftoverTemps(Path.GetDirectoryName(Path.GetFullPath(o.ResolvedHealthFile))!);
        if (removed > 0) Log.RemovedLeftovers(logger, removed);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
