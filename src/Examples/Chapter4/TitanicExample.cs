using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Titanic;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// titanic: the Titanic service (Guide chapter 4; RFC 9/TSP) on <see cref="TitanicService"/>: registers
/// titanic.request, titanic.reply and titanic.close with a Majordomo broker, keeps requests and replies
/// in a directory (crash-safe), and sends every pending request to its service until it gets a reply.
/// </summary>
[Example("titanic", 4, "Titanic: stores requests on disk, sends them to their service until answered, hands out replies (RFC 9/TSP)",
    "zguide titanic [--connect tcp://localhost:5555] [--dir .titanic] [--heartbeat-ms 2500] [--liveness 3] [--reconnect-ms 2500] [--dispatch-timeout-ms 1000] [--dispatch-interval-ms 1000] [-v]")]
internal static class TitanicExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        string endpoint = a.Text("connect", MajordomoProtocol.DefaultEndpoint);
        string directory = a.Text("dir", TitanicProtocol.DefaultDirectory);
        int heartbeat = a.Int("heartbeat-ms", (int)MajordomoProtocol.DefaultHeartbeatInterval.TotalMilliseconds);
        int liveness = a.Int("liveness", MajordomoProtocol.DefaultLiveness);
        int reconnect = a.Int("reconnect-ms", (int)MajordomoProtocol.DefaultReconnectInterval.TotalMilliseconds);
        int dispatchTimeout = a.Int("dispatch-timeout-ms", (int)TitanicProtocol.DefaultDispatchTimeout.TotalMilliseconds);
        int dispatchInterval = a.Int("dispatch-interval-ms", (int)TitanicProtocol.DefaultDispatchInterval.TotalMilliseconds);
        bool verbose = PirateConsole.Verbose(a);
        a.RejectUnknown();
        if (heartbeat < 1 || liveness < 1 || reconnect < 0 || dispatchTimeout < 1 || dispatchInterval < 1)
        {
            throw new ExampleUsageException("--heartbeat-ms, --liveness and the --dispatch-* options take 1 or more, --reconnect-ms 0 or more");
        }

        var stop = PirateConsole.CancelOnCtrlC();
        var store = new TitanicStore(directory, Console.WriteLine);
        using var context = new ZmqContext();
        var service = new TitanicService(context, endpoint, store, new TitanicOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeat),
            Liveness = liveness,
            ReconnectInterval = TimeSpan.FromMilliseconds(reconnect),
            DispatchTimeout = TimeSpan.FromMilliseconds(dispatchTimeout),
            DispatchInterval = TimeSpan.FromMilliseconds(dispatchInterval),
            Log = Console.WriteLine,
            TraceFrames = verbose,
        });
        service.Run(stop);
        Console.WriteLine("W: interrupt received, shutting down...");
        return 0;
    }
}
