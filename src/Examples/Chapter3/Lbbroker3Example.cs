using System.Diagnostics;
using System.Text;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// lbbroker3: the load-balancing broker in reactor style (Guide chapter 3, czmq's zloop version).
/// Instead of one loop that decides what to read, the broker registers a handler per socket with a
/// small reactor (a <see cref="ZmqPoller"/> and a table of handlers): the backend handler is always
/// registered; the frontend handler is added when the first worker becomes idle and removed when
/// the last one is taken. Clients ask once per interval and print each reply; workers print the
/// request and answer OK; the idle signal is the single byte 0x01 as in the Guide.
/// </summary>
/// <remarks>
/// The Guide's clients ask forever; <c>--requests N</c> makes each ask N times, and the broker stops
/// after all those replies. The clients start once every worker has said it is ready.
/// </remarks>
[Example("lbbroker3", 3, "load-balancing broker in reactor style: a handler per socket, added and removed as workers come and go",
    "zguide lbbroker3 [--frontend ipc://frontend.ipc] [--backend ipc://backend.ipc] [--clients 10] [--workers 3] [--requests N (0: forever)] [--interval-ms 1000]")]
internal static class Lbbroker3Example
{
    private static readonly byte[] WorkerReady = [0x01];

    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string frontendEndpoint = a.Text("frontend", "ipc://frontend.ipc");
        string backendEndpoint = a.Text("backend", "ipc://backend.ipc");
        int clientCount = a.Int("clients", 10);
        int workerCount = a.Int("workers", 3);
        int requests = a.Int("requests", 0);
        int intervalMs = a.Int("interval-ms", 1000);
        a.RejectUnknown();
        if (clientCount < 1 || workerCount < 1 || requests < 0 || intervalMs < 0)
        {
            throw new ExampleUsageException("--clients and --workers take 1 or more, --requests and --interval-ms 0 or more");
        }

        using var context = new ZmqContext();
        using var frontend = context.CreateSocket(ZmqSocketType.Router);
        using var backend = context.CreateSocket(ZmqSocketType.Router);
        frontend.Bind(frontendEndpoint);
        backend.Bind(backendEndpoint);

        var actors = new List<ZmqActor>();
        try
        {
            for (int i = 0; i < workerCount; i++)
            {
                string name = $"Worker-{i}";
                actors.Add(new ZmqActor(context, pipe => Worker(pipe, context, backendEndpoint, name)));
            }

            var workers = new Queue<byte[]>(); // idle workers, longest idle first
            int ready = 0;
            long repliesLeft = (long)clientCount * requests; // 0 and below: forever
            using var reactor = new Reactor();

            // A request from a client: give it to the worker idle longest; stop reading clients when none is left.
            bool HandleFrontend()
            {
                var message = frontend.ReceiveMultipart();
                message.InsertRange(0, [workers.Dequeue(), []]);
                backend.SendMultipart(message);
                if (workers.Count == 0)
                {
                    reactor.ReaderEnd(frontend);
                }

                return true;
            }

            // A message from a worker: it is idle again; pass a reply on, start reading clients if it is the only idle one.
            bool HandleBackend()
            {
                var message = backend.ReceiveMultipart();
                if (message.Count < 3 || message[1].Length != 0)
                {
                    // Not from a REQ worker ([worker][""][body...]): dropped, and the sender is not
                    // taken for an idle worker (a request given to it would never be answered).
                    Console.WriteLine($"E: invalid message from a worker ({message.Count} frames), dropped");
                    return true;
                }

                workers.Enqueue(message[0]);
                message.RemoveRange(0, 2); // the worker's identity and the delimiter
                if (workers.Count == 1)
                {
                    reactor.Reader(frontend, HandleFrontend);
                }

                if (message[0].AsSpan().SequenceEqual(WorkerReady))
                {
                    if (++ready == workerCount)
                    {
                        for (int i = 0; i < clientCount; i++)
                        {
                            string name = $"Client-{i}";
                            actors.Add(new ZmqActor(context, pipe => Client(pipe, context, frontendEndpoint, name, requests, intervalMs)));
                        }
                    }

                    return true;
                }

                frontend.SendMultipart(message);
                return --repliesLeft != 0; // false stops the reactor
            }

            reactor.Reader(backend, HandleBackend);
            reactor.Run();

            // Every reply has gone out; let each client print its last one before it is stopped.
            foreach (var client in actors.Skip(workerCount))
            {
                client.Pipe.ReceiveString(); // "DONE"
            }
        }
        finally
        {
            actors.ForEach(actor => actor.Dispose());
        }

