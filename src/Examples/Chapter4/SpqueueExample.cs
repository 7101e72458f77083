using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// spqueue: the Simple Pirate queue (Guide chapter 4, "Basic Reliable Queuing"), on
/// <see cref="SimplePirateQueue"/>: the load-balancing broker, with no reliability of its own; the
/// Lazy Pirate client's retries do the work. Runs until Ctrl-C. <c>-v</c> traces the messages it routes.
/// </summary>
[Example("spqueue", 4, "Simple Pirate queue: a load-balancing ROUTER-ROUTER broker for lpclient and spworker",
    "zguide spqueue [--frontend tcp://*:5555] [--backend tcp://*:5556] [--max-message-kb 1024] [-v]")]
internal static class SpqueueExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        string frontend = a.Text("frontend", SimplePirateQueue.DefaultFrontend);
        string backend = a.Text("backend", SimplePirateQueue.DefaultBackend);
        long? maxMessageSize = PirateConsole.MaxMessageSize(a);
        bool verbose = PirateConsole.Verbose(a);
        a.RejectUnknown();

        var options = new SimplePirateQueueOptions
        {
            MaxMessageSize = maxMessageSize,
            Observer = e =>
            {
                if (e.Kind == PirateEventKind.InvalidMessage)
                {
                    Console.WriteLine("E: invalid message from worker");
                    PirateConsole.Dump(e.Frames!);
                }
                else if (verbose)
                {
                    PirateConsole.TraceQueue(e);
                }
            },
        };

        using var context = new ZmqContext();
        using var queue = new SimplePirateQueue(context, frontend, backend, options);
        queue.Run(PirateConsole.CancelOnCtrlC());
        return 0;
    }

}
