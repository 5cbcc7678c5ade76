using System.Collections.Concurrent;

namespace MLRFNet.Edge.Health;

/// <summary>
/// What the service is doing, shared by the workers and read by the health file, systemd status and GPIO. Counters
/// are totals since start; the ledger and folders are the durable record.
/// </summary>
internal sealed class ServiceState(TimeProvider time)
{
    private long claimed, scored, quarantined, duplicates, flagged, unsuitable;
    private long intakeBeat, scoringBeat;
    private volatile string? pausedReason, fault, provider, model, degraded, refused;
    private volatile bool ready;
    private readonly ConcurrentDictionary<string, byte> keptInWork = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> notTaken = new(StringComparer.Ordinal);

    /// <summary>Entries in the intake that are not taken (pipes, devices, unreadable files) and why, by display name.</summary>
    public IReadOnlyDictionary<string, string> NotTaken => notTaken;

    /// <summary>Records why <paramref name="name"/> is not taken; true when this is new (or the reason changed): log it then.</summary>
    public bool ReportNotTaken(string name, string reason)
    {
        if (notTaken.TryGetValue(name, out var known) && known == reason) return false;
        notTaken[name] = reason;
        return true;
    }

    public void ClearNotTaken(string name) => notTaken.TryRemove(name, out _);

    public long Claimed => Interlocked.Read(ref claimed);
    public long Scored => Interlocked.Read(ref scored);
    public long Quarantined => Interlocked.Read(ref quarantined);
    public long Duplicates => Interlocked.Read(ref duplicates);
    public long Flagged => Interlocked.Read(ref flagged);

    /// <summary>Studies archived with an "unsuitable" report instead of being scored (Edge:Suitability).</summary>
    public long Unsuitable => Interlocked.Read(ref unsuitable);

    /// <summary>
    /// Inputs this run gave up on and left in the work folder (a report, ledger line or move could not be made
    /// durable, or an unexpected error): not finished, waiting for a retry at the next rescan of the work folder
    /// (service) or the next start (<c>--once</c>). Not a total: an input leaves the count when a retry finishes it.
    /// Unlike <see cref="Fault"/>, a later successful model run does not clear it.
    /// </summary>
    public int KeptInWork => keptInWork.Count;

    /// <summary>DICOM results waiting in the PACS outbox; null when no PACS is configured.</summary>
    public int? PacsPending { get; set; }

    /// <summary>Why the last send to the PACS failed (null after a success).</summary>
    public string? PacsLastError { get; set; }
    public DateTimeOffset? PacsLastErrorUtc { get; set; }
    public long PacsSent => Interlocked.Read(ref pacsSent);
    public DateTimeOffset? LastPacsSentUtc { get; private set; }
    private long pacsSent;

    public void OnPacsSent(DateTimeOffset now)
    {
        Interlocked.Increment(ref pacsSent);
        LastPacsSentUtc = now;
    }

    /// <summary>Why new files are not being taken (low disk), or null.</summary>
    public string? PausedReason { get => pausedReason; set => pausedReason = value; }

    /// <summary>
    /// The current fault (model run failed, report could not be written), or null; a successful model run clears
    /// it, <see cref="LastFault"/> keeps it for the health file.
    /// </summary>
    public string? Fault
    {
        get => fault;
        set
        {
            fault = value;
            if (value is not null)
            {
                LastFault = value;
                LastFaultUtc = time.GetUtcNow();
            }
        }
    }

    public string? LastFault { get; private set; }

    public DateTimeOffset? LastFaultUtc { get; private set; }

    /// <summary>Why the configured model was refused while the fallback model runs (status <c>degraded</c>), or null.</summary>
    public string? Degraded { get => degraded; set => degraded = value; }

    /// <summary>Why no model could be run (status <c>refused</c>; the service then exits), or null.</summary>
    public string? Refused { get => refused; set => refused = value; }

    public string? Provider { get => provider; set => provider = value; }
    public string? Model { get => model; set => model = value; }

    /// <summary>Model loaded and intake running.</summary>
    public bool Ready { get => ready; set => ready = value; }

    public DateTimeOffset? LastStudyUtc { get; private set; }

    public void OnClaimed() => Interlocked.Increment(ref claimed);

    public void OnScored(string workPath, bool anyFlagged)
    {
        OnLeftWork(workPath);
        Interlocked.Increment(ref scored);
        if (anyFlagged) Interlocked.Increment(ref flagged);
        LastStudyUtc = time.GetUtcNow();
        ScoringBeat();
    }

    public void OnQuarantined(string workPath)
    {
        OnLeftWork(workPath);
        Interlocked.Increment(ref quarantined);
        ScoringBeat();
    }

    public void OnUnsuitable(string workPath)
    {
        OnLeftWork(workPath);
        Interlocked.Increment(ref unsuitable);
        LastStudyUtc = time.GetUtcNow();
        ScoringBeat();
    }

    public void OnDuplicate(string workPath)
    {
        OnLeftWork(workPath);
        Interlocked.Increment(ref duplicates);
        ScoringBeat();
    }

    /// <summary>The input at <paramref name="workPath"/> stays in the work folder unfinished (see <see cref="KeptInWork"/>).</summary>
    public void OnKeptInWork(string workPath) => keptInWork.TryAdd(Path.GetFullPath(workPath), 0);

    /// <summary>The input at <paramref name="workPath"/> has left the work folder (archived, quarantined or gone).</summary>
    public void OnLeftWork(string workPath) => keptInWork.TryRemove(Path.GetFullPath(workPath), out _);

    public void IntakeBeat() => Interlocked.Exchange(ref intakeBeat, time.GetTimestamp());

    public void ScoringBeat() => Interlocked.Exchange(ref scoringBeat, time.GetTimestamp());

    /// <summary>
    /// Alive when the intake loop has turned within <paramref name="timeout"/> and, if work is waiting, scoring has
    /// progressed within it too: a hung model run stops the watchdog keep-alives so systemd restarts the service.
    /// </summary>
    public bool IsAlive(TimeSpan timeout, int queueDepth)
    {
        var intake = Interlocked.Read(ref intakeBeat);
        if (intake == 0 || time.GetElapsedTime(intake) > timeout) return false;
        if (queueDepth == 0) return true;
        var scoring = Interlocked.Read(ref scoringBeat);
        return scoring != 0 && time.GetElapsedTime(scoring) <= timeout;
    }
}
