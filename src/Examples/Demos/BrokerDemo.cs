namespace ZmqNative.Examples.Demos;

/// <summary>A request-reply broker: ROUTER frontend, DEALER backend, a poll loop between (Guide chapter 2, rrbroker).</summary>
internal static class BrokerDemo
{
    private const int RequestsEach = 2;
    private static readonly string[] Clients = ["client-A", "client-B"];
    private static readonly string[] Workers = ["worker-1", "worker-2"];

    public static DemoPattern Pattern { get; } = new(
        "broker",
        "request-reply broker (REQ -> ROUTER | DEALER -> REP)",
        "Two clients and two workers never meet: a broker in the middle polls both sides and\n" +
        "moves whole messages across. The ROUTER puts the client's identity in front of each\n" +
        "request (shown below as frames: [size] content), and that is how each reply finds its way back.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        using var frontend = context.CreateSocket(ZmqSocketType.Router);
        using var backend = context.CreateSocket(ZmqSocketType.Dealer);
        string frontendEndpoint = DemoKit.BindLoopback(frontend);
        string backendEndpoint = DemoKit.BindLoopback(backend);
        log.Say("broker", $"ROUTER frontend bound to {frontendEndpoint}, DEALER backend to {backendEndpoint}");

        var threads = new DemoThreads(log);
        using (var watch = DemoKit.WatchHandshakes(backend))
        {
            foreach (string name in Workers)
            {
                var worker = context.CreateSocket(ZmqSocketType.Rep);
                worker.Connect(backendEndpoint);
                threads.Start(name, () => Work(name, worker, log));
            }

            // The DEALER deals requests round-robin to the workers it has; wait until it has both.
            DemoKit.WaitForHandshakes(watch, Workers.Length, "workers");
        }

        log.Say("broker", "both workers connected; polling frontend and backend");
        threads.Start("broker", () => Broker(frontend, backend, log));

        var answers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var clients = new DemoThreads(log);
        foreach (string name in Clients)
        {
            var client = context.CreateSocket(ZmqSocketType.Req);
            client.RoutingId = System.Text.Encoding.ASCII.GetBytes(name); // a readable identity for the frames below
            client.Connect(frontendEndpoint);
            var mine = answers[name] = [];
            clients.Start(name, () =>
            {
                using (client)
                {
                    for (int i = 1; i <= RequestsEach; i++)
                    {
                        string request = $"Hello {i}";
                        log.Say(name, $"-> {DemoKit.Quote(request)}");
                        client.Send(request);
                        string reply = DemoKit.Receive(client, "reply");
                        log.Say(name, $"<- {DemoKit.Quote(reply)}");
                        mine.Add(reply);
                    }
                }
            });
        }

        clients.Join(DemoKit.Patience * 2);
        context.Shutdown();
        threads.Join(DemoKit.Patience);

        int replies = answers.Values.Sum(a => a.Count);
        var byWorker = Workers.ToDictionary(w => w, w => answers.Values.SelectMany(a => a).Count(r => r.EndsWith(w, StringComparison.Ordinal)));
        int expected = Clients.Length * RequestsEach;
        bool ok = replies == expected && clients.Failures.Count == 0 && threads.Failures.Count == 0;
        string spread = string.Join(", ", byWorker.Select(p => $"{p.Key}: {p.Value}"));
        return new DemoOutcome(ok, ok
            ? $"{expected} requests from {Clients.Length} clients, {replies} replies ({spread})"
            : $"{replies} of {expected} requests answered");
    }

    /// <summary>The broker: whatever arrives on one side goes out, whole, on the other.</summary>
    private static void Broker(ZmqSocket frontend, ZmqSocket backend, DemoLog log)
    {
        using var poller = new ZmqPoller();
        poller.Add(frontend, ZmqPollEvents.In);
        poller.Add(backend, ZmqPollEvents.In);
        while (true)
        {
            poller.Wait(Timeout.InfiniteTimeSpan); // ends with ETERM when the demo is over
            if (poller.IsReady(frontend))
            {
                var request = frontend.ReceiveMultipart();
                log.Say("broker", $"frontend -> backend: {Chapter3.FrameDump.OneLine(request)}");
                backend.SendMultipart(request);
            }

            if (poller.IsReady(backend))
            {
                var reply = backend.ReceiveMultipart();
                log.Say("broker", $"backend -> frontend: {Chapter3.FrameDump.OneLine(reply)}");
                frontend.SendMultipart(reply);
            }
        }
    }

    /// <summary>A worker: a plain REP socket; it never sees the envelope, the REP keeps it for the reply.</summary>
    private static void Work(string name, ZmqSocket worker, DemoLog log)
    {
        using (worker)
        {
            while (true)
            {
                string request = worker.ReceiveString();
                string reply = $"World from {name}";
                log.Say(name, $"<- {DemoKit.Quote(request)}, answers {DemoKit.Quote(reply)}");
                worker.Send(reply);
            }
        }
    }
}
