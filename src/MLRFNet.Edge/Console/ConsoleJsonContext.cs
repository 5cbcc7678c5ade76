using System.Text.Json.Serialization;

namespace MLRFNet.Edge.ClinicConsole;

/// <summary>A page of <c>GET /api/studies</c>: how many matched in all, and this page's studies, newest first (or triage order).</summary>
public sealed record StudyListResponse(int Total, int Offset, int Limit, IReadOnlyList<StudyListItem> Studies);

/// <summary>One study in the API: <see cref="Id"/> is null for rows without a report (quarantined, waiting).</summary>
public sealed record StudyListItem(string? Id, DateTimeOffset Time, string InputName, string Outcome, string? PatientId, string? StudyDate,
    string? AccessionNumber, IReadOnlyList<FlaggedFinding> Flagged, double? TopMargin, string? Reason, string? ReviewedBy,
    DateTimeOffset? ReviewedUtc, string? Page, string? Report);

public sealed record ApiError(string Error);

/// <summary>Source-generated JSON for the console's API (AOT-safe, no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(StudyListResponse))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(ReviewMark))]
internal sealed partial class ConsoleJsonContext : JsonSerializerContext;
