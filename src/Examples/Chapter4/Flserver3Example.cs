using ZmqNative.Examples.Support;
using ZmqNative.Patterns.Freelance;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// flserver3: the Freelance model-three server (Guide chapter 4, "Model Three: Complex and Nasty";
/// RFC 10/FLP), on <see cref="FreelanceServer"/>: a ROUTER whose identity is its public endpoint;
/// answers PING with PONG and a request <c>[control][body]</c> with <c>[control]["OK"]</c>. <c>-v</c>
/// dumps every message in and out, as the Guide's does. Runs until Ctrl-C.
/// </summary>
[Example("flserver3", 4, "Freelance server, model three: ROUTER with its endpoint as identity, PING/PONG (RFC 10/FLP)",
    "zguide flserver3 [--bind tcp://*:5555] [--connect tcp://localhost:5555] [-v]")]
internal static class Flserver3Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "verbose");
        string bind = a.Text("bind", "tcp://*:5555");
        string connect = a.Text("connect", "tcp://localhost:5555");
        bool verbose = PirateConsole.Verbose(a);
        a.RejectUnknown();

        var options = new FreelanceServerOptions
        {
            Observer = e =>
            {
                if (verbose && e.Kind is FreelanceEventKind.RequestReceived or FreelanceEventKind.ReplySent)
                {
                    PirateConsole.Dump(e.Frames!);
                }
            },
        };

        using var context = new ZmqContext();
        using var server = new FreelanceServer(context, bind, connect, options);
        Console.WriteLine($"I: service is ready at {bind}");
        var stop = PirateConsole.CancelOnCtrlC();
        server.Run(_ => ["OK"u8.ToArray()], stop);
        Console.WriteLine("W: interrupted");
        return 0;
    }
}
