using System.Globalization;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// peering3: the full cluster simulation (Guide chapter 3, "Putting it All Together"): the state
/// flow of peering1 and the request flow of peering2 in one broker (<see cref="PeeringBroker"/>).
/// Clients send bursts of requests (a random hex task id each) and then pause, so the local
/// workers are overloaded now and then and requests spill over to peers that said they have
/// workers free. Clients do not print: they push each answered task id, or a complaint about a
/// lost one, to the broker's monitor socket, and the broker prints those. Run one per broker:
/// <c>zguide peering3 DC1 DC2 DC3</c>, <c>zguide peering3 DC2 DC1 DC3</c>, ...
/// </summary>
[Example("peering3", 3, "broker peering, part 3: state and requests together; overflow goes to peers with free workers",
    "zguide peering3 me {you}... [--ipc-dir DIR] [--clients 10] [--workers 5] [--pause-ms 1000] [--burst 15] [--work-ms 1000] [--timeout-ms 10000] [--heartbeat-ms 1000]")]
internal static class Peering3Example
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        string directory = a.Text("ipc-dir", string.Empty);
        int clientCount = a.Int("clients", 10);
        int workerCount = a.Int("workers", 5);
        var client = new ClientSettings(a.Int("pause-ms", 1000), a.Int("burst", 15), a.Int("timeout-ms", 10_000));
        int workMs = a.Int("work-ms", 1000);
        int heartbeatMs = a.Int("heartbeat-ms", 1000);
        a.RejectUnknown();
        if (a.Positional.Count < 1)
        {
            Console.WriteLine("syntax: peering3 me {you}...");
            return 0;
        }

        if (clientCount < 0 || workerCount < 0 || client.PauseMs < 0 || client.Burst < 1 || workMs < 0 || client.TimeoutMs < 1 || heartbeatMs < 1)
        {
            throw new ExampleUsageException("--clients, --workers, --pause-ms and --work-ms take 0 or more; --burst, --timeout-ms and --heartbeat-ms 1 or more");
        }

        string self = a.Positional[0];
        var peers = a.Positional.Skip(1).ToList();
        Console.WriteLine($"I: preparing broker at {self}...");

        using var context = new ZmqContext();
        using var broker = new PeeringBroker(context, self, kind => PeeringEndpoints.For(directory, self, kind), withMonitor: true)
        {
            Heartbeat = TimeSpan.FromMilliseconds(heartbeatMs),
        };
        foreach (string peer in peers)
        {
            Console.WriteLine($"I: connecting to cloud frontend at '{peer}'");
            broker.ConnectCloud(peer, PeeringEndpoints.For(directory, peer, "cloud"));
        }

        foreach (string peer in peers)
        {
            Console.WriteLine($"I: connecting to state backend at '{peer}'");
            broker.ConnectState(PeeringEndpoints.For(directory, peer, "state"));
        }

        // With every socket bound and connected, start the workers and clients.
        for (int i = 0; i < workerCount; i++)
        {
            StartBackground(() => Worker(context, broker.LocalBackend, workMs));
        }

        for (int i = 0; i < clientCount; i++)
        {
            StartBackground(() => Client(context, broker.LocalFrontend, broker.Monitor!, client));
        }

        broker.Run();
        return 0;
    }

    private static void StartBackground(Action body) => new Thread(() =>
    {
        try
        {
            body();
        }
        catch (ContextTerminatedException)
        {
            // The broker is going away.
        }
    })
    { IsBackground = true }.Start();

    /// <summary>
    /// A client: pause, then a burst of requests, each waited for at most the timeout. It reports
    /// each answered task id to the monitor; a lost one is reported and ends the client.
    /// </summary>
    private static void Client(ZmqContext context, string frontend, string monitorEndpoint, ClientSettings settings)
    {
        using var client = context.CreateSocket(ZmqSocketType.Req);
        client.Connect(frontend);
        using var monitor = context.CreateSocket(ZmqSocketType.Push);
        monitor.Connect(monitorEndpoint);
        while (true)
        {
            Thread.Sleep(Random.Shared.Next(5) * settings.PauseMs);
            for (int burst = Random.Shared.Next(settings.Burst); burst > 0; burst--)
            {
                string taskId = Random.Shared.Next(0x10000).ToString("X4", CultureInfo.InvariantCulture);
                client.Send(taskId);
                if (!client.TryReceiveString(TimeSpan.FromMilliseconds(settings.TimeoutMs), out string? reply))
                {
                    monitor.Send($"E: CLIENT EXIT - lost task {taskId}");
                    return;
                }

                // The worker answers with our own task id.
                monitor.Send(reply == taskId ? reply : $"E: CLIENT - asked for {taskId}, got {reply}");
            }
        }
    }

    /// <summary>A worker: the ready byte, then it echoes each request after being busy for 0 or 1 work period.</summary>
    private static void Worker(ZmqContext context, string backend, int workMs)
    {
        using var worker = context.CreateSocket(ZmqSocketType.Req);
        worker.Connect(backend);
        worker.Send(PeeringBroker.WorkerReady);
        while (true)
        {
            var request = worker.ReceiveMultipart();
            Thread.Sleep(Random.Shared.Next(2) * workMs);
            worker.SendMultipart(request);
        }
    }

    private sealed record ClientSettings(int PauseMs, int Burst, int TimeoutMs);
}
