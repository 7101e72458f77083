using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ZmqNative.Examples.Demos;

/// <summary>The asynchronous client/server (Guide chapter 3, asyncsrv): DEALER clients, a ROUTER-DEALER proxy, DEALER workers.</summary>
internal static class AsyncSrvDemo
{
    private const int RequestsEach = 2;
    private static readonly string[] Clients = ["client-A", "client-B"];
    private const int Workers = 3;

    public static DemoPattern Pattern { get; } = new(
        "asyncsrv",
        "asynchronous client/server (DEALER -> ROUTER | DEALER -> DEALER)",
        "No lock-step here: clients send requests without waiting, and workers answer each one\n" +
        "with one to three replies whenever they are ready. A proxy (zmq_proxy) joins the server's\n" +
        "ROUTER frontend to the DEALER its worker threads share; replies arrive in any order.",
        Run);

    private static DemoOutcome Run(DemoLog log)
    {
        using var context = DemoKit.NewContext();
        using var frontend = context.CreateSocket(ZmqSocketType.Router);
        using var backend = context.CreateSocket(ZmqSocketType.Dealer);
        string endpoint = DemoKit.BindLoopback(frontend);
        string backendEndpoint = "inproc://asyncsrv-demo-backend";
        backend.Bind(backendEndpoint);
        log.Say("server", $"ROUTER frontend bound to {endpoint}; {Workers} worker threads on {backendEndpoint}");

        var servers = new DemoThreads(log);
        servers.Start("proxy", () => ZmqProxy.Run(frontend, backend)); // returns when the context is shut down
        for (int w = 1; w <= Workers; w++)
        {
            string name = $"worker-{w}";
            var worker = context.CreateSocket(ZmqSocketType.Dealer);
            worker.Connect(backendEndpoint); // inproc connects at once: the backend deals to all three from the start
            servers.Start(name, () => Work(name, worker, log));
        }

        var clients = new DemoThreads(log);
        var results = new Dictionary<string, ClientResult>(StringComparer.Ordinal);
        foreach (string name in Clients)
        {
            var client = context.CreateSocket(ZmqSocketType.Dealer);
            client.RoutingId = Encoding.ASCII.GetBytes(name);
            client.Connect(endpoint);
            var result = results[name] = new ClientResult();
            clients.Start(name, () => Ask(name, client, result, log));
        }

        clients.Join(DemoKit.Patience * 2);
        context.Shutdown();
        servers.Join(DemoKit.Patience);

        int sent = results.Values.Sum(r => r.Sent);
        int got = results.Values.Sum(r => r.Received);
        int expected = results.Values.Sum(r => r.Expected);
        bool ok = results.Values.All(r => r.Complete) && clients.Failures.Count == 0 && servers.Failures.Count == 0;
        return new DemoOutcome(ok, ok
            ? $"{Clients.Length} clients sent {sent} requests without waiting and got all {got} replies, in whatever order they came"
            : $"the clients got {got} replies; the workers announced {expected}");
    }

    /// <summary>
    /// A client (DEALER): sends its requests a moment apart without waiting for answers, and reads
    /// replies as they come until every request has all the replies its worker announced.
    /// </summary>
    private static void Ask(string name, ZmqSocket client, ClientResult result, DemoLog log)
    {
        using (client)
        {
            var announced = new Dictionary<string, int>(StringComparer.Ordinal); // request -> replies it will get
            var counted = new Dictionary<string, int>(StringComparer.Ordinal);
            var clock = Stopwatch.StartNew();
            while (result.Sent < RequestsEach || announced.Count < RequestsEach || announced.Any(a => counted.GetValueOrDefault(a.Key) < a.Value))
            {
                if (result.Sent < RequestsEach && clock.ElapsedMilliseconds >= result.Sent * 15)
                {
                    string request = $"request #{++result.Sent}";
                    log.Say(name, $"-> {DemoKit.Quote(request)}");
                    client.Send(request); // a DEALER sends no delimiter and need not wait
                    continue;
                }

                if (clock.Elapsed > DemoKit.Patience)
                {
                    throw new DemoFailure("still waiting for replies after " + DemoKit.Patience.TotalSeconds + " s");
                }

                if (!client.TryReceiveString(TimeSpan.FromMilliseconds(5), out string? reply))
                {
                    continue;
                }

                // "request #1: reply 2 of 3"
                log.Say(name, $"<- {DemoKit.Quote(reply!)}");
                string request1 = reply![..reply!.IndexOf(':', StringComparison.Ordinal)];
                announced[request1] = int.Parse(reply[(reply.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                counted[request1] = counted.GetValueOrDefault(request1) + 1;
                result.Received++;
            }

            result.Expected = announced.Values.Sum();
            result.Complete = true;
        }
    }

    /// <summary>A worker (DEALER): for each request, one to three replies, each after a short random pause.</summary>
    private static void Work(string name, ZmqSocket worker, DemoLog log)
    {
        using (worker)
        {
            while (true)
            {
                var message = worker.ReceiveMultipart(); // [client identity][request]; ETERM when the demo is over
                string client = Encoding.ASCII.GetString(message[0]);
                string request = Encoding.UTF8.GetString(message[1]);
                int replies = Random.Shared.Next(1, 4);
                log.Say(name, $"<- {client}'s {DemoKit.Quote(request)}; will answer {replies} time{(replies > 1 ? "s" : string.Empty)}");
                for (int r = 1; r <= replies; r++)
                {
                    Thread.Sleep(Random.Shared.Next(5, 25));
                    worker.SendMultipart([message[0], Encoding.UTF8.GetBytes($"{request}: reply {r} of {replies}")]);
                }
            }
        }
    }

    /// <summary>A client's counts; written by its thread, read after it ended.</summary>
    private sealed class ClientResult
    {
        public int Sent { get; set; }

        public int Received { get; set; }

        public int Expected { get; set; }

        public bool Complete { get; set; }
    }
}
