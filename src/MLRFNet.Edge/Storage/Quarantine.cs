using System.Text.Json;
using MLRFNet.Edge.Options;
using MLRFNet.Edge.Reports;
using MLRFNet.Imaging;
using Microsoft.Extensions.Options;

namespace MLRFNet.Edge.Storage;

/// <summary>
/// Moves an input that cannot be scored to the quarantine folder with <c>&lt;name&gt;.error.json</c> beside it. The
/// record is written first, then the file moved, so a crash never leaves a quarantined file without its reason.
/// </summary>
internal sealed class Quarantine(IOptions<EdgeOptions> options, DurableFile durable, TimeProvider time)
{
    public const string ScoringFailedKind = "ScoringFailed";

    // What a person should do about each kind of failure; registry rather than a switch so a new kind is one line.
    private static readonly Dictionary<string, string> whatToDo = new(StringComparer.Ordinal)
    {
        [nameof(DecodeErrorKind.Empty)] = "The file has no content: the copy failed. Send the image again from its source.",
        [nameof(DecodeErrorKind.Truncated)] = "The file ends early: the copy was interrupted. Send the image again from its source.",
        [nameof(DecodeErrorKind.UnknownFormat)] = "Not a PNG, JPEG or DICOM image (recognised by content, not by name). Export the X-ray as PNG, JPEG or DICOM.",
        [nameof(DecodeErrorKind.TooLarge)] = "Larger than Edge:DecodeLimits allow. Export at a lower resolution, or raise the limit if the image is genuine.",
        [nameof(DecodeErrorKind.UnsupportedTransferSyntax)] = "DICOM compression this service cannot read (it reads uncompressed, deflated, RLE, JPEG Lossless, JPEG-LS and JPEG 2000; JPEG-LS and JPEG 2000 need libcharls2 and libopenjp2-7 installed). Export uncompressed (Explicit VR Little Endian) or JPEG Lossless from the modality or PACS.",
        [nameof(DecodeErrorKind.UnsupportedAttribute)] = "DICOM content this service cannot use (colour, unusual bit depth). Export a grayscale image.",
        [nameof(DecodeErrorKind.Malformed)] = "The file is damaged. Send the image again; if it recurs, check the exporting device.",
        [ScoringFailedKind] = "The model could not score this image. Check the service log; put the file back into the intake once the fault is fixed.",
        [SymbolicLinkKind] = "A symbolic link, not a file: the service never follows links (the target may be outside the intake or not an image). Copy the image itself into the intake.",
        [NotRegularFileKind] = "Not a regular file (a named pipe, socket or device): it is never read. Copy the image itself into the intake.",
    };

    public const string SymbolicLinkKind = "SymbolicLink";
    public const string NotRegularFileKind = "NotRegularFile";

    /// <summary>Kinds whose file may still have been written to when it was quarantined: watched for change.</summary>
    public static readonly string[] MayStillBeWrittenKinds =
        [nameof(DecodeErrorKind.Empty), nameof(DecodeErrorKind.Truncated), nameof(DecodeErrorKind.Malformed), nameof(DecodeErrorKind.UnknownFormat)];

    public const string RecordSuffix = ".error.json";

    /// <summary>Quarantined names leave room for <see cref="RecordSuffix"/> within NAME_MAX.</summary>
    public const int MaxNameBytes = RawNames.NameMax - 11;

    private readonly string folder = options.Value.QuarantineFolder;

    // The pipeline quarantines from two stages (undecodable inputs while preparing, model failures while scoring):
    // one move at a time, so two inputs of the same name cannot pick the same free name.
    private readonly Lock gate = new();

    public static string WhatToDo(string kind) =>
        whatToDo.TryGetValue(kind, out var text) ? text : "Check the service log for details.";

    /// <summary>Quarantines <paramref name="workPath"/>; returns where it went.</summary>
    public string Move(string workPath, string inputName, string? sha256, string kind, string reason)
    {
        lock (gate) return MoveLocked(workPath, inputName, sha256, kind, reason);
    }

    private string MoveLocked(string workPath, string inputName, string? sha256, string kind, string reason)
    {
        var info = durable.Ops.Inspect(workPath);
        var record = new QuarantineRecord
        {
            InputName = RawNames.Display(inputName), InputSha256 = sha256, Bytes = info.Size, LastWriteUtc = info.LastWriteUtc, Kind = kind, Reason = reason,
            WhatToDo = WhatToDo(kind), QuarantinedUtc = time.GetUtcNow(),
        };
        var (name, recordExists) = FreeName(inputName, sha256);
        if (!recordExists)
            durable.WriteNew(folder, name + RecordSuffix, JsonSerializer.SerializeToUtf8Bytes(record, EdgeJsonContext.Default.QuarantineRecord));
        // Moved under exactly the name its record describes; the record's own name was free, so this one is too
        // unless something else put a file there meanwhile, and then the move refuses instead of replacing it.
        var target = Path.Combine(folder, name);
        if (durable.Ops.TryRenameNoReplace(workPath, target))
        {
            durable.Ops.SyncFolder(folder);
            return target;
        }
        return durable.MoveNoOverwrite(workPath, folder, name, MaxNameBytes);
    }

    /// <summary>
    /// A name whose file and record are both free; or the name whose record a crash left without its file, when that
    /// record is about this same content (then the record is reused, so a retried quarantine leaves no orphan).
    /// </summary>
    private (string Name, bool RecordExists) FreeName(string inputName, string? sha256)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = UniqueNames.WithSuffix(inputName, attempt, MaxNameBytes);
            var file = Path.Combine(folder, name);
            var errorJson = file + RecordSuffix;
            if (durable.Ops.Inspect(file).Kind != EntryKind.Missing) continue;
            if (durable.Ops.Inspect(errorJson).Kind == EntryKind.Missing) return (name, false);
            if (sha256 is not null && string.Equals(ReadRecord(durable.Ops, errorJson)?.InputSha256, sha256, StringComparison.OrdinalIgnoreCase)) return (name, true);
        }
    }

    public static QuarantineRecord? ReadRecord(FileSystemOps ops, string path)
    {
        try { return JsonSerializer.Deserialize(ops.ReadAllBytes(path, 1 << 20), EdgeJsonContext.Default.QuarantineRecord); }
        catch (Exception e) when (e is JsonException or IOException) { return null; }
    }
}
