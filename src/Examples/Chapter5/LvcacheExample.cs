using System.Text;
using ZmqNative.Examples.Chapter4;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// lvcache (Guide chapter 5, "Last Value Caching"): a proxy between pathopub and pathosub that remembers the last value
/// of every topic. Its XPUB sees each new subscription ("\x01" + topic) and answers it at once from the cache, so a late
/// subscriber does not wait for the publisher's next update. Prints "Sending cached topic NNN" per subscription.
/// </summary>
[Example("lvcache", 5, "Last value cache: a new subscriber gets the cached last value of its topic at once",
    "zguide lvcache [--frontend tcp://localhost:5557] [--backend tcp://*:5558]")]
internal static class LvcacheExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        // The Guide's lvcache.c connects to "tcp://*:5557", which libzmq reads as localhost.
        string frontendEndpoint = a.Text("frontend", "tcp://localhost:5557");
        string backendEndpoint = a.Text("backend", "tcp://*:5558");
        a.RejectUnknown();
        var cancel = PirateConsole.CancelOnCtrlC();
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var frontend = context.CreateSocket(ZmqSocketType.Sub);
        frontend.Connect(frontendEndpoint);
        using var backend = context.CreateSocket(ZmqSocketType.XPub);
        backend.Bind(backendEndpoint);
        frontend.Subscribe(string.Empty); // every topic from the publisher

        var cache = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var poller = new ZmqPoller();
        poller.Add(frontend, ZmqPollEvents.In);
        poller.Add(backend, ZmqPollEvents.In);
        while (!cancel.IsCancellationRequested)
        {
            poller.Wait(TimeSpan.FromMilliseconds(100));
            // New topic data: cache it, then forward it.
            if (poller.IsReady(frontend))
            {
                var message = frontend.ReceiveMultipart();
                if (message.Count == 2)
                {
                    cache[Encoding.UTF8.GetString(message[0])] = message[1];
                    backend.SendMultipart(message);
                }
            }

            // A subscription: one byte, 1 = subscribe (0 = unsubscribe), then the topic; answer it from the cache.
            if (poller.IsReady(backend))
            {
                var frame = backend.ReceiveBytes();
                if (frame.Length > 0 && frame[0] == 1)
                {
                    string topic = Encoding.UTF8.GetString(frame, 1, frame.Length - 1);
                    Console.WriteLine($"Sending cached topic {topic}");
                    if (cache.TryGetValue(topic, out var previous))
                    {
                        backend.SendMultipart([Encoding.UTF8.GetBytes(topic), previous]);
                    }
                }
            }
        }

        return 0;
    }
}
