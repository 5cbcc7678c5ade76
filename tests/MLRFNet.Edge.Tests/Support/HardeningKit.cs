using System.Security.Cryptography;
using System.Text.Json;
using MLRFNet.Edge.Reports;
using MLRFNet.Edge.Signals;
using MLRFNet.Edge.Storage;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>Helpers for the "never lose an X-ray" tests: raw listings, content hashes, reports on disk.</summary>
internal static class HardeningKit
{
    /// <summary>Entries of a folder with their raw names (not dotfiles), ordinal order.</summary>
    public static string[] Names(string folder) =>
        Directory.Exists(folder)
            ? FileSystemOps.Real.ListNames(folder).Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToArray()
            : [];

    public static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>SHA-256 of every input-like file (not .error.json) in a folder, as a sorted multiset.</summary>
    public static List<string> Hashes(string folder) =>
        Names(folder).Where(n => !n.EndsWith(".error.json", StringComparison.Ordinal))
            .Select(n => Sha(FileSystemOps.Real.ReadAllBytes(Path.Combine(folder, n), 1 << 30))).Order(StringComparer.Ordinal).ToList();

    public static StudyReport Report(string reportsFolder, string jsonName) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(reportsFolder, jsonName)), EdgeJsonContext.Default.StudyReport)!;

    public static string[] ReportFiles(string reportsFolder, string extension) =>
        Names(reportsFolder).Where(n => n.EndsWith(extension, StringComparison.Ordinal) && n != CsvLedger.FileName).ToArray();
}

/// <summary>Field signals that remember each line's last level.</summary>
internal sealed class RecordingSignals : IFieldSignals
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<FieldSignal, bool> levels = new();

    public bool this[FieldSignal signal] => levels.TryGetValue(signal, out var on) && on;

    public void Set(FieldSignal signal, bool on) => levels[signal] = on;

    public void Dispose() { }
}
