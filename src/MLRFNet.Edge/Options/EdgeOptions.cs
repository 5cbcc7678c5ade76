using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Options;

/// <summary>
/// The service's folders and intake behaviour (configuration section <c>Edge</c>). Every folder must exist or be
/// creatable at start; relative paths are relative to the working directory (systemd: <c>WorkingDirectory=</c>).
/// </summary>
public sealed class EdgeOptions
{
    public const string Section = "Edge";

    /// <summary>Where X-rays are dropped (by a modality, a share, a USB copy).</summary>
    [Required(ErrorMessage = "Edge:IntakeFolder is required: set it to the folder X-rays are dropped into.")]
    public string IntakeFolder { get; set; } = "/var/lib/mlrfnet/intake";

    /// <summary>Where the JSON/HTML reports and the CSV ledger go.</summary>
    [Required(ErrorMessage = "Edge:ReportsFolder is required: set it to the folder reports are written to.")]
    public string ReportsFolder { get; set; } = "/var/lib/mlrfnet/reports";

    /// <summary>Where inputs go after their report is durable.</summary>
    [Required(ErrorMessage = "Edge:ArchiveFolder is required: set it to the folder scored inputs are moved to.")]
    public string ArchiveFolder { get; set; } = "/var/lib/mlrfnet/archive";

    /// <summary>Where inputs that cannot be scored go, each with a <c>&lt;name&gt;.error.json</c>.</summary>
    [Required(ErrorMessage = "Edge:QuarantineFolder is required: set it to the folder unscorable inputs are moved to.")]
    public string QuarantineFolder { get; set; } = "/var/lib/mlrfnet/quarantine";

    /// <summary>
    /// Claimed inputs in flight. Must be on the same file system as the intake so a claim is an atomic rename; what
    /// is left here after a crash is scored again at start.
    /// </summary>
    [Required(ErrorMessage = "Edge:WorkFolder is required: set it to a folder on the same disk as the intake.")]
    public string WorkFolder { get; set; } = "/var/lib/mlrfnet/work";

    /// <summary>The health file a field engineer can <c>cat</c>; default <c>&lt;ReportsFolder&gt;/../health.json</c>.</summary>
    public string? HealthFile { get; set; }

    /// <summary>
    /// A file the kernel reported closed after writing (inotify close-write, or renamed into the intake) is taken once
    /// its size and modification time have not changed for this long (2 s).
    /// </summary>
    public TimeSpan StableAge { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A file with no close-write seen (found only by a rescan, written to since, or no watcher on the folder) is
    /// taken once unchanged for this long (30 s): a writer may pause that long with the file still open. <c>--once</c>
    /// uses <see cref="StableAge"/> for the files present when it starts.
    /// </summary>
    public TimeSpan UnwatchedStableAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Full rescan of the intake (30 s): the safety net for lost FileSystemWatcher events (inotify queue overflow,
    /// network shares that send none).
    /// </summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often files seen but not yet stable are checked again (250 ms).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Inputs claimed but not yet scored (64); the intake waits when the queue is full.</summary>
    [Range(1, 100_000, ErrorMessage = "Edge:QueueCapacity must be between 1 and 100000.")]
    public int QueueCapacity { get; set; } = 64;

    /// <summary>
    /// Stop taking new files when the free space of the reports, archive or work disk falls under this many
    /// megabytes (512 MB); resume when it is back.
    /// </summary>
    [Range(0, 10_000_000, ErrorMessage = "Edge:MinFreeDiskMegabytes must be between 0 and 10000000 (0 turns the check off).")]
    public long MinFreeDiskMegabytes { get; set; } = 512;

    /// <summary>How often the health file is rewritten (5 s).</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// systemd keep-alives stop when the intake loop, or scoring while work is queued, has not moved for this long
    /// (2 min), so a hung model run gets the service restarted.
    /// </summary>
    public TimeSpan LivenessTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Heatmaps drawn in the HTML report: one per flagged class, highest probability first, at most this many (3;
    /// 0 = none, and the model is then not asked for class maps). Each costs ~0.2 s and ~0.5 MB for a 2k film.
    /// </summary>
    [Range(0, 64, ErrorMessage = "Edge:MaxHeatmaps must be between 0 and 64.")]
    public int MaxHeatmaps { get; set; } = 3;

    /// <summary>Score what is in the intake now, then exit (<c>--once</c>).</summary>
    public bool Once { get; set; }

    /// <summary>Decode limits handed to MLRFNet.Imaging.</summary>
    [ValidateObjectMembers]
    public DecodeLimitsOptions DecodeLimits { get; set; } = new();

    public string ResolvedHealthFile =>
        HealthFile is { Length: > 0 } h ? h : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ReportsFolder)) ?? ".", "health.json");
}
