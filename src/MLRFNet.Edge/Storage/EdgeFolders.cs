using MLRFNet.Edge.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Storage;

/// <summary>
/// Creates the folders at start and proves each is writable, so a permission problem stops the service with the
/// fix in the message instead of failing on the first X-ray.
/// </summary>
internal sealed class EdgeFolders(IOptions<EdgeOptions> options, ILogger<EdgeFolders> logger) : IHostedService
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
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
