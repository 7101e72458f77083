using System.Globalization;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Basics;

/// <summary>
/// twosubs: two SUB sockets with different filters on one publisher. The publisher sends every
/// topic in turn ("news", "sports", "weather"); each subscriber gets only the messages that start
/// with its own filter (zmq_setsockopt(3), ZMQ_SUBSCRIBE), and nobody gets "weather".
/// </summary>
/// <remarks>
/// Publisher and subscribers are threads with their own sockets on inproc. The publisher keeps
/// publishing until both subscribers have their updates: a subscription takes effect a moment
/// after the subscriber connects, and what was published before that is dropped.
/// </remarks>
[Example("twosubs", 0, "two SUB sockets with different filters on one PUB socket: each gets only its topic", "zguide twosubs [--updates 5] [--interval-ms 50]")]
internal static class TwoSubsExample
{
    private const string Endpoint = "inproc://twosubs";
    private static readonly string[] Topics = ["news", "sports", "weather"];
    private static readonly string[] Filters = ["news", "sports"];

    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int updates = a.Int("updates", 5);
        int intervalMs = a.Int("interval-ms", 50);
        a.RejectUnknown();
        if (updates < 1 || intervalMs < 0)
        {
            throw new ExampleUsageException("--updates takes 1 or more, --interval-ms 0 or more");
        }

        using var context = new ZmqContext();
        var publisher = new Thread(() => Publish(context, intervalMs)) { Name = "publisher" };
        publisher.Start();

        var subscribers = Filters.Select(f => new Thread(() => Subscribe(context, f, updates)) { Name = f + " subscriber" }).ToList();
        subscribers.ForEach(t => t.Start());
        subscribers.ForEach(t => t.Join());

        // Shutting the context down makes the publisher's next send fail with ETERM (zmq_ctx_shutdown(3)).
        context.Shutdown();
        publisher.Join();
        return 0;
    }

    private static void Publish(ZmqContext context, int intervalMs)
    {
        try
        {
            using var socket = context.CreateSocket(ZmqSocketType.Pub);
            socket.Bind(Endpoint);
            for (long number = 1; ; number++)
            {
                // A topic is just the start of the message; subscribers match it byte for byte.
                string topic = Topics[(int)((number - 1) % Topics.Length)];
                socket.Send(string.Create(CultureInfo.InvariantCulture, $"{topic} {number}"));
                Thread.Sleep(intervalMs);
            }
        }
        catch (ContextTerminatedException)
        {
            // Both subscribers are done.
        }
    }

    private static void Subscribe(ZmqContext context, string filter, int updates)
    {
        using var socket = context.CreateSocket(ZmqSocketType.Sub);
        socket.Connect(Endpoint);
        socket.Subscribe(filter);
        for (int i = 0; i < updates; i++)
        {
            Console.WriteLine($"{filter} subscriber received: {socket.ReceiveString()}");
        }

        Console.WriteLine($"{filter} subscriber done: {updates} updates");
    }
}
