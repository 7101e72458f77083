using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ZmqNative.Extensions.Hosting.Tests.Support;

/// <summary>An ILoggerProvider that keeps every entry (event id, level, structured fields) for assertions, and lets a test wait for one.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private readonly object _gate = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    /// <summary>Waits until an entry with <paramref name="eventId"/> (and matching <paramref name="match"/>) is logged.</summary>
    public Entry? WaitFor(int eventId, TimeSpan timeout, Func<Entry, bool>? match = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (true)
            {
                var found = _entries.FirstOrDefault(e => e.EventId == eventId && (match?.Invoke(e) ?? true));
                var left = deadline - DateTime.UtcNow;
                if (found is not null || left <= TimeSpan.Zero)
                {
                    return found;
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    private void Add(Entry entry)
    {
        _entries.Enqueue(entry);
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    public sealed record Entry(string Category, int EventId, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields);

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : [];
            owner.Add(new Entry(category, eventId.Id, logLevel, formatter(state, exception), fields));
        }
    }
}
