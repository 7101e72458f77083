using System.Globalization;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Basics;

/// <summary>
/// subtwopubs: one SUB socket connected to two publishers receives from both. A socket may
/// connect to any number of endpoints; SUB fair-queues what arrives from all of them
/// (zmq_socket(3), ZMQ_SUB), so neither publisher can starve the other.
/// </summary>
/// <remarks>
/// The publishers are threads with their own PUB sockets on inproc, publishing "A 1", "A 2", ...
/// and "B 1", "B 2", ... until the subscriber has enough from each. A subscription reaches a
/// publisher a moment after the subscriber connects, and what is published before that is
/// dropped (the Guide's "slow joiner"), so the first update received need not be number 1.
/// </remarks>
[Example("subtwopubs", 0, "one SUB socket connected to two PUB sockets receives from both", "zguide subtwopubs [--updates 5] [--interval-ms 100]")]
internal static class SubTwoPubsExample
{
    private static readonly (string Name, string Endpoint)[] Publishers =
    [
        ("A", "inproc://publisher-a"),
        ("B", "inproc://publisher-b"),
    ];

    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int updates = a.Int("updates", 5);
        int intervalMs = a.Int("interval-ms", 100);
        a.RejectUnknown();
        if (updates < 1 || intervalMs < 0)
        {
            throw new ExampleUsageException("--updates takes 1 or more, --interval-ms 0 or more");
        }

        using var context = new ZmqContext();
        var publishers = Publishers.Select(p => new Thread(() => Publish(context, p.Name, p.Endpoint, intervalMs)) { Name = "publisher " + p.Name }).ToList();
        publishers.ForEach(t => t.Start());

        var received = Publishers.ToDictionary(p => p.Name, _ => 0);
        using (var subscriber = context.CreateSocket(ZmqSocketType.Sub))
        {
            foreach (var (_, endpoint) in Publishers)
            {
                subscriber.Connect(endpoint);
            }

            subscriber.Subscribe(string.Empty); // everything, from every publisher

            while (received.Values.Any(n => n < updates))
            {
                string update = subscriber.ReceiveString();
                Console.WriteLine("Received " + update);
                received[update.Split(' ')[0]]++;
            }
        }

        Console.WriteLine("Received " + string.Join(" and ", received.Select(r => $"{r.Value} updates from {r.Key}")));

        // Shutting the context down makes the publishers' next send fail with ETERM (zmq_ctx_shutdown(3)).
        context.Shutdown();
        publishers.ForEach(t => t.Join());
        return 0;
    }

    private static void Publish(ZmqContext context, string name, string endpoint, int intervalMs)
    {
        try
        {
            using var publisher = context.CreateSocket(ZmqSocketType.Pub);
            publisher.Bind(endpoint);
            for (long number = 1; ; number++)
            {
                publisher.Send(string.Create(CultureInfo.InvariantCulture, $"{name} {number}"));
                Thread.Sleep(intervalMs);
            }
        }
        catch (ContextTerminatedException)
        {
            // The subscriber has what it wanted.
        }
    }
}
