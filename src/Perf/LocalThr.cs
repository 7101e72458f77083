namespace ZmqNative.Perf;

/// <summary>
/// local_thr: binds a PULL socket, receives <c>message-count</c> messages of <c>message-size</c>
/// bytes from remote_thr and prints the throughput, timed from the first message to the last
/// (libzmq perf/local_thr.cpp).
/// </summary>
internal static class LocalThr
{
    public const string Usage = "local_thr <bind-to> <message-size> <message-count> [<enable_curve>]";

    public static int Run(string[] args, PerfOptions options)
    {
        if (args.Length is not (3 or 4))
        {
            return PerfCommon.PrintUsage(Usage);
        }

        string bindTo = args[0];
        int size = PerfCommon.Int(args[1], "message-size");
        int count = PerfCommon.Int(args[2], "message-count", min: 1);
        if (args.Length == 4 && PerfCommon.Int(args[3], "enable_curve") != 0)
        {
            return Curve.NotPorted();
        }

        using var context = PerfCommon.CreateContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);
        socket.Bind(bindTo);

        var sink = new ThroughputSink(socket, size, options.Span, options.Async);
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

        ThroughputSink.Print(size, count, elapsed, truncateMessagesPerSecond: false);
        return 0;
    }
}

/// <summary>The optional CURVE argument of local_thr/remote_thr.</summary>
internal static class Curve
{
    // The C tools carry fixed CURVE keys of their own; zmqperf does not reuse them, so the
    // CURVE variant is not offered rather than offered unable to talk to the C tools.
    public static int NotPorted()
    {
        Console.WriteLine("zmqperf: the <enable_curve> variant is not ported; run without it (or with 0)");
        return 1;
    }
}
