using MLRFNet.Edge.Reports;
using System.Globalization;
using System.Text;
using MLRFNet.Edge.Health;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>What <c>/metrics</c> reports, gathered by the caller from the service's live state.</summary>
internal sealed record MetricsSnapshot(
    ServiceState State, int QueueDepth, int WaitingInIntake, Dictionary<string, long?> FreeDiskMegabytes,
    double? ModelLoadSeconds, IReadOnlyList<StudyRow> Rows, DateTimeOffset StartedUtc);

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text exposition format 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/): counters of studies by outcome since start, the
/// queue, disk free, model load time, and per-stage latency histograms over the reports written since this process
/// started (from the reports' own timings, so a restart starts the counters at zero as Prometheus expects).
/// </summary>
internal static class MetricsWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Histogram bucket bounds in seconds: 1 ms to 60 s, covering a hash (ms) to a CPU model run (s).</summary>
    public static readonly double[] Buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    public static string Write(MetricsSnapshot m)
    {
        var b = new StringBuilder(4096);
        Family(b, "mlrfnet_studies_total", "counter", "Inputs finished since the service started, by outcome.");
        Sample(b, "mlrfnet_studies_total", [("outcome", "scored")], m.State.Scored);
        Sample(b, "mlrfnet_studies_total", [("outcome", "quarantined")], m.State.Quarantined);
        Sample(b, "mlrfnet_studies_total", [("outcome", "duplicate")], m.State.Duplicates);
        Family(b, "mlrfnet_studies_flagged_total", "counter", "Scored studies with at least one flagged finding since the service started.");
        Sample(b, "mlrfnet_studies_flagged_total", [], m.State.Flagged);
        Family(b, "mlrfnet_worklist_studies", "gauge", "Rows of the worklist now, by outcome (ledger, quarantine folder, intake and work folders).");
        foreach (var outcome in new[] { Outcomes.Scored, Outcomes.Unsuitable, Outcomes.Quarantined, Outcomes.Waiting })
            Sample(b, "mlrfnet_worklist_studies", [("outcome", outcome)], m.Rows.Count(r => r.Outcome == outcome));
        Family(b, "mlrfnet_queue_depth", "gauge", "Inputs claimed and waiting for the model.");
        Sample(b, "mlrfnet_queue_depth", [], m.QueueDepth);
        Family(b, "mlrfnet_intake_waiting", "gauge", "Files seen in the intake and not yet taken.");
        Sample(b, "mlrfnet_intake_waiting", [], m.WaitingInIntake);
        Family(b, "mlrfnet_kept_in_work", "gauge", "Inputs left in the work folder after an error, waiting for a retry.");
        Sample(b, "mlrfnet_kept_in_work", [], m.State.KeptInWork);
        Family(b, "mlrfnet_disk_free_bytes", "gauge", "Free bytes on the disk of each folder the service writes.");
        foreach (var (folder, mb) in m.FreeDiskMegabytes.OrderBy(p => p.Key, StringComparer.Ordinal))
            if (mb is { } free) Sample(b, "mlrfnet_disk_free_bytes", [("folder", folder)], free * 1024.0 * 1024.0);
        Family(b, "mlrfnet_ready", "gauge", "1 when the model is loaded and the intake runs.");
        Sample(b, "mlrfnet_ready", [], m.State.Ready ? 1 : 0);
        Family(b, "mlrfnet_fault", "gauge", "1 while a fault stands (see /api/health).");
        Sample(b, "mlrfnet_fault", [], m.State.Fault is null ? 0 : 1);
        Family(b, "mlrfnet_intake_paused", "gauge", "1 while the intake is paused (low disk).");
        Sample(b, "mlrfnet_intake_paused", [], m.State.PausedReason is null ? 0 : 1);
        if (m.ModelLoadSeconds is { } load)
        {
            Family(b, "mlrfnet_model_load_seconds", "gauge", "Time to check and load the model at start.");
            Sample(b, "mlrfnet_model_load_seconds", [], load);
        }
        Family(b, "mlrfnet_stage_duration_seconds", "histogram", "Per-stage time of each study reported since the service started (inference: the whole batch's model run).");
        var recent = m.Rows.Where(r => r.Timings is not null && r.Time >= m.StartedUtc).Select(r => r.Timings!).ToList();
        foreach (var (stage, pick) in new (string, Func<StageTimes, double>)[]
                 {
                     ("hash", t => t.Hash), ("decode", t => t.Decode), ("preprocess", t => t.Preprocess), ("inference", t => t.Inference), ("report", t => t.Report),
                 })
            Histogram(b, "mlrfnet_stage_duration_seconds", stage, recent.Select(pick).Where(v => !double.IsNaN(v)).Select(ms => ms / 1000.0).ToList());
        return b.ToString();
    }

    private static void Histogram(StringBuilder b, string name, string stage, List<double> values)
    {
        foreach (var bound in Buckets)
            Sample(b, name + "_bucket", [("stage", stage), ("le", Format(bound))], values.Count(v => v <= bound));
        Sample(b, name + "_bucket", [("stage", stage), ("le", "+Inf")], values.Count);
        Sample(b, name + "_sum", [("stage", stage)], values.Sum());
        Sample(b, name + "_count", [("stage", stage)], values.Count);
    }

    private static void Family(StringBuilder b, string name, string type, string help) =>
        b.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder b, string name, (string Key, string Value)[] labels, double value)
    {
        b.Append(name);
        if (labels.Length > 0)
        {
            b.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0) b.Append(',');
                b.Append(labels[i].Key).Append("=\"").Append(labels[i].Value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")).Append('"');
            }
            b.Append('}');
        }
        b.Append(' ').Append(Format(value)).Append('\n');
    }

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
}
