using MLRFNet.Edge.Options;
using MLRFNet.Edge.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Intake;

/// <summary>
/// Notices a quarantined file that changes afterwards: a writer that paused longer than the stable age had its file
/// quarantined as empty, truncated or damaged and then went on writing into it (the move keeps the open file). Such a
/// file no longer matches its <c>.error.json</c> (size, or written after it was quarantined): it is moved back into
/// the intake to be taken again, and its stale record removed. Looks only at records of the last
/// <see cref="WatchPeriod"/>, on each full rescan.
/// </summary>
internal sealed class QuarantineWatch(DurableFile durable, IOptions<EdgeOptions> options, TimeProvider time, ILogger<QuarantineWatch> logger)
{
    public static readonly TimeSpan WatchPeriod = TimeSpan.FromDays(1);

    private readonly EdgeOptions options = options.Value;
    private readonly Dictionary<string, Reports.QuarantineRecord?> records = new(StringComparer.Ordinal);

    /// <summary>Moves changed quarantined files back to the intake; returns how many.</summary>
    public int RetakeChanged()
    {
        var ops = durable.Ops;
        var folder = options.QuarantineFolder;
        if (!Directory.Exists(folder)) return 0;
        var retaken = 0;
        var now = time.GetUtcNow();
        foreach (var recordName in ops.ListNames(folder))
        {
            if (recordName.StartsWith('.') || !recordName.EndsWith(Quarantine.RecordSuffix, StringComparison.Ordinal)) continue;
            var recordPath = Path.Combine(folder, recordName);
            if (!records.TryGetValue(recordName, out var record)) records[recordName] = record = Quarantine.ReadRecord(ops, recordPath);
            if (record is null || now - record.QuarantinedUtc > WatchPeriod || !Quarantine.MayStillBeWrittenKinds.Contains(record.Kind)) continue;
            var name = recordName[..^Quarantine.RecordSuffix.Length];
            var file = Path.Combine(folder, name);
            var info = ops.Inspect(file);
            if (info.Kind != EntryKind.Regular) continue;
            // Compared with what the file looked like when quarantined, not with the clock (its mtime may come from a
            // source whose clock is off).
            if (info.Size == record.Bytes && (record.LastWriteUtc is null || info.LastWriteUtc == record.LastWriteUtc)) continue;
            try
            {
                var moved = durable.MoveNoOverwrite(file, options.IntakeFolder, name);
                ops.Delete(recordPath);
                records.Remove(recordName);
                retaken++;
                Log.QuarantineRetaken(logger, RawNames.Display(name), record.Bytes, info.Size, RawNames.Display(Path.GetFileName(moved)));
            }
            catch (IOException e)
            {
                Log.ClaimFailed(logger, RawNames.Display(name), e.Message);
            }
        }
        return retaken;
    }
}
