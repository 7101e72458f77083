using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>Shared bits of the chapter 2 example tests: endpoints on free ports, bounded waits, signals.</summary>
internal static class Chapter2Harness
{
    /// <summary>How long any one wait for a process's output or exit may take on a busy 2-core machine.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>A free port, with the endpoint an example binds and the one a peer connects to.</summary>
    public static (string Bind, string Connect, int Port) FreeEndpoint()
    {
        int port = ZguideProcess.FreePort();
        return ($"tcp://*:{port}", $"tcp://localhost:{port}", port);
    }

    /// <summary>
    /// Waits until something accepts tcp connections on 127.0.0.1:<paramref name="port"/>: the
    /// signal that a process has bound its socket there, for examples that print nothing first.
    /// </summary>
    public static void WaitUntilListening(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var probe = new TcpClient();
            try
            {
                probe.Connect("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                // Refused: not bound yet; the next attempt is the wait.
                Thread.Sleep(20);
            }
            catch (SocketException e)
            {
                Assert.Fail($"nothing listened on port {port} within {timeout}: {e.Message}");
            }
        }
    }

    /// <summary>
    /// Runs msreader or mspoller against the chapter 1 ventilator (5 tasks) and weather server
    /// (zip codes 00000 to 00009, filter "00001 "), with a sink bound here, and checks that the
    /// reader processed exactly the 5 tasks and 3 updates of its zip code, then ended.
    /// </summary>
    public static void ReadsTasksAndFilteredUpdates(string example)
    {
        using var context = new ZmqContext();
        using var sink = context.CreateSocket(ZmqSocketType.Pull);
        sink.Bind("tcp://127.0.0.1:*");
        var ventilator = FreeEndpoint();
        var weather = FreeEndpoint();

        using var reader = ZguideProcess.Start(example, "--ventilator", ventilator.Connect, "--weather", weather.Connect,
            "--filter", "00001 ", "--tasks", "5", "--updates", "3");
        using var server = ZguideProcess.Start("wuserver", "--bind", weather.Bind, "--zipcodes", "10");
        using var vent = ZguideProcess.Start("taskvent", "--bind", ventilator.Bind, "--sink", sink.LastEndpoint, "--tasks", "5", "--no-wait");

        Assert.That(reader.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', reader.Errors));
        Assert.That(vent.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', vent.Errors));
        Assert.That(sink.TryReceiveString(Wait, out var start), Is.True, "the ventilator told the sink the batch started");
        Assert.That(start, Is.EqualTo("0"));

        var lines = reader.Lines;
        var tasks = lines.Where(l => l.StartsWith("Task [", StringComparison.Ordinal)).ToList();
        var updates = lines.Where(l => l.StartsWith("Weather update [", StringComparison.Ordinal)).ToList();
        Assert.That(tasks, Has.Count.EqualTo(5));
        Assert.That(tasks, Has.All.Match(@"^Task \[([1-9][0-9]?|100)\]$"), "each task is a workload of 1 to 100 msec");
        Assert.That(updates, Has.Count.EqualTo(3));
        Assert.That(updates, Has.All.Match(@"^Weather update \[00001 -?\d+ \d+\]$"), "only the subscribed zip code arrives");
        Assert.That(lines[^1], Is.EqualTo("Processed 5 tasks and 3 weather updates"));
    }

    /// <summary>
    /// Runs rrbroker or msgqueue with two rrworkers and two rrclients at once, and checks that each
    /// client gets all its replies, that the workers together answered every request, and that the
    /// broker gave work to both workers. A worker that connected late may have missed the first
    /// batch; then another client runs (the broker deals only to workers it knows).
    /// </summary>
    public static void BrokerServesClientsWithWorkers(string broker)
    {
        var frontend = FreeEndpoint();
        var backend = FreeEndpoint();
        using var brokerProcess = ZguideProcess.Start(broker, "--frontend", frontend.Bind, "--backend", backend.Bind);
        using var worker1 = ZguideProcess.Start("rrworker", "--connect", backend.Connect, "--work-ms", "20");
        using var worker2 = ZguideProcess.Start("rrworker", "--connect", backend.Connect, "--work-ms", "20");

        using (var client1 = ZguideProcess.Start("rrclient", "--connect", frontend.Connect, "--requests", "6"))
        using (var client2 = ZguideProcess.Start("rrclient", "--connect", frontend.Connect, "--requests", "6"))
        {
            foreach (var client in new[] { client1, client2 })
            {
                Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Errors));
                Assert.That(client.Lines, Is.EqualTo(Enumerable.Range(0, 6).Select(i => $"Received reply {i} [World]")));
            }
        }

        static int Served(ZguideProcess worker) => worker.Lines.Count(l => l == "Received request: [Hello]");

        // A worker prints before it answers, but its line may still be in the pipe to us.
        WaitUntil(() => Served(worker1) + Served(worker2) >= 12, Wait, "the workers to print all 12 requests");
        Assert.That(Served(worker1) + Served(worker2), Is.EqualTo(12), "every request was answered once");
        Assert.That(worker1.Lines.Concat(worker2.Lines), Has.All.EqualTo("Received request: [Hello]"));

        int requests = 12;
        for (int extra = 0; extra < 5 && (Served(worker1) == 0 || Served(worker2) == 0); extra++)
        {
            var more = Zguide.Run(["rrclient", "--connect", frontend.Connect, "--requests", "4"], Wait);
            Assert.That(more.ExitCode, Is.EqualTo(0), more.Stderr);
            requests += 4;
            WaitUntil(() => Served(worker1) + Served(worker2) >= requests, Wait, $"the workers to print all {requests} requests");
        }

        Assert.That(Served(worker1), Is.GreaterThan(0), "the broker gave work to the first worker");
        Assert.That(Served(worker2), Is.GreaterThan(0), "the broker gave work to the second worker");
        Assert.That(Served(worker1) + Served(worker2), Is.EqualTo(requests));
    }

