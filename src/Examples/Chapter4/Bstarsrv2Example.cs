using ZmqNative.Patterns.BinaryStar;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// bstarsrv2: the Binary Star server on the reactor (Guide chapter 4, "Binary Star Reactor"), i.e. on
/// <see cref="BinaryStarServer"/>: the application is an echo service registered as the voter; the reactor does the
/// heartbeats, the failover and the refusals. Exit code 1 when the pair is in conflict (dual actives, ...). Runs until Ctrl-C.
/// </summary>
[Example("bstarsrv2", 4, "Binary Star server on the reusable reactor: an echo service with primary/backup failover",
    "zguide bstarsrv2 " + BinaryStarConsole.ServerUsage)]
internal static class Bstarsrv2Example
{
    public static int Run(string[] args)
    {
        var s = BinaryStarConsole.ParseServer(args, "bstarsrv2");
        var options = new BinaryStarServerOptions
        {
            Heartbeat = TimeSpan.FromMilliseconds(s.HeartbeatMs),
            Observer = e =>
            {
                if (e.Kind == BinaryStarServerEventKind.Transition)
                {
                    BinaryStarConsole.Transition(e.Transition);
                }
                else if (s.Verbose)
                {
                    BinaryStarConsole.Trace(e);
                }
            },
        };

        using var context = new ZmqContext();
        BinaryStarConsole.Starting(s.Primary);
        using var star = new BinaryStarServer(context, s.Primary, s.StateBind, s.StateConnect, options);
        // Echo service: the request goes back with its envelope.
        star.RegisterVoter(s.Frontend, (frontend, request) => frontend.SendMultipart(request));
        try
        {
            star.Run(PirateConsole.CancelOnCtrlC());
        }
        catch (BinaryStarConflictException)
        {
            // Already printed by the observer, as the Guide's "E: fatal error - dual actives, aborting".
            return 1;
        }

        Console.WriteLine("W: interrupted");
        return 0;
    }
}
