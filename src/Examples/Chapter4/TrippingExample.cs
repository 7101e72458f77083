using System.Diagnostics;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter4;

/// <summary>
/// tripping: the round-trip demonstrator (Guide chapter 4, "Asynchronous Majordomo Pattern"). A client, a broker
/// (zmq_proxy between two DEALERs) and an echo worker, each on its own thread with its own sockets, talk over tcp.
/// The client first sends and waits for each reply in turn (synchronous), then sends everything and reads all the
/// replies back (asynchronous), and prints the calls per second of each: round trips, not the work, are what is slow.
/// </summary>
[Example("tripping", 4, "round-trip demonstrator: synchronous request-reply against asynchronous batches through a broker",
    "zguide tripping [--count 10000] [--async-count 100000] [--frontend-port 5555] [--backend-port 5556]")]
internal static class TrippingExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int count = a.Int("count", 10000);
        int asyncCount = a.Int("async-count", 100000);
        int frontendPort = a.Int("frontend-port", 5555);
        int backendPort = a.Int("backend-port", 5556);
        a.RejectUnknown();
        if (count < 1 || asyncCount < 1)
        {
            throw new ExampleUsageException("--count and --async-count take 1 or more");
        }

        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var bound = new ManualResetEventSlim();
        Exception? brokerFailure = null;
        var broker = new Thread(() => BrokerTask(context, frontendPort, backendPort, bound, e => brokerFailure = e)) { IsBackground = true, Name = "broker" };
        var worker = new Thread(() => WorkerTask(context, backendPort)) { IsBackground = true, Name = "worker" };
        broker.Start();
        if (!bound.Wait(TimeSpan.FromSeconds(10)) || brokerFailure is not null)
        {
            Console.Error.WriteLine($"E: the broker could not bind: {brokerFailure?.Message ?? "timeout"}");
            context.Shutdown();
            return 1;
        }

        worker.Start();
        ClientTask(context, frontendPort, count, asyncCount);

        // The client is done: end the broker (its proxy returns on ETERM) and the worker.
        context.Shutdown();
        broker.Join();
        worker.Join();
        return 0;
    }

    private static void ClientTask(ZmqContext context, int port, int count, int asyncCount)
    {
        using var client = context.CreateSocket(ZmqSocketType.Dealer);
        client.Connect($"tcp://localhost:{port}");
        // The Guide sleeps 100 ms here for the worker to connect; our broker's DEALER queues requests until it
        // has, so nothing is lost either way.
        Console.WriteLine("Setting up test...");

        Console.WriteLine("Synchronous round-trip test...");
        var clock = Stopwatch.StartNew();
        for (int requests = 0; requests < count; requests++)
        {
            client.Send("hello");
            client.ReceiveBytes();
        }

        Console.WriteLine($" {Rate(count, clock)} calls/second");

        Console.WriteLine("Asynchronous round-trip test...");
        clock.Restart();
        for (int requests = 0; requests < asyncCount; requests++)
        {
            client.Send("hello");
        }

        for (int requests = 0; requests < asyncCount; requests++)
        {
            client.ReceiveBytes();
        }

        Console.WriteLine($" {Rate(asyncCount, clock)} calls/second");
    }

    private static long Rate(int calls, Stopwatch clock) => (long)(calls / Math.Max(clock.Elapsed.TotalSeconds, 0.001));

    // All it does is receive a message and bounce it back the way it came.
    private static void WorkerTask(ZmqContext context, int port)
    {
        try
        {
            using var worker = context.CreateSocket(ZmqSocketType.Dealer);
            worker.Connect($"tcp://localhost:{port}");
            while (true)
            {
                worker.SendMultipart(worker.ReceiveMultipart());
            }
        }
        catch (ContextTerminatedException)
        {
            // The test is over.
        }
    }

    // Switches messages between frontend and backend with the built-in proxy until the context ends.
    private static void BrokerTask(ZmqContext context, int frontendPort, int backendPort, ManualResetEventSlim bound, Action<Exception> failed)
    {
        try
        {
            using var frontend = context.CreateSocket(ZmqSocketType.Dealer);
            using var backend = context.CreateSocket(ZmqSocketType.Dealer);
            frontend.Bind($"tcp://*:{frontendPort}");
            backend.Bind($"tcp://*:{backendPort}");
            bound.Set();
            ZmqProxy.Run(frontend, backend);
        }
        catch (ZmqException e)
        {
            failed(e);
            bound.Set();
        }
    }
}
