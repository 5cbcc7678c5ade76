using MLRFNet.Edge.Options;
using MLRFNet.Edge.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Pacs;

/// <summary>
/// The durable outbox of DICOM results for the PACS: <c>pending/</c> holds copies of committed SR and Secondary Capture
/// files (written with fsync and an atomic rename, so a crash leaves a whole file or none), <c>sent/</c> those the
/// PACS accepted. <see cref="Enqueue"/> is idempotent (a name already pending or sent is not queued again), so it is
/// called after each commit and again when a committed report is met after a crash. Only the DICOM results go here.
/// </summary>
internal sealed class Outbox(IOptions<PacsOptions> pacs, IOptions<EdgeOptions> edge, DurableFile durable, ILogger<Outbox> logger)
{
    private readonly PacsOptions options = pacs.Value;
    private readonly Lock gate = new();

    public bool Enabled => options.Enabled;

    /// <summary>Creates <c>pending/</c> and <c>sent/</c> and removes temporary files a crash left; throws IOException when it cannot.</summary>
    public void Prepare()
    {
        Directory.CreateDirectory(options.PendingFolder);
        Directory.CreateDirectory(options.SentFolder);
        durable.RemoveLeftoverTemps(options.PendingFolder);
    }

    /// <summary>Queues the named result files of the reports folder; throws IOException when one cannot be written.</summary>
    public void Enqueue(IReadOnlyList<string>? names)
    {
        if (!Enabled || names is null) return;
        lock (gate)
        {
            foreach (var name in names)
            {
                if (File.Exists(Path.Combine(options.PendingFolder, name)) || File.Exists(Path.Combine(options.SentFolder, name))) continue;
                var source = Path.Combine(edge.Value.ReportsFolder, name);
                if (!File.Exists(source))
                {
                    Log.OutboxSourceMissing(logger, name);
                    continue;
                }
                durable.TryWriteExactly(options.PendingFolder, name, File.ReadAllBytes(source));
            }
        }
    }

    /// <summary>The pending files, oldest first.</summary>
    public IReadOnlyList<string> Pending() =>
        Directory.Exists(options.PendingFolder)
            ? [.. new DirectoryInfo(options.PendingFolder).EnumerateFiles("*.dcm").Where(f => !f.Name.StartsWith('.'))
                .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).Select(f => f.FullName)]
            : [];

    /// <summary>Moves a file the PACS accepted to <c>sent/</c> (replacing nothing).</summary>
    public void MarkSent(string pendingPath)
    {
        lock (gate) durable.MoveNoOverwrite(pendingPath, options.SentFolder, Path.GetFileName(pendingPath));
    }
}
