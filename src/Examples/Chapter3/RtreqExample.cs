using System.Diagnostics;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter3;

/// <summary>
/// rtreq: a ROUTER hands out work to REQ workers, least recently used first (Guide chapter 3,
/// "ROUTER Broker and REQ Workers"). Each worker says "Hi Boss" and gets "Work harder" back until
/// the time is up; then "Fired!", and it prints how many tasks it did. Because a worker asks only
/// when it is idle, the work spreads fairly. The workers are threads with a context each, as if
/// they were separate processes. The broker's last line adds up what it handed out.
/// </summary>
[Example("rtreq", 3, "ROUTER load-balancing tasks to REQ workers for a few seconds",
    "zguide rtreq [--bind tcp://*:5671] [--connect tcp://localhost:5671] [--workers 10] [--seconds 5] [--work-ms 500]")]
internal static class RtreqExample
{
    public static int Run(string[] args)
    {
        var options = LoadBalancingOptions.Parse(args);
        return LoadBalancingOptions.RunBroker(options, dealerWorkers: false);
    }
}

/// <summary>What rtreq and rtdealer share: their options, the broker loop and the worker loop.</summary>
internal sealed record LoadBalancingOptions(string Bind, string Connect, int Workers, int Seconds, int WorkMs)
{
    public static LoadBalancingOptions Parse(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        var options = new LoadBalancingOptions(
            a.Text("bind", "tcp://*:5671"),
            a.Text("connect", "tcp://localhost:5671"),
            a.Int("workers", 10),
            a.Int("seconds", 5),
            a.Int("work-ms", 500));
        a.RejectUnknown();
        if (options.Workers < 1 || options.Seconds < 0 || options.WorkMs < 0)
        {
            throw new ExampleUsageException("--workers takes 1 or more, --seconds and --work-ms 0 or more");
        }

        return options;
    }

    /// <summary>The broker: answers each worker's request with work until the time is up, then fires it.</summary>
    public static int RunBroker(LoadBalancingOptions options, bool dealerWorkers)
    {
        using var context = new ZmqContext();
        using var broker = context.CreateSocket(ZmqSocketType.Router);
        broker.Bind(options.Bind);

        var workers = new List<Thread>();
        for (int i = 0; i < options.Workers; i++)
        {
            var worker = new Thread(() => Work(options, dealerWorkers)) { Name = "worker " + i };
            worker.Start();
            workers.Add(worker);
        }

        // Run for the given time, then tell each worker, as it next asks, that it is done.
        var clock = Stopwatch.StartNew();
        int fired = 0;
        int handedOut = 0;
        while (fired < options.Workers)
        {
            // The next request comes from the worker that has been idle longest: [identity][""][Hi Boss].
            var request = broker.ReceiveMultipart();
            broker.Send(request[0], more: true);
            broker.Send(ReadOnlySpan<byte>.Empty, more: true);
            if (clock.Elapsed < TimeSpan.FromSeconds(options.Seconds))
            {
                broker.Send("Work harder");
                handedOut++;
            }
            else
            {
                broker.Send("Fired!");
                fired++;
            }
        }

        // Every worker has its "Fired!" on the way; wait until each has printed its count.
        workers.ForEach(w => w.Join());
        Console.WriteLine($"Broker: handed out {handedOut} tasks to {options.Workers} workers");
        return 0;
    }

    private static void Work(LoadBalancingOptions options, bool dealer)
    {
        // A context of its own: conceptually this worker is a separate process.
        using var context = new ZmqContext();
        using var worker = context.CreateSocket(dealer ? ZmqSocketType.Dealer : ZmqSocketType.Req);
        worker.RoutingId = System.Text.Encoding.ASCII.GetBytes(FrameDump.RandomIdentity()); // printable, as s_set_id makes it
        worker.Connect(options.Connect);

        int total = 0;
        while (true)
        {
            // Tell the broker we are ready for work. A DEALER sends the empty delimiter a REQ adds by itself.
            if (dealer)
            {
                worker.Send(ReadOnlySpan<byte>.Empty, more: true);
            }

            worker.Send("Hi Boss");
            if (dealer)
            {
                worker.ReceiveBytes(); // the envelope delimiter
            }

            string workload = worker.ReceiveString();
            if (workload == "Fired!")
            {
                Console.WriteLine($"Completed: {total} tasks");
                return;
            }

            total++;
            Thread.Sleep(Random.Shared.Next(options.WorkMs) + 1); // do some random work
        }
    }
}