    /// <summary>
    /// The pipeline with a kill signal: tasksink2, <paramref name="workers"/> taskwork2 workers and
    /// the chapter 1 ventilator with <paramref name="tasks"/> tasks. Checks that the sink counted
    /// every result and exited, that the workers together did every task, and that each worker
    /// exited by itself, on the sink's KILL.
    /// </summary>
    public static void PipelineEndsWithKill(int workers, int tasks)
    {
        var ventilator = FreeEndpoint();
        var results = FreeEndpoint();
        var controller = FreeEndpoint();
        using var sink = ZguideProcess.Start("tasksink2", "--bind", results.Bind, "--controller", controller.Bind, "--tasks", tasks.ToString(CultureInfo.InvariantCulture));

        // The sink binds its controller last: once that accepts connections, the workers' first
        // connects succeed, long before the batch (and the KILL at its end) can be over.
        WaitUntilListening(controller.Port, Wait);
        var pool = Enumerable.Range(0, workers)
            .Select(_ => ZguideProcess.Start("taskwork2", "--ventilator", ventilator.Connect, "--sink", results.Connect, "--controller", controller.Connect))
            .ToList();
        try
        {
            using var vent = ZguideProcess.Start("taskvent", "--bind", ventilator.Bind, "--sink", results.Connect,
                "--tasks", tasks.ToString(CultureInfo.InvariantCulture), "--no-wait");

            Assert.That(sink.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', sink.Errors));
            Assert.That(vent.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', vent.Errors));
            string progress = ":" + new string('.', 9);
            string expected = string.Concat(Enumerable.Range(0, (tasks + 9) / 10).Select(_ => progress))[..tasks];
            Assert.That(sink.Lines[0], Is.EqualTo(expected), "one mark per result, a colon every tenth");
            Assert.That(sink.Lines[1], Does.Match(@"^Total elapsed time: \d+ msec$"));

            var done = new List<string>();
            foreach (var worker in pool)
            {
                Assert.That(worker.WaitForExit(Wait), Is.EqualTo(0), "the worker ended on KILL: " + string.Join('\n', worker.Errors));
                done.AddRange(worker.Lines.SelectMany(l => l.Split('.', StringSplitOptions.RemoveEmptyEntries)));
            }

            Assert.That(done, Has.Count.EqualTo(tasks), "the workers together did every task once");
            Assert.That(done.Select(int.Parse), Has.All.InRange(1, 100));
        }
        finally
        {
            pool.ForEach(w => w.Dispose());
        }
    }

    /// <summary>
    /// syncpub with <paramref name="subscribers"/> syncsubs: the publisher waits until every one
    /// has synchronised, then each receives every one of the <paramref name="updates"/>.
    /// </summary>
    public static void SynchronisedPubSub(int subscribers, int updates)
    {
        var publisher = FreeEndpoint();
        var sync = FreeEndpoint();
        using var pub = ZguideProcess.Start("syncpub", "--bind", publisher.Bind, "--sync", sync.Bind,
            "--subscribers", subscribers.ToString(CultureInfo.InvariantCulture), "--updates", updates.ToString(CultureInfo.InvariantCulture));

        // Printed once both sockets are bound, so the subscribers connect at the first attempt.
        pub.WaitForLine("Waiting for subscribers", Wait);
        var subs = Enumerable.Range(0, subscribers)
            .Select(_ => ZguideProcess.Start("syncsub", "--connect", publisher.Connect, "--sync", sync.Connect))
            .ToList();
        try
        {
            Assert.That(pub.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', pub.Errors));
            Assert.That(pub.Lines, Is.EqualTo(new[] { "Waiting for subscribers", "Broadcasting messages" }));
            foreach (var sub in subs)
            {
                Assert.That(sub.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', sub.Errors));
                Assert.That(sub.Lines, Is.EqualTo(new[] { $"Received {updates} updates" }));
            }
        }
        finally
        {
            subs.ForEach(s => s.Dispose());
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds (output of several processes together, which
    /// no single process can signal), checking every 10 ms, at most <paramref name="timeout"/>.
    /// </summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"timed out after {timeout} waiting for {what}");
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>Sends a POSIX signal to a process (kill(2)); the tests that use it run on Linux and macOS only.</summary>
    public static void SendSignal(int pid, PosixSignal signal)
    {
        int number = signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "only SIGINT and SIGTERM are used"),
        };
        if (Kill(pid, number) != 0)
        {
            Assert.Fail($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    // DllImport rather than LibraryImport: the test project does not allow unsafe code, which the generator needs.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
