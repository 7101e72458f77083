using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// spworker: the Simple Pirate worker (Guide chapter 4), on <see cref="SimplePirateWorker"/>: a REQ
/// worker with a random printable identity that says READY and echoes requests. After three requests
/// it now and then simulates a crash (it exits) or CPU overload (it answers 3 s late);
/// <c>--no-failures</c> turns that off, <c>--seed</c> makes it repeatable. <c>-v</c> traces frames.
/// </summary>
[Example("spworker", 4, "Simple Pirate worker: REQ worker that says READY, echoes, and randomly crashes or stalls",
    "zguide spworker [--connect tcp://localhost:5556] [--identity NAME] [--work-ms 1000] [--overload-ms 3000] [--no-failures] [--seed N] [-v]")]
internal static class SpworkerExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "no-failures", "verbose");
        string endpoint = a.Text("connect", SimplePirateWorker.DefaultEndpoint);
        string identity = a.Text("identity", string.Empty);
        int work = a.Int("work-ms", 1000);
        int overload = a.Int("overload-ms", 3000);
        bool failures = !a.Flag("no-failures");
        bool verbose = PirateConsole.Verbose(a);
        var random = PirateConsole.Random(a);
        a.RejectUnknown();

        var options = new SimplePirateWorkerOptions
        {
            Identity = identity.Length > 0 ? System.Text.Encoding.UTF8.GetBytes(identity) : null,
            Observer = e =>
            {
                if (e.Kind == PirateEventKind.ReadySent)
                {
                    Console.WriteLine($"I: ({e.Peer}) worker ready");
                }
                else if (e.Kind == PirateEventKind.InvalidMessage)
                {
                    Console.WriteLine($"E: ({e.Peer}) invalid message");
                    PirateConsole.Dump(e.Frames!);
                }
                else if (verbose && e.Kind is PirateEventKind.RequestReceived or PirateEventKind.ReplySent)
                {
                    PirateConsole.Dump(e.Frames!);
                }
            },
        };

        using var context = new ZmqContext();
        var worker = new SimplePirateWorker(context, endpoint, options);
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
                        Console.WriteLine($"I: ({worker.Identity}) simulating a crash");
                        throw new SimulatedCrashException();
                    }

                    if (failures && cycles > 3 && random.Next(5) == 0)
                    {
                        Console.WriteLine($"I: ({worker.Identity}) simulating CPU overload");
                        Thread.Sleep(overload);
                    }

                    Console.WriteLine($"I: ({worker.Identity}) normal reply");
                    Thread.Sleep(work); // do some heavy work
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
