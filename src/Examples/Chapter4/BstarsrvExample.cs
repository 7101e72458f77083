using ZmqNative.Examples.Support;
using ZmqNative.Patterns.BinaryStar;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// bstarsrv: the Binary Star proof of concept (Guide chapter 4, "Binary Star Implementation"): one server of a
/// primary/backup pair, written out as one poll loop like the Guide's, with the state machine from
/// <see cref="BinaryStarStateMachine"/>. Three sockets: PUB for our state, SUB for the peer's, ROUTER for clients,
/// whose requests it echoes while active and drops otherwise (so the client fails over). Exit code 1 when the pair
/// is in conflict (dual actives, ...), which the Guide reports and aborts on. Runs until Ctrl-C.
/// </summary>
[Example("bstarsrv", 4, "Binary Star server, proof of concept: primary/backup failover with the state machine in the main loop",
    "zguide bstarsrv " + BinaryStarConsole.ServerUsage)]
internal static class BstarsrvExample
{
    public static int Run(string[] args)
    {
        var s = BinaryStarConsole.ParseServer(args, "bstarsrv");
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var statePub = context.CreateSocket(ZmqSocketType.Pub);
        using var stateSub = context.CreateSocket(ZmqSocketType.Sub);
        using var frontend = context.CreateSocket(ZmqSocketType.Router);
        stateSub.Subscribe(string.Empty);
        BinaryStarConsole.Starting(s.Primary);
        frontend.Bind(s.Frontend);
        statePub.Bind(s.StateBind);
        stateSub.Connect(s.StateConnect);
        var fsm = new BinaryStarStateMachine(s.Primary, TimeSpan.FromMilliseconds(s.HeartbeatMs));

        using var poller = new ZmqPoller();
        poller.Add(frontend, ZmqPollEvents.In);
        poller.Add(stateSub, ZmqPollEvents.In);
        long sendStateAt = Environment.TickCount64 + s.HeartbeatMs;
        while (!cancel.IsCancellationRequested)
        {
            // Wake at least every 100 ms so Ctrl-C is noticed even with a long heartbeat.
            long timeLeft = Math.Clamp(sendStateAt - Environment.TickCount64, 0, 100);
            poller.Wait(TimeSpan.FromMilliseconds(timeLeft));

            // Peer state first: if it just became active, its word must count before a client's vote.
            if (poller.IsReady(stateSub))
            {
                var message = stateSub.ReceiveMultipart();
                if (message.Count == 1 && BinaryStarStateMachine.TryParseState(message[0], out var peer))
                {
                    if (s.Verbose)
                    {
                        Console.WriteLine($"D: peer state: {(int)peer}");
                    }

                    var t = fsm.Apply(peer);
                    BinaryStarConsole.Transition(t);
                    if (t.IsConflict)
                    {
                        return 1;
                    }

                    if (t.Outcome == BinaryStarOutcome.Changed)
                    {
                        statePub.Send(BinaryStarStateMachine.FormatState(fsm.State));
                    }
                }
            }

            if (poller.IsReady(frontend))
            {
                // Have a client request: answer by echoing it, if the state machine lets us.
                var request = frontend.ReceiveMultipart();
                var t = fsm.Apply(BinaryStarEvent.ClientRequest);
                BinaryStarConsole.Transition(t);
                if (t.Serve)
                {
                    if (t.Outcome == BinaryStarOutcome.Changed)
                    {
                        statePub.Send(BinaryStarStateMachine.FormatState(fsm.State));
                    }

                    frontend.SendMultipart(request);
                }
                else if (s.Verbose)
                {
                    Console.WriteLine($"D: request refused while {fsm.State}");
                }
            }

            // Time to tell the peer our state.
            if (Environment.TickCount64 >= sendStateAt)
            {
                statePub.Send(BinaryStarStateMachine.FormatState(fsm.State));
                sendStateAt = Environment.TickCount64 + s.HeartbeatMs;
            }
        }

        Console.WriteLine("W: interrupted");
        return 0;
    }
}
