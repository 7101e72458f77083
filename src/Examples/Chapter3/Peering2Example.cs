using System.Text;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// peering2: the request flow between brokers (Guide chapter 3, "Prototyping the Local and Cloud
/// Flows"). Each broker has local clients and workers (threads, REQ sockets) on ROUTER sockets at
/// <c>ipc://NAME-localfe.ipc</c> and <c>ipc://NAME-localbe.ipc</c>, and two cloud sockets named
/// after itself: a ROUTER frontend at <c>ipc://NAME-cloud.ipc</c> where peers send it requests as
/// if they were clients, and a ROUTER backend connected to every peer's cloud frontend, where it
/// sends them requests as if they were workers. Of the local requests it sends one in five to a
/// random peer; requests from peers it serves locally. Run two: <c>zguide peering2 me you</c>
/// and <c>zguide peering2 you me</c>, and press Enter in each once both run.
/// </summary>
/// <remarks>
/// <para>The Guide waits for Enter before it starts its clients and workers; <c>--no-wait</c> starts at once.</para>
/// <para>The Guide's broker drops a request it sends to a peer that is not connected (yet): that client
/// then waits forever. This port sets ZMQ_ROUTER_MANDATORY on the cloud backend (zmq_setsockopt(3)),
/// so such a send fails with EHOSTUNREACH at once, and serves the request locally instead.</para>
/// </remarks>
[Example("peering2", 3, "broker peering, part 2: requests flow to local workers and, now and then, to a peer broker's",
    "zguide peering2 me {you}... [--ipc-dir DIR] [--no-wait] [--clients 10] [--workers 3] [--interval-ms 1000] [--cloud-percent 20]")]
