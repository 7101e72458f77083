using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// mdworker: the Majordomo echo worker (Guide chapter 4) on <see cref="MajordomoWorker"/>: registers
/// the "echo" service and sends every request back unchanged, heartbeating and reconnecting as RFC 7 says.
/// </summary>
[Example("mdworker", 4, "Majordomo worker: registers the echo service, echoes requests, reconnects when the broker goes",
    "zguide mdworker [--connect tcp://localhost:5555] [--service echo] [--heartbeat-ms 2500] [--liveness 3] [--reconnect-ms 2500] [-v]")]
internal static class MdworkerExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        string endpoint = a.Text("connect", MajordomoProtocol.DefaultEndpoint);
        string service = a.Text("service", "echo");
        int heartbeat = a.Int("heartbeat-ms", (int)MajordomoProtocol.DefaultHeartbeatInterval.TotalMilliseconds);
        int liveness = a.Int("liveness", MajordomoProtocol.DefaultLiveness);
        int reconnect = a.Int("reconnect-ms", (int)MajordomoProtocol.DefaultReconnectInterval.TotalMilliseconds);
        bool verbose = PirateConsole.Verbose(a);
        a.RejectUnknown();
        if (heartbeat < 1 || liveness < 1 || reconnect < 0)
        {
            throw new ExampleUsageException("--heartbeat-ms and --liveness take 1 or more, --reconnect-ms 0 or more");
        }

        var stop = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext();
        using var worker = new MajordomoWorker(context, endpoint, service, new MajordomoWorkerOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeat),
            Liveness = liveness,
            ReconnectInterval = TimeSpan.FromMilliseconds(reconnect),
            Log = Console.WriteLine,
            TraceFrames = verbose,
        });
        while (worker.Receive(stop) is { } request)
        {
            // Echo is complex... :-) (the Guide's comment): the request goes back as it came.
            worker.Reply(request);
        }

        return 0;
    }
}
