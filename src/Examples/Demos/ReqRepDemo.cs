namespace ZmqNative.Examples.Demos;

/// <summary>Request-reply: a REQ client and a REP server take turns (Guide chapter 1, hwclient/hwserver).</summary>
internal static class ReqRepDemo
{
    private const int Requests = 3;

    public static DemoPattern Pattern { get; } = new(
        "reqrep",
        "request-reply (REQ -> REP)",
        "A client asks, a server answers. REQ and REP take strict turns: each request gets\n" +
        "exactly one reply, and the client cannot send again before that reply is in.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        using var server = context.CreateSocket(ZmqSocketType.Rep);
        string endpoint = DemoKit.BindLoopback(server);
        log.Say("server", $"REP socket bound to {endpoint}");

        var threads = new DemoThreads(log);
        threads.Start("server", () =>
        {
            for (int i = 0; i < Requests; i++)
            {
                string request = DemoKit.Receive(server, "request");
                string reply = request.Replace("Hello", "World", StringComparison.Ordinal);
                log.Say("server", $"<- {DemoKit.Quote(request)}, answers {DemoKit.Quote(reply)}");
                server.Send(reply);
            }
        });

        using var client = context.CreateSocket(ZmqSocketType.Req);
        client.Connect(endpoint);
        log.Say("client", "REQ socket connected");
        int answered = 0;
        for (int i = 1; i <= Requests; i++)
        {
            string request = $"Hello {i}";
            log.Say("client", $"-> {DemoKit.Quote(request)}");
            client.Send(request);
            if (i == 1)
            {
                // REQ is a state machine (zmq_socket(3)): a second send before the reply is refused.
                try
                {
                    client.Send("impatient");
                    log.Say("client", "sent twice in a row?! REQ should have refused");
                }
                catch (ZmqException e) when (e.Error == ZmqErrorCode.EFSM)
                {
                    log.Say("client", "tries to send again at once: refused (EFSM) - a REQ waits for its reply");
                }
            }

            if (!client.TryReceiveString(DemoKit.Patience, out string? reply))
            {
                log.Say("client", "no reply - giving up");
                break;
            }

            log.Say("client", $"<- {DemoKit.Quote(reply!)}");
            if (reply == $"World {i}")
            {
                answered++;
            }
        }

        threads.Join(DemoKit.Patience);
        bool ok = answered == Requests && threads.Failures.Count == 0;
        return new DemoOutcome(ok, ok
            ? $"{Requests} requests, {Requests} replies, strictly in turn"
            : $"{answered} of {Requests} requests answered");
    }
}
