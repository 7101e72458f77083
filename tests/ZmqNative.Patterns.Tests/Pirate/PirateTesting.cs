using System.Collections.Concurrent;
using System.Text;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Patterns.Tests.Pirate;

/// <summary>Helpers for the Pirate tests: unique inproc endpoints, background loops, and observers whose events a test can wait for.</summary>
internal static class PirateTesting
{
    /// <summary>Long enough for anything on a loaded 2-core machine; tests never wait this long when the code works.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public static string Inproc(string name) => $"inproc://pirate-{name}-{Guid.NewGuid():N}";

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);

    /// <summary>Runs <paramref name="body"/> on a background thread; the test joins it (bounded) when done.</summary>
    public static Task Background(Action body) => Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Waits (bounded) for a background loop to end and rethrows what it threw.</summary>
    public static void Join(Task task)
    {
        Assert.That(task.Wait(Wait), Is.True, "a background loop did not stop");
    }
}

/// <summary>Collects a component's events (from its own thread) so a test can wait for one.</summary>
internal sealed class PirateEvents
{
    private readonly List<PirateEvent> _events = [];
    private readonly object _gate = new();

    public Action<PirateEvent> Observer => e =>
    {
        lock (_gate)
        {
            _events.Add(e);
            Monitor.PulseAll(_gate);
        }
    };

    public List<PirateEvent> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> events match; fails the test after the bound.</summary>
    public List<PirateEvent> WaitFor(Func<PirateEvent, bool> match, int count = 1)
    {
        var deadline = DateTime.UtcNow + PirateTesting.Wait;
        lock (_gate)
        {
            while (true)
            {
                var found = _events.Where(match).ToList();
                if (found.Count >= count)
                {
                    return found;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    Assert.Fail($"expected {count} matching events, saw: {string.Join(", ", _events.Select(e => $"{e.Kind}({e.Peer})"))}");
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    public PirateEvent WaitFor(PirateEventKind kind, string? peer = null) =>
        WaitFor(e => e.Kind == kind && (peer is null || e.Peer == peer))[0];
}
