using System.Collections.Concurrent;
using System.Text;
using ZmqNative.Patterns.Freelance;

namespace ZmqNative.Patterns.Tests.Freelance;

/// <summary>Helpers for the Freelance tests.</summary>
internal static class FreelanceTesting
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public static string Inproc(string name) => $"inproc://freelance-{name}-{Guid.NewGuid():N}";

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);

    public static Task Background(Action body) => Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static void Join(Task task) => Assert.That(task.Wait(Wait), Is.True, "a background loop did not stop");
}

/// <summary>An in-process FLP server on its own thread that answers with its name; Dispose stops it and closes its socket (its clients see it disconnect).</summary>
internal sealed class NamedServer : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly FreelanceServer _server;
    private readonly Task _running;

    /// <param name="context">The context.</param>
    /// <param name="name">Its name, which every reply starts with.</param>
    /// <param name="handler">What it answers; its name and the request's first frame when null.</param>
    /// <param name="awaitable">Serve with RunAsync (no thread of its own) instead of Run on a thread.</param>
    public NamedServer(ZmqContext context, string name, Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>>? handler = null, bool awaitable = false)
    {
        Endpoint = FreelanceTesting.Inproc(name);
        // inproc has no host: the identity is the endpoint as clients connect it.
        _server = new FreelanceServer(context, Endpoint, Endpoint);
        handler ??= body => [FreelanceTesting.Bytes(name + ":" + FreelanceTesting.Text(body[0]))];
        _running = awaitable ? _server.RunAsync(handler, _stop.Token) : FreelanceTesting.Background(() => _server.Run(handler, _stop.Token));
    }

    public string Endpoint { get; }

    public void Dispose()
    {
        _stop.Cancel();
        FreelanceTesting.Join(_running);
        _server.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Collects events so a test can look at them or wait for one.</summary>
internal sealed class FreelanceEvents
{
    private readonly ConcurrentQueue<FreelanceEvent> _events = new();
    private readonly SemaphoreSlim _signal = new(0);

    public Action<FreelanceEvent> Observer => e =>
    {
        _events.Enqueue(e);
        _signal.Release();
    };

    public List<FreelanceEvent> All => [.. _events];

    public void WaitFor(Func<FreelanceEvent, bool> match)
    {
        var deadline = DateTime.UtcNow + FreelanceTesting.Wait;
        while (!_events.Any(match))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_signal.Wait(left))
            {
                Assert.Fail("the expected event did not come; saw: " + string.Join(", ", _events.Select(e => $"{e.Kind}({e.Endpoint})")));
            }
        }
    }
}
