using System.Collections.Concurrent;
using System.Diagnostics;

namespace ZmqNative.Examples.Demos;

/// <summary>How a demo ended: whether what it expected happened, and its one-line summary.</summary>
internal sealed record DemoOutcome(bool Ok, string Summary);

/// <summary>One pattern `zguide demo` can play.</summary>
internal sealed record DemoPattern(string Name, string Title, string Blurb, Func<DemoLog, DemoOutcome> Run);

/// <summary>Thrown inside a demo when something it waited for did not happen in time.</summary>
internal sealed class DemoFailure(string message) : Exception(message);

/// <summary>
/// Prints a demo's story: a header, one line per event with the time since the demo started and
/// who did it, and a summary. Safe to call from every thread of the demo. Colours only on a
/// terminal, and never when NO_COLOR is set (https://no-color.org).
/// </summary>
internal sealed class DemoLog
{
    private readonly object _gate = new();
    private readonly bool _color = !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
    private Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Starts a demo: its title and a few words on what to watch for; the clock restarts.</summary>
    public void Header(DemoPattern pattern)
    {
        lock (_gate)
        {
            Console.WriteLine();
            Console.WriteLine(Paint("1", $"== {pattern.Name}: {pattern.Title} ".PadRight(72, '=')));
            foreach (string line in pattern.Blurb.Split('\n'))
            {
                Console.WriteLine(line);
            }

            Console.WriteLine();
            _clock = Stopwatch.StartNew();
        }
    }

    /// <summary>One event: <c>   12 ms  client     -> "Hello 1"</c>.</summary>
    public void Say(string who, string text)
    {
        lock (_gate)
        {
            long ms = _clock.ElapsedMilliseconds;
            Console.WriteLine($"{ms,6} ms  {Paint("36", who.PadRight(10))} {text}");
        }
    }

    /// <summary>A plain line of text (no time, no speaker).</summary>
    public void Note(string text)
    {
        lock (_gate)
        {
            Console.WriteLine(text);
        }
    }

    /// <summary>The demo's last line: <c>reqrep: OK - 3 requests, 3 replies</c>, or FAILED.</summary>
    public void Summary(string name, DemoOutcome outcome)
    {
        lock (_gate)
        {
            Console.WriteLine();
            string verdict = outcome.Ok ? Paint("1;32", "OK") : Paint("1;31", "FAILED");
            Console.WriteLine($"{name}: {verdict} - {outcome.Summary}");
        }
    }

    private string Paint(string code, string text) => _color ? $"\u001b[{code}m{text}\u001b[0m" : text;
}

/// <summary>
/// The threads of one demo, each with its own sockets. A thread that ends because the context was
/// shut down ends normally (that is how a demo stops its servers); any other exception is kept
/// and fails the demo.
/// </summary>
internal sealed class DemoThreads(DemoLog log)
{
    private readonly List<Thread> _threads = [];
    private readonly ConcurrentQueue<string> _failures = new();

    /// <summary>What went wrong in the threads, if anything.</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Runs <paramref name="body"/> on a new background thread named <paramref name="who"/>.</summary>
    public void Start(string who, Action body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (ContextTerminatedException)
            {
                // The demo is over and shut its context down.
            }
            catch (Exception e)
            {
                _failures.Enqueue($"{who}: {e.Message}");
                log.Say(who, "failed: " + e.Message);
            }
        })
        {
            IsBackground = true,
            Name = who,
        };
        _threads.Add(thread);
        thread.Start();
    }

    /// <summary>Waits for every thread to end, at most <paramref name="timeout"/> in all; false if some did not.</summary>
    public bool Join(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        bool all = true;
        foreach (var thread in _threads)
        {
            var left = timeout - clock.Elapsed;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                _failures.Enqueue($"{thread.Name} did not stop");
                all = false;
            }
        }

        return all;
    }
}

/// <summary>Small things every demo needs.</summary>
internal static class DemoKit
{
    /// <summary>The longest any demo waits for one thing before it calls the demo failed.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A context whose sockets do not linger: a demo checks that its messages arrived before it
    /// ends, so there is nothing left worth waiting for at the end (zmq_setsockopt(3), ZMQ_LINGER).
    /// </summary>
    public static ZmqContext NewContext() => new() { DefaultLinger = TimeSpan.Zero };

    /// <summary>Binds to a port the OS picks on the loopback interface and returns the endpoint (ZMQ_LAST_ENDPOINT).</summary>
    public static string BindLoopback(ZmqSocket socket)
    {
        socket.Bind("tcp://127.0.0.1:*");
        return socket.LastEndpoint;
    }

    /// <summary>
    /// Watches a bound socket for finished handshakes. A PUSH or DEALER deals messages only to peers
    /// it is already connected to, so a demo that wants its work spread waits for every peer first.
    /// </summary>
    public static ZmqMonitor WatchHandshakes(ZmqSocket socket) => new(socket, ZmqMonitorEvents.HandshakeSucceeded);

    /// <summary>Waits until <paramref name="count"/> peers finished their handshake; throws <see cref="DemoFailure"/> after <see cref="Patience"/>.</summary>
    public static void WaitForHandshakes(ZmqMonitor watch, int count, string what)
    {
        var clock = Stopwatch.StartNew();
        for (int seen = 0; seen < count; seen++)
        {
            var left = Patience - clock.Elapsed;
            if (!watch.WaitFor(ZmqMonitorEvents.HandshakeSucceeded, left > TimeSpan.Zero ? left : TimeSpan.Zero, out _))
            {
                throw new DemoFailure($"only {seen} of {count} {what} connected within {Patience.TotalSeconds:0} s");
            }
        }
    }

    /// <summary>Receives a text frame within <see cref="Patience"/>, or throws <see cref="DemoFailure"/> naming what was awaited.</summary>
    public static string Receive(ZmqSocket socket, string what) =>
        socket.TryReceiveString(Patience, out string? text) ? text! : throw new DemoFailure($"no {what} within {Patience.TotalSeconds:0} s");

    /// <summary>Receives a whole message within <see cref="Patience"/>, or throws <see cref="DemoFailure"/>.</summary>
    public static List<byte[]> ReceiveMultipart(ZmqSocket socket, string what) =>
        socket.TryReceiveMultipart(Patience, out var frames) ? frames! : throw new DemoFailure($"no {what} within {Patience.TotalSeconds:0} s");

    /// <summary>Text in quotes, for the narration.</summary>
    public static string Quote(string text) => "\"" + text + "\"";
}
