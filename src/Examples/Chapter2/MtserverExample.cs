using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter2;

/// <summary>
/// mtserver: a multithreaded Hello World server (Guide chapter 2, "Multithreading with ZeroMQ").
/// Clients connect to a ROUTER; a pool of worker threads each connect a REP socket to a DEALER
/// over inproc; the built-in proxy joins the two, so requests queue fairly to whichever worker
/// is free. Each thread has its own socket and the threads share nothing but the context, which
/// is the one thread-safe object (zmq(7)). The Guide's 5 workers and 1 second of work are options.
/// </summary>
[Example("mtserver", 2, "multithreaded Hello World server: worker threads behind a ROUTER/DEALER proxy over inproc",
    "zguide mtserver [--bind tcp://*:5555] [--workers 5] [--work-ms 1000]")]
internal static class MtserverExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string bind = a.Text("bind", "tcp://*:5555");
        int workerCount = a.Int("workers", 5);
        int workMs = a.Int("work-ms", 1000);
        a.RejectUnknown();

        using var context = new ZmqContext();

        // Socket to talk to clients.
        using var clients = context.CreateSocket(ZmqSocketType.Router);
        clients.Bind(bind);

        // Socket to talk to workers.
        using var workers = context.CreateSocket(ZmqSocketType.Dealer);
        workers.Bind("inproc://workers");

        // Launch the pool of worker threads; each ends when the context is shut down.
        var pool = new List<Thread>();
        for (int threadNbr = 0; threadNbr < workerCount; threadNbr++)
        {
            var worker = new Thread(() => WorkerRoutine(context, workMs)) { Name = $"worker {threadNbr}", IsBackground = true };
            worker.Start();
            pool.Add(worker);
        }

        // Connect the worker threads to the clients via a queue proxy; it runs until the context
        // is shut down, which in the Guide's version is never.
        ZmqProxy.Run(clients, workers);
        context.Shutdown();
        pool.ForEach(t => t.Join());
        return 0;
    }

    private static void WorkerRoutine(ZmqContext context, int workMs)
    {
        try
        {
            // Socket to talk to the dispatcher.
            using var receiver = context.CreateSocket(ZmqSocketType.Rep);
            receiver.Connect("inproc://workers");
            while (true)
            {
                // All frames are read: REP cannot reply while a part is unread (zmq_send(3) EFSM),
                // and an exception here would end the whole process, not just this worker.
                string request = RrworkerExample.FirstFrame(receiver.ReceiveMultipart());
                Console.WriteLine($"Received request: [{request}]");

                // Do some 'work'.
                Thread.Sleep(workMs);

                // Send the reply back to the client.
                receiver.Send("World");
            }
        }
        catch (ContextTerminatedException)
        {
            // The context was shut down: the server is ending.
        }
    }
}
