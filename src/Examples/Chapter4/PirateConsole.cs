using ZmqNative.Examples.Chapter3;
using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// What the Pirate and Freelance examples share: the Guide's <c>-v</c> switch (also <c>--verbose</c>),
/// their positional endpoints, an s_dump-style frame trace, and Ctrl-C as a clean stop.
/// </summary>
internal static class PirateConsole
{
    /// <summary>Whether <c>-v</c> or <c>--verbose</c> was given.</summary>
    public static bool Verbose(ExampleArgs a) => a.Flag("verbose") | a.Positional.Contains("-v");

    /// <summary>
    /// <c>--max-message-kb N</c> of the Pirate queues: the largest frame a peer may send, in KiB
    /// (default 1024, the library's 1 MiB; 0: no limit). A larger frame disconnects its sender.
    /// </summary>
    public static long? MaxMessageSize(ExampleArgs a)
    {
        int kib = a.Int("max-message-kb", (int)(ParanoidPirateProtocol.DefaultMaxMessageSize >> 10));
        if (kib < 0)
        {
            throw new ExampleUsageException("--max-message-kb takes 0 (no limit) or more");
        }

        return kib == 0 ? null : (long)kib << 10;
    }

    /// <summary>The positional words other than <c>-v</c> (the Freelance examples' endpoints).</summary>
    public static List<string> Words(ExampleArgs a) => a.Positional.Where(p => p != "-v").ToList();

    /// <summary>Prints a message the way the Guide's zmsg_dump does: a separator, then one line per frame.</summary>
    public static void Dump(IReadOnlyList<byte[]> frames)
    {
        Console.WriteLine(FrameDump.Separator);
        foreach (var frame in frames)
        {
            Console.WriteLine(FrameDump.Format(frame));
        }
    }

    /// <summary>A token cancelled by Ctrl-C, so examples that run forever stop cleanly.</summary>
    public static CancellationToken CancelOnCtrlC()
    {
        var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        return stop.Token;
    }

    /// <summary>A random source: seeded when <c>--seed</c> was given (repeatable runs), else from the clock as the Guide's srandom(time).</summary>
    public static Random Random(ExampleArgs a)
    {
        int seed = a.Int("seed", -1);
        return seed >= 0 ? new Random(seed) : new Random();
    }

    /// <summary>
    /// The -v trace of a Pirate queue (spqueue, ppqueue): one line per worker event, frames dumped
    /// for routed messages. The Simple Pirate queue has no heartbeats, so it never reports those kinds.
    /// </summary>
    public static void TraceQueue(PirateEvent e)
    {
        switch (e.Kind)
        {
            case PirateEventKind.WorkerReady:
                Console.WriteLine($"I: worker ready ({e.Peer})");
                break;
            case PirateEventKind.HeartbeatReceived:
                Console.WriteLine($"I: worker heartbeat ({e.Peer})");
                break;
            case PirateEventKind.HeartbeatSent:
                Console.WriteLine($"I: queue heartbeat ({e.Peer})");
                break;
            case PirateEventKind.RequestRouted:
                Console.WriteLine($"I: request to worker ({e.Peer})");
                Dump(e.Frames!);
                break;
            case PirateEventKind.ReplyRouted:
                Console.WriteLine($"I: reply from worker ({e.Peer})");
                Dump(e.Frames!);
                break;
        }
    }
}

/// <summary>Thrown by a simulated crash: the example ends as the Guide's does when it breaks out of its loop.</summary>
internal sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("simulated crash")
    {
    }

}
