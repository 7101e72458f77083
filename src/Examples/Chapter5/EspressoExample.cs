using System.Globalization;
using ZmqNative.Examples.Chapter3;
using ZmqNative.Examples.Chapter4;
using ZmqNative.Examples.Support;

namespace ZmqNative.Examples.Chapter5;

/// <summary>
/// espresso (Guide chapter 5, "Pub-Sub Tracing"): an XSUB/XPUB proxy with a capture socket. A publisher thread sends
/// "A-12345"-style messages ten a second to port 6000; a subscriber thread asks the proxy (port 6001) for topics A and
/// B and reads five; a listener thread prints everything the proxy passes both ways (subscriptions as hex, messages as
/// text), as czmq's zframe_print does. Runs until Ctrl-C, or until the listener printed <c>--frames N</c>.
/// </summary>
[Example("espresso", 5, "Pub-sub tracing: an XSUB/XPUB proxy whose capture socket prints all traffic",
    "zguide espresso [--port 6000 (publisher; the proxy's XPUB is port+1)] [--frames N (default: forever)] [--interval-ms 100]")]
internal static class EspressoExample
{
    public static int Run(string[] args)
    {
        var a = ExampleArgs.Parse(args);
        int port = Chapter5Console.Port(a, "port", 6000);
        int frames = Chapter5Console.Count(a, "frames");
        int interval = a.Int("interval-ms", 100);
        a.RejectUnknown();
        var cancel = PirateConsole.CancelOnCtrlC();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        var threads = new List<Thread>
        {
            new(() => Guard(() => Publisher(context, port, interval, stop.Token))),
            new(() => Guard(() => Subscriber(context, port + 1))),
        };

        using var subscriber = context.CreateSocket(ZmqSocketType.XSub);
        subscriber.Connect($"tcp://localhost:{port}");
        using var publisher = context.CreateSocket(ZmqSocketType.XPub);
        publisher.Bind($"tcp://*:{port + 1}");
        using var capture = context.CreateSocket(ZmqSocketType.Pair);
        capture.Bind("inproc://espresso-listener");
        threads.Add(new Thread(() => Guard(() => Listener(context, frames, stop))));
        threads.ForEach(t => t.Start());
        var proxy = new Thread(() => Guard(() => ZmqProxy.Run(subscriber, publisher, capture)));
        proxy.Start();
        stop.Token.WaitHandle.WaitOne();
        Console.WriteLine(" interrupted");
        context.Shutdown(); // ends the proxy and every blocked thread with ETERM, as zctx_destroy does
        proxy.Join();
        threads.ForEach(t => t.Join());
        subscriber.Dispose();
        publisher.Dispose();
        capture.Dispose();
        context.Dispose();
        return 0;
    }

    private static void Guard(Action body)
    {
        try
        {
            body();
        }
        catch (ContextTerminatedException)
        {
            // the context is shutting down: the thread ends
        }
        catch (ObjectDisposedException)
        {
            // ditto
        }
    }

    private static void Publisher(ZmqContext context, int port, int interval, CancellationToken stop)
    {
        using var publisher = context.CreateSocket(ZmqSocketType.Pub);
        publisher.Bind($"tcp://*:{port}");
        var random = new Random();
        while (!stop.IsCancellationRequested)
        {
            publisher.Send(string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + random.Next(10))}-{random.Next(100000):D5}"));
            stop.WaitHandle.WaitOne(interval); // a tenth of a second, as the Guide's
        }
    }

    private static void Subscriber(ZmqContext context, int port)
    {
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Connect($"tcp://localhost:{port}");
        subscriber.Subscribe("A");
        subscriber.Subscribe("B");
        for (int count = 0; count < 5; count++)
        {
            subscriber.ReceiveString();
        }
    }

    private static void Listener(ZmqContext context, int frames, CancellationTokenSource stop)
    {
        using var pipe = context.CreateSocket(ZmqSocketType.Pair);
        pipe.Connect("inproc://espresso-listener");
        for (int printed = 0; frames == 0 || printed < frames; printed++)
        {
            Console.WriteLine(FrameDump.Format(pipe.ReceiveBytes()));
        }

        stop.Cancel();
    }
}
