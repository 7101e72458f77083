using System.Diagnostics;
using System.Text;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// asyncsrv: an asynchronous client/server (Guide chapter 3, "The Asynchronous Client/Server
/// Pattern"). Clients are DEALER sockets that send a request every tick and print whatever comes
/// back, whenever it comes. The server is a ROUTER frontend joined by a proxy to a DEALER backend,
/// behind which worker threads (DEALER) answer each request with zero to four replies after random
/// delays: one client talks to many workers at once, and nobody waits in lock-step.
/// </summary>
/// <remarks>
/// As in the Guide, clients, server and workers are actors of one process and the whole runs
/// for five seconds. At the end each client prints how many requests it sent and replies it got.
/// </remarks>
[Example("asyncsrv", 3, "asynchronous client/server: DEALER clients, ROUTER-DEALER proxy, DEALER worker threads",
    "zguide asyncsrv [--bind tcp://*:5570] [--connect tcp://localhost:5570] [--clients 3] [--workers 5] [--seconds 5] [--tick-ms 1000] [--delay-ms 1000] [--max-replies 4]")]
internal static class AsyncsrvExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        var settings = new Settings(
            a.Text("bind", "tcp://*:5570"),
            a.Text("connect", "tcp://localhost:5570"),
            a.Int("workers", 5),
            a.Int("tick-ms", 1000),
            a.Int("delay-ms", 1000),
            a.Int("max-replies", 4));
        int clientCount = a.Int("clients", 3);
        int seconds = a.Int("seconds", 5);
        a.RejectUnknown();
        if (clientCount < 1 || settings.Workers < 1 || seconds < 0 || settings.TickMs < 1 || settings.DelayMs < 1 || settings.MaxReplies < 0)
        {
            throw new ExampleUsageException("--clients, --workers, --tick-ms and --delay-ms take 1 or more, --seconds and --max-replies 0 or more");
        }

        using var context = new ZmqContext();
        var clients = Enumerable.Range(0, clientCount).Select(_ => new ClientState(FrameDump.RandomIdentity())).ToList();
        var clientActors = clients.Select(c => new ZmqActor(context, pipe => Client(pipe, context, settings, c))).ToList();
        var server = new ZmqActor(context, pipe => Server(pipe, context, settings));

        Thread.Sleep(TimeSpan.FromSeconds(seconds)); // run for a while, then quit

        server.Dispose();
        clientActors.ForEach(c => c.Dispose()); // after this the clients' counts are final
        foreach (var client in clients)
        {
            Console.WriteLine($"{client.Identity}: sent {client.Sent} requests, received {client.Received} replies");
        }

        return 0;
    }

    /// <summary>The client: every tick it sends "request #N"; in between it prints replies as they arrive.</summary>
    private static void Client(ZmqActorPipe pipe, ZmqContext context, Settings settings, ClientState state)
    {
        pipe.SignalReady();
        using var client = context.CreateSocket(ZmqSocketType.Dealer);
        client.RoutingId = Encoding.ASCII.GetBytes(state.Identity); // must be set before connecting
        client.Connect(settings.Connect);

        using var poller = new ZmqPoller();
        poller.Add(pipe.Socket, ZmqPollEvents.In);
        poller.Add(client, ZmqPollEvents.In);
        var tick = Stopwatch.StartNew();
        while (true)
        {
            long left = settings.TickMs - tick.ElapsedMilliseconds;
            if (left <= 0)
            {
                client.Send($"request #{++state.Sent}");
                tick.Restart();
                continue;
            }

            poller.Wait(TimeSpan.FromMilliseconds(left));
            if (poller.IsReady(pipe.Socket))
            {
                return; // "$TERM"
            }

            if (poller.IsReady(client))
            {
                var reply = client.ReceiveMultipart();
                state.Received++;
                Console.WriteLine($"{state.Identity} {FrameDump.Format(reply[^1])}");
            }
        }
    }

    /// <summary>
    /// The server: frontend and backend joined by zmq_proxy_steerable on a thread of its own, and a
    /// pool of workers (the precise number is not critical). It runs until its owner stops it.
    /// </summary>
    private static void Server(ZmqActorPipe pipe, ZmqContext context, Settings settings)
    {
        string backendEndpoint = "inproc://backend";
        string controlEndpoint = "inproc://backend-control";
        using var frontend = context.CreateSocket(ZmqSocketType.Router);
        using var backend = context.CreateSocket(ZmqSocketType.Dealer);
        using var control = context.CreateSocket(ZmqSocketType.Pair);
        frontend.Bind(settings.Bind);
        backend.Bind(backendEndpoint);
        control.Bind(controlEndpoint);

        var workers = Enumerable.Range(0, settings.Workers)
            .Select(_ => new ZmqActor(context, workerPipe => Worker(workerPipe, context, backendEndpoint, settings)))
            .ToList();
        var proxy = new Thread(() => ZmqProxy.RunSteerable(frontend, backend, null, control)) { Name = "asyncsrv proxy" };
        proxy.Start();
        pipe.SignalReady();

        pipe.Socket.ReceiveBytes(); // "$TERM": time to stop

        using (var steer = new ZmqProxyControl(context, controlEndpoint))
        {
            steer.Terminate();
        }

        proxy.Join();
        workers.ForEach(w => w.Dispose());
    }

    /// <summary>A worker: for each request, zero to four copies of it back, each after a random pause.</summary>
    private static void Worker(ZmqActorPipe pipe, ZmqContext context, string endpoint, Settings settings)
    {
        pipe.SignalReady();
        using var worker = context.CreateSocket(ZmqSocketType.Dealer);
        worker.Connect(endpoint);
        using var poller = new ZmqPoller();
        poller.Add(pipe.Socket, ZmqPollEvents.In);
        poller.Add(worker, ZmqPollEvents.In);
        while (true)
        {
            poller.Wait(Timeout.InfiniteTimeSpan);
            if (poller.IsReady(pipe.Socket))
            {
                return;
            }

            // The DEALER gets the ROUTER's envelope with the request: [client identity][content].
            var message = worker.ReceiveMultipart();
            int replies = Random.Shared.Next(settings.MaxReplies + 1);
            for (int reply = 0; reply < replies; reply++)
            {
                // Sleep for some fraction of a second, listening to the pipe meanwhile.
                int pause = Random.Shared.Next(settings.DelayMs) + 1;
                if (pipe.Socket.Poll(ZmqPollEvents.In, TimeSpan.FromMilliseconds(pause)) != ZmqPollEvents.None)
                {
                    return;
                }

                worker.TrySendMultipart(message); // as the Guide: don't wait if the queue is full
            }
        }
    }

    private sealed record Settings(string Bind, string Connect, int Workers, int TickMs, int DelayMs, int MaxReplies);

    /// <summary>A client's name and counts; written by its actor, read by the main thread after the actor ended.</summary>
    private sealed class ClientState(string identity)
    {
        public string Identity { get; } = identity;

        public int Sent { get; set; }

        public int Received { get; set; }
    }
}
