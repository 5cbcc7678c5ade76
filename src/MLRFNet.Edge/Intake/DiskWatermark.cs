using MLRFNet.Edge.Health;
using MLRFNet.Edge.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Intake;

/// <summary>
/// Stops the intake when a disk the service writes to (reports, archive, work) runs low, and lets it go on when space
/// returns. Files keep waiting in the intake meanwhile; nothing is dropped.
/// </summary>
internal sealed class DiskWatermark(IDiskSpace disk, IOptions<EdgeOptions> options, ServiceState state, ILogger<DiskWatermark> logger)
{
    private readonly EdgeOptions options = options.Value;

    /// <summary>True when new files may be taken; updates <see cref="ServiceState.PausedReason"/> and logs transitions.</summary>
    public bool HasRoom()
    {
        var minimum = options.MinFreeDiskMegabytes * 1024 * 1024;
        string? reason = null;
        if (minimum > 0)
        {
            foreach (var folder in new[] { options.ReportsFolder, options.ArchiveFolder, options.WorkFolder })
            {
                var free = disk.AvailableBytes(folder);
                if (free is { } bytes && bytes < minimum)
                {
                    reason = $"low disk: {bytes / (1024 * 1024)} MB free on the disk of {folder}, under Edge:MinFreeDiskMegabytes={options.MinFreeDiskMegabytes}; free space or move the archive";
                    break;
                }
            }
        }
        var previous = state.PausedReason;
        if (reason is not null && previous is null) Log.IntakePaused(logger, reason);
        else if (reason is null && previous is not null) Log.IntakeResumed(logger);
        state.PausedReason = reason;
        return reason is null;
    }

    /// <summary>Free megabytes per folder for the health file (null when unknown).</summary>
    public Dictionary<string, long?> FreeMegabytes() => new()
    {
        ["reports"] = disk.AvailableBytes(options.ReportsFolder) / (1024 * 1024),
        ["archive"] = disk.AvailableBytes(options.ArchiveFolder) / (1024 * 1024),
        ["work"] = disk.AvailableBytes(options.WorkFolder) / (1024 * 1024),
    };
}
