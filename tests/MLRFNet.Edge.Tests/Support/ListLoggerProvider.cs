using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MLRFNet.Edge.Tests.Support;

/// <summary>Keeps every log line (level, event id, text) so tests can assert what a person would read.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, int EventId, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public bool Contains(int eventId) => Entries.Any(e => e.EventId == eventId);

    public void Dispose() { }

    private sealed class ListLogger(ListLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
    }
}
