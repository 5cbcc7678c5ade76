using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Pacs;

/// <summary>
/// <c>Pacs</c>: where the DICOM results (SR and heatmap Secondary Capture) are sent. Sending is on when
/// <see cref="Host"/> is set; the results are queued in <see cref="OutboxFolder"/> and sent with dcmtk's
/// <c>dcmsend</c> (C-STORE), retried with back-off while the PACS is unreachable, never dropped.
/// </summary>
public sealed class PacsOptions
{
    public const string Section = "Pacs";

    /// <summary>The PACS's host name or address; empty (default) = nothing is sent.</summary>
    public string? Host { get; set; }

    [Range(1, 65535, ErrorMessage = "Pacs:Port must be between 1 and 65535 (the PACS's DICOM port, often 104 or 11112).")]
    public int Port { get; set; } = 104;

    /// <summary>The PACS's AE title (Called AE), as configured in the PACS.</summary>
    [RegularExpression("^[ -~]{1,16}$", ErrorMessage = "Pacs:CalledAeTitle must be 1 to 16 printable ASCII characters (the PACS's AE title).")]
    public string CalledAeTitle { get; set; } = "PACS";

    /// <summary>This box's AE title (Calling AE); the PACS must know it (register the box as a modality there).</summary>
    [RegularExpression("^[ -~]{1,16}$", ErrorMessage = "Pacs:CallingAeTitle must be 1 to 16 printable ASCII characters (this box's AE title).")]
    public string CallingAeTitle { get; set; } = "MLRFNET";

    /// <summary>The durable outbox: <c>pending/</c> (queued, not yet accepted by the PACS) and <c>sent/</c>.</summary>
    public string OutboxFolder { get; set; } = "/var/lib/mlrfnet/outbox";

    /// <summary>dcmtk's dcmsend (Debian package dcmtk).</summary>
    public string DcmsendPath { get; set; } = "/usr/bin/dcmsend";

    /// <summary>How often the outbox is looked at while nothing fails (2 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait after a failed send (5 s); doubled after each further failure up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between attempts while the PACS stays unreachable (5 min).</summary>
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>One dcmsend run is killed after this long (2 min) and counts as a failure.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public string PendingFolder => Path.Combine(OutboxFolder, "pending");
    public string SentFolder => Path.Combine(OutboxFolder, "sent");
}

[OptionsValidator]
internal sealed partial class PacsOptionsValidator : IValidateOptions<PacsOptions>;
