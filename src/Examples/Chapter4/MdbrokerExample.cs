using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// mdbroker: the Majordomo broker (Guide chapter 4; RFC 7/MDP, RFC 8/MMI) on <see cref="MajordomoBroker"/>.
/// Prints the broker's events (worker registered, worker expired, invalid message) always, the frames with <c>-v</c>.
/// </summary>
[Example("mdbroker", 4, "Majordomo broker: routes requests to workers by service name, expires silent workers, answers mmi.service",
    "zguide mdbroker [--bind tcp://*:5555] [--heartbeat-ms 2500] [--liveness 3] [--max-queued-mb 64] [-v]")]
internal static class MdbrokerExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        string endpoint = a.Text("bind", "tcp://*:5555");
        int heartbeat = a.Int("heartbeat-ms", (int)MajordomoProtocol.DefaultHeartbeatInterval.TotalMilliseconds);
        int liveness = a.Int("liveness", MajordomoProtocol.DefaultLiveness);
        int maxQueuedMiB = a.Int("max-queued-mb", (int)(new MajordomoBrokerOptions().MaxQueuedBytes >> 20));
        bool verbose = PirateConsole.Verbose(a);
        a.RejectUnknown();
        if (heartbeat < 1 || liveness < 1 || maxQueuedMiB < 1)
        {
            throw new ExampleUsageException("--heartbeat-ms, --liveness and --max-queued-mb take 1 or more");
        }

        var stop = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext();
        using var broker = new MajordomoBroker(context, new MajordomoBrokerOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeat),
            Liveness = liveness,
            MaxQueuedBytes = (long)maxQueuedMiB << 20, // the bytes of requests waiting for a worker; the oldest go first
            Log = Console.WriteLine,
            TraceFrames = verbose,
        });
        broker.Bind(endpoint);
        broker.Run(stop);
        Console.WriteLine("W: interrupt received, shutting down...");
        return 0;
    }
}
