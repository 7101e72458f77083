using System.Text;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// lbbroker2: the load-balancing broker again, written the way the Guide's czmq version is
/// (chapter 3, "A High-Level API for ZeroMQ"): clients and workers are actors (<see cref="ZmqActor"/>,
/// czmq's zactor), messages are read and sent whole (<see cref="ZmqSocket.ReceiveMultipart"/>,
/// <see cref="ZmqSocket.SendMultipart(IEnumerable{byte[]})"/>, czmq's zmsg), and the broker pops
/// and pushes envelope frames on a list instead of reading them one by one. Workers print the
/// request frame the way czmq's zframe_print does.
/// </summary>
/// <remarks>As in lbbroker, the clients start once every worker has said READY, so the spread over the workers is the broker's doing.</remarks>
[Example("lbbroker2", 3, "load-balancing broker with actors and whole-message helpers (the Guide's czmq version)",
    "zguide lbbroker2 [--frontend ipc://frontend.ipc] [--backend ipc://backend.ipc] [--clients 10] [--workers 3]")]
internal static class Lbbroker2Example
{
    private static readonly byte[] WorkerReady = "READY"u8.ToArray();

    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string frontendEndpoint = a.Text("frontend", "ipc://frontend.ipc");
        string backendEndpoint = a.Text("backend", "ipc://backend.ipc");
        int clientCount = a.Int("clients", 10);
        int workerCount = a.Int("workers", 3);
        a.RejectUnknown();
        if (clientCount < 1 || workerCount < 1)
        {
            throw new ExampleUsageException("--clients and --workers take 1 or more");
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

            // The queue of idle workers, by identity frame.
            var workers = new Queue<byte[]>();
            int readyCount = 0;
            using var poller = new ZmqPoller();
            poller.Add(backend, ZmqPollEvents.In);
            poller.Add(frontend, ZmqPollEvents.None); // read clients only while a worker is idle
            int replies = clientCount;
            while (replies > 0)
            {
                poller.Wait(Timeout.InfiniteTimeSpan);
                bool fromWorker = poller.IsReady(backend);
                bool fromClient = poller.IsReady(frontend);
                if (fromWorker)
                {
                    // [worker][""][READY] or [worker][""][client][""][OK]: pop the worker's envelope.
                    var message = backend.ReceiveMultipart();
                    if (message.Count < 3 || message[1].Length != 0)
                    {
                        // Not from a REQ worker (no delimiter, or nothing after it): dropped, and the
                        // sender is not taken for an idle worker.
                        Console.WriteLine($"E: invalid message from a worker ({message.Count} frames), dropped");
                    }
                    else
                    {
                        workers.Enqueue(Pop(message));
                        Pop(message); // the delimiter
                        if (message[0].AsSpan().SequenceEqual(WorkerReady))
                        {
                            if (++readyCount == workerCount)
                            {
                                for (int i = 0; i < clientCount; i++)
                                {
                                    string name = $"Client-{i}";
                                    actors.Add(new ZmqActor(context, pipe => Client(pipe, context, frontendEndpoint, name)));
                                }
                            }
                        }
                        else
                        {
                            frontend.SendMultipart(message); // the rest is the client's envelope and the reply
                            replies--;
                        }
                    }
                }

                if (fromClient && workers.Count > 0)
                {
                    // Push the idle worker's envelope onto the client's request: [worker][""][client][""][HELLO].
                    var message = frontend.ReceiveMultipart();
                    message.InsertRange(0, [workers.Dequeue(), []]);
                    backend.SendMultipart(message);
                }

                poller.Modify(frontend, workers.Count > 0 ? ZmqPollEvents.In : ZmqPollEvents.None);
            }
        }
        finally
        {
            // Clients have ended by now; each worker ends when its actor sends it "$TERM".
            actors.ForEach(actor => actor.Dispose());
        }

        return 0;
    }

    private static byte[] Pop(List<byte[]> message)
    {
        byte[] first = message[0];
        message.RemoveAt(0);
        return first;
    }

    /// <summary>A client actor: one request, one reply, then it ends.</summary>
    private static void Client(ZmqActorPipe pipe, ZmqContext context, string endpoint, string name)
    {
        pipe.SignalReady();
        using var client = context.CreateSocket(ZmqSocketType.Req);
        client.RoutingId = Encoding.ASCII.GetBytes(name);
        client.Connect(endpoint);
        client.Send("HELLO");
        Console.WriteLine($"{name}: {client.ReceiveString()}");
    }

    /// <summary>A worker actor: READY, then it answers each request with OK until its owner tells it to stop.</summary>
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
                return; // "$TERM": the owner is done with us
            }

            var message = worker.ReceiveMultipart(); // [client][""][HELLO]
            Console.WriteLine($"{name}: {FrameDump.Format(message[^1])}");
            message[^1] = "OK"u8.ToArray();
            worker.SendMultipart(message);
        }
    }
}
