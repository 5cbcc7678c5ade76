using Microsoft.Extensions.Logging;

namespace MLRFNet.Inference.Tests.Support;

/// <summary>Keeps every log entry so tests can assert what the scorer told the operator.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<LogEntry> entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get { lock (entries) return entries.ToArray(); }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (entries) entries.Add(new LogEntry(logLevel, eventId.Id, formatter(state, exception)));
    }
}

internal sealed record LogEntry(LogLevel Level, int EventId, string Message);
