namespace ZmqNative.Perf;

/// <summary>
/// proxy_thr: two XPUB publishers flood an XSUB/XPUB proxy (zmq_proxy_steerable, through
/// <see cref="ZmqProxy.RunSteerable"/>) that forwards to one SUB, all over inproc with 4 I/O
/// threads and high-water marks of 10000; ZMQ_XPUB_NODROP makes the publishers wait instead of
/// dropping. Throughput is what the subscriber receives, timed from before the publishers start
/// (libzmq perf/proxy_thr.cpp).
/// </summary>
internal static class ProxyThr
{
    public const string Usage = "proxy_thr <message-size> <message-count>";

    private const int Hwm = 10_000;
    private const string Frontend1 = "inproc://perf_pub1";
    private const string Frontend2 = "inproc://perf_pub2";
    private const string Backend = "inproc://perf_backend";
    private const string Control = "inproc://ctrl";

    public static int Run(string[] args, PerfOptions options)
    {
        if (args.Length != 2)
        {
            return PerfCommon.PrintUsage(Usage);
        }

        int size = PerfCommon.Int(args[0], "message-size");
        int count = PerfCommon.Int(args[1], "message-count");
        Console.WriteLine($"message size: {size} [B]");
        Console.WriteLine($"message count: {count}");

        // Unmeasured passes first, for half a second: the C tool starts its clock before its threads
        // exist, and so does this port, so without them the JIT compiling (and, after ~100 ms of
        // calls, recompiling optimised) the threads' code would be timed too. A single 2,000-message
        // pass left the 64 KiB row (a 20 ms window) at 0.68-0.80x of C.
        var warming = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            Measure(size, Math.Min(count, 20_000));
        }
        while (warming.Elapsed < TimeSpan.FromMilliseconds(500));

        ulong elapsed = Measure(size, count);
        ThroughputSink.Print(size, count, elapsed, truncateMessagesPerSecond: true, header: false);
        return 0;
    }

    /// <summary>One run: proxy, subscriber and two publishers; the time from starting the publishers to the subscriber's last message.</summary>
    private static ulong Measure(int size, int count)
    {
        using var context = PerfCommon.CreateContext();
        context.IoThreads = 4;
        var failures = new List<Exception>();
        Thread Start(string name, Action body)
        {
            var thread = new Thread(() =>
            {
                try
                {
                    body();
                }
                catch (Exception e)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }
                }
            })
            { Name = name };
            thread.Start();
            return thread;
        }

        Exception? Failure()
        {
            lock (failures)
            {
                return failures.Count == 0 ? null : failures[0];
            }
        }

        // The proxy binds everything, and inproc needs the bind first (libzmq 4.3 allows connect
        // first too, but the C tool's order is kept): wait until it is running.
        using var proxyReady = new ManualResetEventSlim();
        var proxy = Start("proxy_thr proxy", () => RunProxy(context, proxyReady));
        if (!proxyReady.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("the proxy did not start", Failure());
        }

        var subscriber = Start("proxy_thr subscriber", () => Subscribe(context, size, count));
        long watch = PerfCommon.Start();
        using var subscriberDone = new ManualResetEventSlim();
        var publisher1 = Start("proxy_thr publisher 1", () => Publish(context, Frontend1, size, count, subscriberDone));
        var publisher2 = Start("proxy_thr publisher 2", () => Publish(context, Frontend2, size, count, subscriberDone));

        PerfCommon.Join(subscriber, Failure);
        ulong elapsed = PerfCommon.ElapsedMicroseconds(watch);
        subscriberDone.Set();

        PerfCommon.Join(publisher1, Failure);
        PerfCommon.Join(publisher2, Failure);
        using (var control = context.CreateSocket(ZmqSocketType.Req))
        {
            control.Connect(Control);
            control.Send("TERMINATE"u8);
        }

        PerfCommon.Join(proxy, Failure);
        return elapsed;
    }

    private static void RunProxy(ZmqContext context, ManualResetEventSlim ready)
    {
        using var frontend = context.CreateSocket(ZmqSocketType.XSub);
        SetHwm(frontend);
        frontend.Bind(Frontend1);
        frontend.Bind(Frontend2);
        using var backend = context.CreateSocket(ZmqSocketType.XPub);
        backend.XPubNoDrop = true;
        SetHwm(backend);
        backend.Bind(Backend);
        using var control = context.CreateSocket(ZmqSocketType.Rep);
        control.Bind(Control);
        ready.Set();
        ZmqProxy.RunSteerable(frontend, backend, null, control);
    }

    private static void Subscribe(ZmqContext context, int size, int count)
    {
        using var socket = context.CreateSocket(ZmqSocketType.Sub);
        SetHwm(socket);
        socket.Subscribe(ReadOnlySpan<byte>.Empty);
        socket.Connect(Backend);
        using var message = new ZmqMessage();
        for (int received = 0; received < count; received++)
        {
            socket.Receive(message);
        }
    }

    private static void Publish(ZmqContext context, string endpoint, int size, int count, ManualResetEventSlim subscriberDone)
    {
        using var socket = context.CreateSocket(ZmqSocketType.XPub);
        SetHwm(socket);
        socket.XPubNoDrop = true;
        socket.Connect(endpoint);

        // Start only once the proxy's subscription (one byte: 1, "subscribe to everything") arrived.
        // Either publisher alone sends enough for the subscriber, which may be done, unsubscribed
        // and gone before a late publisher connects; that one then never gets a subscription (the C
        // tool would hang there; with short passes of 20,000 messages it happened here), so it stops
        // waiting once the subscriber is done.
        Span<byte> subscription = stackalloc byte[32];
        int length;
        while (!socket.TryReceive(subscription, TimeSpan.FromMilliseconds(50), out length))
        {
            if (subscriberDone.IsSet)
            {
                return;
            }
        }

        if (length != 1 || subscription[0] != 1)
        {
            throw new InvalidOperationException($"unexpected subscription message ({length} bytes)");
        }

        // The C tool sends copies of one message (zmq_msg_copy: the content is shared, not copied)
        // with a 1 ms ZMQ_SNDTIMEO, retrying on EAGAIN. Here the send blocks until there is room
        // (no timeout): the same wait inside libzmq, without an exception for each EAGAIN.
        using var original = new ZmqMessage(size);
        original.Data.Fill((byte)'A');
        using var message = new ZmqMessage();
        for (int sent = 0; sent < count; sent++)
        {
            message.CopyFrom(original);
            socket.Send(message);
        }
    }

    private static void SetHwm(ZmqSocket socket)
    {
        socket.SendHighWatermark = Hwm;
        socket.ReceiveHighWatermark = Hwm;
    }
}
