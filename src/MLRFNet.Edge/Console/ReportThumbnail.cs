using System.Text;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>
/// The worklist's thumbnail: the display X-ray the HTML report already embeds once (the <c>.xr</c> box's background,
/// a PNG of at most ~512 px), cut out of the page's style sheet. Nothing is decoded or re-encoded, so a busy
/// worklist costs the scoring no CPU; the browser scales it down and caches it (a report never changes).
/// </summary>
internal static class ReportThumbnail
{
    private const string Marker = "background-image:url(data:image/png;base64,";
    private const int MaxScan = 8 * 1024 * 1024;

    /// <summary>The PNG bytes, or null when the page holds no embedded X-ray.</summary>
    public static byte[]? Extract(string htmlPath)
    {
        using var stream = new FileStream(htmlPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = (int)Math.Min(stream.Length, MaxScan);
        var buffer = new byte[length];
        stream.ReadExactly(buffer);
        var text = buffer.AsSpan();
        var start = text.IndexOf(Encoding.ASCII.GetBytes(Marker));
        if (start < 0) return null;
        start += Marker.Length;
        var end = text[start..].IndexOf((byte)')');
        if (end <= 0) return null;
        var base64 = text.Slice(start, end);
        var bytes = new byte[base64.Length / 4 * 3 + 3];
        return System.Buffers.Text.Base64.DecodeFromUtf8(base64, bytes, out _, out var written) == System.Buffers.OperationStatus.Done
            ? bytes[..written]
            : null;
    }
}