        return 0;
    }

    /// <summary>A client actor: asks, prints the reply, waits the interval, asks again (at most <paramref name="requests"/> times unless 0).</summary>
    private static void Client(ZmqActorPipe pipe, ZmqContext context, string endpoint, string name, int requests, int intervalMs)
    {
        pipe.SignalReady();
        using var client = context.CreateSocket(ZmqSocketType.Req);
        client.RoutingId = Encoding.ASCII.GetBytes(name);
        client.Connect(endpoint);
        using var poller = new ZmqPoller();
        poller.Add(pipe.Socket, ZmqPollEvents.In);
        poller.Add(client, ZmqPollEvents.In);
        for (int sent = 0; requests == 0 || sent < requests; sent++)
        {
            client.Send("HELLO");
            poller.Wait(Timeout.InfiniteTimeSpan);
            if (poller.IsReady(pipe.Socket))
            {
                return; // shutdown
            }

            Console.WriteLine($"{name}: {client.ReceiveString()}");
            if (sent + 1 == requests)
            {
                break;
            }

            // Wait the interval, but wake for "$TERM" (the pipe) at once.
            var pause = Stopwatch.StartNew();
            while (pause.ElapsedMilliseconds < intervalMs)
            {
                if (pipe.Socket.Poll(ZmqPollEvents.In, TimeSpan.FromMilliseconds(intervalMs - pause.ElapsedMilliseconds)) != ZmqPollEvents.None)
                {
                    return;
                }
            }
        }

        pipe.Socket.Send("DONE"); // all asked and answered
    }

    /// <summary>A worker actor: the ready byte, then OK for every request, until "$TERM".</summary>
    private static void Worker(ZmqActorPipe pipe, ZmqContext context, string endpoint, string name)
    {
        pipe.SignalReady();
        using var worker = context.CreateSocket(ZmqSocketType.Req);
        worker.RoutingId = Encoding.ASCII.GetBytes(name);
        worker.Connect(endpoint);
        worker.Send(WorkerReady);
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

            var message = worker.ReceiveMultipart();
            Console.WriteLine($"{name}: {FrameDump.Format(message[^1])}");
            message[^1] = "OK"u8.ToArray();
            worker.SendMultipart(message);
        }
    }

    /// <summary>
    /// A minimal reactor in the spirit of czmq's zloop: a poller plus a handler per socket. Handlers
    /// may add and remove readers (their own included) while it runs; one that returns false stops it.
    /// </summary>
    private sealed class Reactor : IDisposable
    {
        private readonly ZmqPoller _poller = new();
        private readonly Dictionary<ZmqSocket, Func<bool>> _readers = [];
        private readonly List<ZmqSocket> _ready = [];

        public void Reader(ZmqSocket socket, Func<bool> handler)
        {
            if (_readers.TryAdd(socket, handler))
            {
                _poller.Add(socket, ZmqPollEvents.In);
            }
        }

        public void ReaderEnd(ZmqSocket socket)
        {
            if (_readers.Remove(socket))
            {
                _poller.Remove(socket);
            }
        }

        public void Run()
        {
            while (true)
            {
                _poller.Wait(Timeout.InfiniteTimeSpan);

                // Copy the ready list first: a handler that adds or removes a reader changes the poller.
                _ready.Clear();
                foreach (var item in _poller.Ready)
                {
                    _ready.Add(item.Socket!);
                }

                foreach (var socket in _ready)
                {
                    // A reader removed by an earlier handler in this round is skipped, as zloop does.
                    if (_readers.TryGetValue(socket, out var handler) && !handler())
                    {
                        return;
                    }
                }
            }
        }

        public void Dispose() => _poller.Dispose();
    }
}
