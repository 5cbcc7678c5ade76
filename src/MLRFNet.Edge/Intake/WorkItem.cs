namespace MLRFNet.Edge.Intake;

/// <summary>An input claimed into the work folder: its original name (for the report) and where it is now.</summary>
internal sealed record WorkItem(string OriginalName, string WorkPath, DateTimeOffset ClaimedUtc);