internal static class Peering2Example
{
    private static readonly byte[] WorkerReady = [0x01];

    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args, "no-wait");
        string directory = a.Text("ipc-dir", string.Empty);
        bool noWait = a.Flag("no-wait");
        int clientCount = a.Int("clients", 10);
        int workerCount = a.Int("workers", 3);
        int intervalMs = a.Int("interval-ms", 1000);
        int cloudPercent = a.Int("cloud-percent", 20);
        a.RejectUnknown();
        if (a.Positional.Count < 1)
        {
            Console.WriteLine("syntax: peering2 me {you}...");
            return 0;
        }

        if (clientCount < 0 || workerCount < 0 || intervalMs < 0 || cloudPercent is < 0 or > 100)
        {
            throw new ExampleUsageException("--clients, --workers and --interval-ms take 0 or more, --cloud-percent 0 to 100");
        }

        string self = a.Positional[0];
        var peers = a.Positional.Skip(1).ToList();
        var peerNames = peers.Select(Encoding.UTF8.GetBytes).ToList();
        Console.WriteLine($"I: preparing broker at {self}...");

        using var context = new ZmqContext();

        // The cloud frontend: peers connect here and send us requests. Its identity is our name,
        // which is how a peer's cloud backend addresses us.
        using var cloudfe = context.CreateSocket(ZmqSocketType.Router);
        cloudfe.RoutingId = Encoding.UTF8.GetBytes(self);
        cloudfe.Bind(PeeringEndpoints.For(directory, self, "cloud"));

        // The cloud backend: connected to every peer's cloud frontend; we address them by name.
        using var cloudbe = context.CreateSocket(ZmqSocketType.Router);
        cloudbe.RoutingId = Encoding.UTF8.GetBytes(self);
        cloudbe.RouterMandatory = true; // EHOSTUNREACH instead of a silent drop for an absent peer
        foreach (string peer in peers)
        {
            Console.WriteLine($"I: connecting to cloud frontend at '{peer}'");
            cloudbe.Connect(PeeringEndpoints.For(directory, peer, "cloud"));
        }

        // The local frontend and backend, for our own clients and workers.
        string localfeEndpoint = PeeringEndpoints.For(directory, self, "localfe");
        string localbeEndpoint = PeeringEndpoints.For(directory, self, "localbe");
        using var localfe = context.CreateSocket(ZmqSocketType.Router);
        localfe.Bind(localfeEndpoint);
        using var localbe = context.CreateSocket(ZmqSocketType.Router);
        localbe.Bind(localbeEndpoint);

        if (!noWait)
        {
            Console.Write("Press Enter when all brokers are started: ");
            Console.Out.Flush();
            Console.ReadLine();
        }

        for (int i = 0; i < workerCount; i++)
        {
            StartBackground(() => Worker(context, localbeEndpoint));
        }

        for (int i = 0; i < clientCount; i++)
        {
            StartBackground(() => Client(context, localfeEndpoint, intervalMs));
        }

        // The interesting part: the request-reply flow. Workers are always read; clients (local
        // and cloud) only while a local worker is idle.
        var workers = new Queue<byte[]>();
        using var backends = new ZmqPoller();
        backends.Add(localbe, ZmqPollEvents.In);
        backends.Add(cloudbe, ZmqPollEvents.In);
        using var frontends = new ZmqPoller();
        frontends.Add(cloudfe, ZmqPollEvents.In); // peers first, so they are not starved
        frontends.Add(localfe, ZmqPollEvents.In);
        while (true)
        {
            // First route any waiting replies. With no idle worker there is nothing else to do, so wait as long as it takes.
            if (backends.Wait(workers.Count > 0 ? TimeSpan.FromSeconds(1) : Timeout.InfiniteTimeSpan) > 0)
            {
                List<byte[]>? reply = null;
                if (backends.IsReady(localbe))
                {
                    reply = localbe.ReceiveMultipart();
                    workers.Enqueue(Unwrap(reply));
                    if (reply.Count == 0 || reply[0].AsSpan().SequenceEqual(WorkerReady))
                    {
                        reply = null; // a READY goes no further; nor does an envelope with nothing after it
                    }
                }
                else if (backends.IsReady(cloudbe))
                {
                    reply = cloudbe.ReceiveMultipart();
                    Unwrap(reply); // the peer broker's name: not needed
                    if (reply.Count == 0)
                    {
                        reply = null; // an envelope with nothing after it: nothing to route
                    }
                }

                if (reply is not null)
                {
                    // A reply whose address is a peer broker goes back to that broker; the others to our clients.
                    bool toPeer = peerNames.Any(p => reply[0].AsSpan().SequenceEqual(p));
                    (toPeer ? cloudfe : localfe).SendMultipart(reply);
                }
            }

            // Now route as many requests as we have idle workers for. Peers' requests are served
            // here; our own go to a random peer some of the time, to try the cloud out.
            while (workers.Count > 0 && frontends.Wait(TimeSpan.Zero) > 0)
            {
                bool fromPeer = frontends.IsReady(cloudfe);
                var request = (fromPeer ? cloudfe : localfe).ReceiveMultipart();
                if (!fromPeer && peers.Count > 0 && Random.Shared.Next(100) < cloudPercent)
                {
                    byte[] peer = peerNames[Random.Shared.Next(peerNames.Count)];
                    request.Insert(0, peer);
                    if (TrySendToPeer(cloudbe, request))
                    {
                        continue;
                    }

                    request.RemoveAt(0); // the peer is not connected: serve it here
                }

                request.InsertRange(0, [workers.Dequeue(), []]);
                localbe.SendMultipart(request);
            }
        }
    }

    /// <summary>Pops the address frame and, if one follows, the empty delimiter (czmq's zmsg_unwrap).</summary>
    internal static byte[] Unwrap(List<byte[]> message)
    {
        byte[] address = message[0];
        message.RemoveAt(0);
        if (message.Count > 0 && message[0].Length == 0)
        {
            message.RemoveAt(0);
        }

        return address;
    }

    /// <summary>Sends a request addressed to a peer broker; false when that peer is not connected (EHOSTUNREACH under ZMQ_ROUTER_MANDATORY).</summary>
    internal static bool TrySendToPeer(ZmqSocket cloudbe, List<byte[]> request)
    {
        try
        {
            cloudbe.SendMultipart(request);
            return true;
        }
        catch (ZmqException e) when (e.Error == ZmqErrorCode.EHOSTUNREACH)
        {
            return false;
        }
    }

    private static void StartBackground(Action body) => new Thread(() => body()) { IsBackground = true }.Start();

    /// <summary>A client: HELLO, print the reply, pause, again (REQ).</summary>
    private static void Client(ZmqContext context, string endpoint, int intervalMs)
    {
        using var client = context.CreateSocket(ZmqSocketType.Req);
        client.Connect(endpoint);
        while (true)
        {
            client.Send("HELLO");
            Console.WriteLine($"Client: {client.ReceiveString()}");
            Thread.Sleep(intervalMs);
        }
    }

    /// <summary>A worker: the ready byte, then OK for each request (REQ).</summary>
    private static void Worker(ZmqContext context, string endpoint)
    {
        using var worker = context.CreateSocket(ZmqSocketType.Req);
        worker.Connect(endpoint);
        worker.Send(WorkerReady);
        while (true)
        {
            var request = worker.ReceiveMultipart();
            Console.WriteLine($"Worker: {FrameDump.Format(request[^1])}");
            request[^1] = "OK"u8.ToArray();
            worker.SendMultipart(request);
        }
    }
}
