using System.Diagnostics;

namespace ZmqNative.Tests.SocketTypes;

/// <summary>Shared pieces of the behaviour tests: endpoints, bounded waits, and waiting on real signals instead of sleeping.</summary>
internal static class PatternTesting
{
    /// <summary>The bound on every wait for something that should happen promptly.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>How long one probe of a repeated probe waits for its answer.</summary>
    public static readonly TimeSpan ProbeWait = TimeSpan.FromMilliseconds(10);

    private static int _next;

    /// <summary>A new context whose sockets drop unsent messages on close, so a test that leaves queues full ends at once.</summary>
    public static ZmqContext NewContext() => new() { DefaultLinger = TimeSpan.Zero };

    /// <summary>An inproc endpoint name no other test uses.</summary>
    public static string InprocEndpoint(string what = "t") =>
        $"inproc://{what}-{Interlocked.Increment(ref _next)}-{Guid.NewGuid():N}";

    /// <summary>Binds to a fresh endpoint of <paramref name="transport"/> ("inproc" or "tcp") and returns where peers connect.</summary>
    public static string BindAny(ZmqSocket socket, string transport)
    {
        switch (transport)
        {
            case "inproc":
                string name = InprocEndpoint(socket.Type.ToString());
                socket.Bind(name);
                return name;
            case "tcp":
                socket.Bind("tcp://127.0.0.1:*");
                return socket.LastEndpoint;
            default:
                throw new ArgumentOutOfRangeException(nameof(transport), transport, "inproc or tcp");
        }
    }

    /// <summary>Receives one whole message as text frames, failing the test when none comes in time.</summary>
    public static List<string> ReceiveStrings(ZmqSocket socket)
    {
        Assert.That(socket.TryReceiveMultipart(Wait, out var frames), Is.True, $"{socket.Type} received nothing within {Wait}");
        return frames!.ConvertAll(f => System.Text.Encoding.UTF8.GetString(f));
    }

    /// <summary>Receives one single-frame text message, failing the test when none comes in time.</summary>
    public static string ReceiveString(ZmqSocket socket)
    {
        var frames = ReceiveStrings(socket);
        Assert.That(frames, Has.Count.EqualTo(1), "a single-frame message");
        return frames[0];
    }

    /// <summary>Sends text frames as one message, failing the test when the first frame cannot be queued in time.</summary>
    public static void SendStrings(ZmqSocket socket, params string[] frames) =>
        Assert.That(socket.TrySendMultipart(frames.Select(f => System.Text.Encoding.UTF8.GetBytes(f)).ToList(), Wait), Is.True,
            $"{socket.Type} could not send within {Wait}");

    /// <summary>
    /// Repeats <paramref name="probe"/> until <paramref name="receive"/> gets something back: the
    /// signal that a subscription or join made asynchronously has reached the sender. Each probe
    /// waits on the receiver (a real signal), never on a clock.
    /// </summary>
    public static void ProbeUntilReceived(Action probe, Func<bool> receive, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            probe();
            if (receive())
            {
                return;
            }

            if (clock.Elapsed > Wait)
            {
                Assert.Fail($"{what}: nothing came back within {Wait}");
            }
        }
    }
}
