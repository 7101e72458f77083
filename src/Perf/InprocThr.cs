namespace ZmqNative.Perf;

/// <summary>
/// inproc_thr: a worker thread sends <c>message-count</c> messages over inproc:// to a PULL
/// socket in the main thread, which times them from the first to the last
/// (libzmq perf/inproc_thr.cpp).
/// </summary>
internal static class InprocThr
{
    public const string Usage = "inproc_thr <message-size> <message-count>";

    private const string Endpoint = "inproc://thr_test";

    public static int Run(string[] args, PerfOptions options)
    {
        if (args.Length != 2)
        {
            return PerfCommon.PrintUsage(Usage);
        }

        int size = PerfCommon.Int(args[0], "message-size");
        int count = PerfCommon.Int(args[1], "message-count", min: 1);

        using var context = PerfCommon.CreateContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);
        socket.Bind(Endpoint);

        Exception? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                using var push = context.CreateSocket(ZmqSocketType.Push);
                push.Connect(Endpoint);
                using var source = new ThroughputSource(push, size, options.Span, options.Async);
                source.Send(count);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { Name = "inproc_thr worker" };
        worker.Start();

        var sink = new ThroughputSink(socket, size, options.Span, options.Async);
        Console.WriteLine($"message size: {size} [B]");
        Console.WriteLine($"message count: {count}");
        if (!sink.ReceiveOne())
        {
            return PerfCommon.WrongSize();
        }

        long watch = PerfCommon.Start();
        if (!sink.Receive(count - 1))
        {
            return PerfCommon.WrongSize();
        }

        ulong elapsed = PerfCommon.ElapsedMicroseconds(watch);
        sink.Dispose();
        PerfCommon.Join(worker, () => failure);

        ThroughputSink.Print(size, count, elapsed, truncateMessagesPerSecond: true, header: false);
        return 0;
    }
}
