using System.Collections.Concurrent;
using System.Text;
using ZmqNative.Examples.Chapter3;

namespace ZmqNative.Examples.Demos;

/// <summary>The load-balancing broker (Guide chapter 3, lbbroker), with its core shared with <c>zguide lbbroker</c>.</summary>
internal static class LbBrokerDemo
{
    private const int Clients = 6;
    private const int Workers = 3;

    public static DemoPattern Pattern { get; } = new(
        "lbbroker",
        "load-balancing broker (REQ -> ROUTER | ROUTER <- REQ)",
        "Workers tell the broker when they are ready; the broker keeps a queue of idle workers and\n" +
        "gives each request to the one that has waited longest, so a slow worker never holds up\n" +
        "the others. Requests wait in ZeroMQ's queues while every worker is busy.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        using var frontend = context.CreateSocket(ZmqSocketType.Router);
        using var backend = context.CreateSocket(ZmqSocketType.Router);
        string frontendEndpoint = DemoKit.BindLoopback(frontend);
        string backendEndpoint = DemoKit.BindLoopback(backend);
        log.Say("broker", $"ROUTER frontend bound to {frontendEndpoint}, ROUTER backend to {backendEndpoint}");

        var servers = new DemoThreads(log);
        for (int w = 1; w <= Workers; w++)
        {
            string name = $"worker-{w}";
            var worker = context.CreateSocket(ZmqSocketType.Req);
            worker.RoutingId = Encoding.ASCII.GetBytes(name);
            worker.Connect(backendEndpoint);
            servers.Start(name, () => Work(name, worker));
        }

        var replies = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var clients = new DemoThreads(log);
        int ready = 0;
        var idle = new List<string>();
        var broker = new LoadBalancingBroker(frontend, backend)
        {
            WorkerReady = worker =>
            {
                string name = Encoding.ASCII.GetString(worker);
                idle.Add(name);
                log.Say("broker", $"{name} says READY   (idle: {string.Join(", ", idle)})");
                if (++ready == Workers)
                {
                    log.Say("broker", $"all workers ready; {Clients} clients each send one request");
                    for (int c = 1; c <= Clients; c++)
                    {
                        StartClient($"client-{c}", context, frontendEndpoint, clients, replies, log);
                    }
                }
            },
            RequestRouted = (client, worker, _) =>
            {
                string name = Encoding.ASCII.GetString(worker);
                idle.Remove(name);
                string queue = idle.Count == 0 ? "none, the next requests wait" : string.Join(", ", idle);
                log.Say("broker", $"{Encoding.ASCII.GetString(client)}'s request -> {name}   (idle: {queue})");
            },
            ReplyRouted = (worker, _, _) => idle.Add(Encoding.ASCII.GetString(worker)),
        };

        bool finished = broker.Run(Clients, DemoKit.Patience);
        clients.Join(DemoKit.Patience);
        context.Shutdown();
        servers.Join(DemoKit.Patience);

        var byWorker = Enumerable.Range(1, Workers).Select(w => $"worker-{w}")
            .ToDictionary(w => w, w => replies.Values.Count(r => r.EndsWith(w, StringComparison.Ordinal)));
        string spread = string.Join(", ", byWorker.Select(p => $"{p.Key}: {p.Value}"));
        bool ok = finished && replies.Count == Clients && byWorker.Values.All(n => n > 0)
            && clients.Failures.Count == 0 && servers.Failures.Count == 0;
        return new DemoOutcome(ok, ok
            ? $"{Clients} clients served by {Workers} workers ({spread})"
            : $"{replies.Count} of {Clients} clients answered ({spread})");
    }

    private static void StartClient(string name, ZmqContext context, string endpoint, DemoThreads clients, ConcurrentDictionary<string, string> replies, DemoLog log)
    {
        var client = context.CreateSocket(ZmqSocketType.Req);
        client.RoutingId = Encoding.ASCII.GetBytes(name);
        client.Connect(endpoint);
        clients.Start(name, () =>
        {
            using (client)
            {
                client.Send("HELLO");
                string reply = DemoKit.Receive(client, "reply");
                log.Say(name, $"<- {DemoKit.Quote(reply)}");
                replies[name] = reply;
            }
        });
    }

    /// <summary>A worker (REQ): READY, then for each request a little work and a reply naming itself.</summary>
    private static void Work(string name, ZmqSocket worker)
    {
        using (worker)
        {
            worker.Send(LoadBalancingBroker.ReadySignal);
            while (true)
            {
                var request = worker.ReceiveMultipart(); // [client][""][HELLO]; ends with ETERM when the demo is over
                Thread.Sleep(Random.Shared.Next(5, 30)); // some work, of varying length
                worker.SendMultipart([request[0], [], Encoding.ASCII.GetBytes($"OK from {name}")]);
            }
        }
    }
}
