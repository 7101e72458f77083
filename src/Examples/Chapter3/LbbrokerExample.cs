using System.Text;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// lbbroker: the load-balancing broker with its clients and workers as threads of one process
/// (Guide chapter 3, "A Load Balancing Message Broker"). Each client sends one HELLO and prints
/// the reply; each worker prints what it got and answers OK; the broker stops after one reply
/// per client. Clients and workers are named (Client-0, Worker-0, ...) as in the Guide's Python
/// version, so the output shows which worker handled each request.
/// </summary>
/// <remarks>
/// One change to the Guide's order: the clients start once every worker has said READY, so the
/// spread over the workers does not depend on which thread the machine happened to run first.
/// </remarks>
[Example("lbbroker", 3, "load-balancing broker: ROUTER to ROUTER, REQ clients and REQ workers as threads",
    "zguide lbbroker [--frontend ipc://frontend.ipc] [--backend ipc://backend.ipc] [--clients 10] [--workers 3]")]
internal static class LbbrokerExample
{
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

        var workers = Enumerable.Range(0, workerCount).Select(i => Start(() => Worker(context, backendEndpoint, i))).ToList();
        var clients = new List<Thread>();
        int ready = 0;
        var broker = new LoadBalancingBroker(frontend, backend)
        {
            WorkerReady = _ =>
            {
                if (++ready == workerCount)
                {
                    clients.AddRange(Enumerable.Range(0, clientCount).Select(i => Start(() => Client(context, frontendEndpoint, i))));
                }
            },
        };
        broker.Run(clientCount, Timeout.InfiniteTimeSpan);

        // Every reply is on its way: let the clients print theirs, then stop the workers, which
        // wait for work forever, by shutting the context down (their receive ends with ETERM).
        clients.ForEach(c => c.Join());
        context.Shutdown();
        workers.ForEach(w => w.Join());
        return 0;
    }

    private static Thread Start(Action body)
    {
        var thread = new Thread(() => body());
        thread.Start();
        return thread;
    }

    /// <summary>A client: one request, one reply (REQ).</summary>
    private static void Client(ZmqContext context, string endpoint, int number)
    {
        using var client = context.CreateSocket(ZmqSocketType.Req);
        string name = $"Client-{number}";
        client.RoutingId = Encoding.ASCII.GetBytes(name); // a printable identity makes tracing easier
        client.Connect(endpoint);
        client.Send("HELLO");
        Console.WriteLine($"{name}: {client.ReceiveString()}");
    }

    /// <summary>A worker: says READY, then answers each request with OK, until the context ends.</summary>
    private static void Worker(ZmqContext context, string endpoint, int number)
    {
        try
        {
            using var worker = context.CreateSocket(ZmqSocketType.Req);
            string name = $"Worker-{number}";
            worker.RoutingId = Encoding.ASCII.GetBytes(name);
            worker.Connect(endpoint);
            worker.Send("READY");
            while (true)
            {
                var request = worker.ReceiveMultipart(); // [client][""][request]: REQ took our delimiter off
                Console.WriteLine($"{name}: {Encoding.UTF8.GetString(request[^1])}");
                worker.SendMultipart([request[0], [], "OK"u8.ToArray()]);
            }
        }
        catch (ContextTerminatedException)
        {
            // The broker is done.
        }
    }
}
