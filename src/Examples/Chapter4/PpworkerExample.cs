using System.Globalization;
using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// ppworker: the Paranoid Pirate worker (Guide chapter 4; RFC 6/PPP), on <see cref="ParanoidPirateWorker"/>:
/// a DEALER worker that heartbeats the queue, reconnects with exponential back-off when the queue goes
/// silent, and echoes requests. After three requests it now and then simulates a crash (it exits) or
/// CPU overload (it answers 3 s late); <c>--no-failures</c> turns that off, <c>--seed</c> makes it repeatable.
/// </summary>
/// <remarks>
/// One change to the Guide's order: the "heavy work" (<c>--work-ms</c>) happens before the reply is
/// sent, not after, so a worker doing work really holds its request (the Guide's sends first and then
/// sleeps, which looks the same from the queue). <c>-v</c> also prints the queue's heartbeats (as the
/// Guide's Python worker does) and traces requests and replies.
/// </remarks>
[Example("ppworker", 4, "Paranoid Pirate worker: heartbeats, reconnects with back-off, echoes, randomly crashes or stalls",
    "zguide ppworker [--connect tcp://localhost:5556] [--identity NAME] [--heartbeat-ms 1000] [--liveness 3] [--reconnect-ms 1000] [--reconnect-max-ms 32000] [--work-ms 1000] [--overload-ms 3000] [--no-failures] [--seed N] [-v]")]
internal static class PpworkerExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "no-failures", "verbose");
        string endpoint = a.Text("connect", ParanoidPirateWorker.DefaultEndpoint);
        string identity = a.Text("identity", string.Empty);
        int heartbeat = a.Int("heartbeat-ms", 1000);
        int liveness = a.Int("liveness", ParanoidPirateProtocol.DefaultLiveness);
        int reconnect = a.Int("reconnect-ms", 1000);
        int reconnectMax = a.Int("reconnect-max-ms", 32000);
        int work = a.Int("work-ms", 1000);
        int overload = a.Int("overload-ms", 3000);
        bool failures = !a.Flag("no-failures");
        bool verbose = PirateConsole.Verbose(a);
        var random = PirateConsole.Random(a);
        a.RejectUnknown();
        if (heartbeat < 1 || liveness < 1 || reconnect < 1 || reconnectMax < reconnect)
        {
            throw new ExampleUsageException("--heartbeat-ms, --liveness and --reconnect-ms take 1 or more, --reconnect-max-ms at least --reconnect-ms");
        }

        var options = new ParanoidPirateWorkerOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeat),
            Liveness = liveness,
            ReconnectInterval = TimeSpan.FromMilliseconds(reconnect),
            ReconnectIntervalMax = TimeSpan.FromMilliseconds(reconnectMax),
            Identity = identity.Length > 0 ? System.Text.Encoding.UTF8.GetBytes(identity) : null,
            Observer = e =>
            {
                switch (e.Kind)
                {
                    case PirateEventKind.ReadySent:
                        Console.WriteLine("I: worker ready");
                        break;
                    case PirateEventKind.HeartbeatSent:
                        Console.WriteLine("I: worker heartbeat");
                        break;
                    case PirateEventKind.QueueLost:
                        Console.WriteLine("W: heartbeat failure, can't reach queue");
                        break;
                    case PirateEventKind.Reconnecting:
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"W: reconnecting in {(long)e.Delay.TotalMilliseconds} msec..."));
                        break;
                    case PirateEventKind.InvalidMessage:
                        Console.WriteLine("E: invalid message");
                        PirateConsole.Dump(e.Frames!);
                        break;
                    case PirateEventKind.HeartbeatReceived when verbose:
                        Console.WriteLine("I: queue heartbeat");
                        break;
                    case PirateEventKind.RequestReceived or PirateEventKind.ReplySent when verbose:
                        PirateConsole.Dump(e.Frames!);
                        break;
                }
            },
        };

        using var context = new ZmqContext();
        var worker = new ParanoidPirateWorker(context, endpoint, options);
        int cycles = 0;
        try
        {
            worker.Run(
                request =>
                {
                    // Simulate various problems, after a few cycles (the Guide: one chance in five each).
                    cycles++;
                    if (failures && cycles > 3 && random.Next(5) == 0)
                    {
                        Console.WriteLine("I: simulating a crash");
                        throw new SimulatedCrashException();
                    }

                    if (failures && cycles > 3 && random.Next(5) == 0)
                    {
                        Console.WriteLine("I: simulating CPU overload");
                        Thread.Sleep(overload);
                    }

                    Thread.Sleep(work); // do some heavy work
                    Console.WriteLine("I: normal reply");
                    return request;     // echo
                },
                PirateConsole.CancelOnCtrlC());
        }
        catch (SimulatedCrashException)
        {
            // The Guide's worker breaks out of its loop and exits.
        }

        return 0;
    }
}
