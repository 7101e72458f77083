using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// ppqueue: the Paranoid Pirate queue (Guide chapter 4, "Robust Reliable Queuing"; RFC 6/PPP), on
/// <see cref="ParanoidPirateQueue"/>: load balancing plus heartbeats both ways, so it notices dead
/// workers and workers notice when it dies and comes back. Prints a warning for each worker that
/// expires (as the Guide's Python queue does); <c>-v</c> also traces arrivals, heartbeats and routed
/// messages. Runs until Ctrl-C.
/// </summary>
[Example("ppqueue", 4, "Paranoid Pirate queue: load balancing with heartbeats both ways and worker expiry (RFC 6/PPP)",
    "zguide ppqueue [--frontend tcp://*:5555] [--backend tcp://*:5556] [--heartbeat-ms 1000] [--liveness 3] [--max-message-kb 1024] [-v]")]
internal static class PpqueueExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        string frontend = a.Text("frontend", ParanoidPirateQueue.DefaultFrontend);
        string backend = a.Text("backend", ParanoidPirateQueue.DefaultBackend);
        int heartbeat = a.Int("heartbeat-ms", 1000);
        int liveness = a.Int("liveness", ParanoidPirateProtocol.DefaultLiveness);
        long? maxMessageSize = PirateConsole.MaxMessageSize(a);
        bool verbose = PirateConsole.Verbose(a);
        a.RejectUnknown();
        if (heartbeat < 1 || liveness < 1)
        {
            throw new ExampleUsageException("--heartbeat-ms and --liveness take 1 or more");
        }

        var options = new ParanoidPirateQueueOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeat),
            Liveness = liveness,
            Observer = e =>
            {
                switch (e.Kind)
                {
                    case PirateEventKind.IdleWorkerExpired:
                        Console.WriteLine($"W: idle worker expired: {e.Peer}");
                        break;
                    case PirateEventKind.BusyWorkerExpired:
                        Console.WriteLine($"W: busy worker expired, its request is lost: {e.Peer}");
                        break;
                    case PirateEventKind.WorkerUnreachable:
                        Console.WriteLine($"W: worker disconnected: {e.Peer}");
                        break;
                    case PirateEventKind.InvalidMessage:
                        Console.WriteLine("E: invalid message from worker");
                        PirateConsole.Dump(e.Frames!);
                        break;
                    default:
                        if (verbose)
                        {
                            PirateConsole.TraceQueue(e);
                        }

                        break;
                }
            },
        };

        using var context = new ZmqContext();
        using var queue = new ParanoidPirateQueue(context, frontend, backend, options);
        queue.Run(PirateConsole.CancelOnCtrlC());
        return 0;
    }

}
