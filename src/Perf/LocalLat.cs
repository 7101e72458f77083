namespace ZmqNative.Perf;

/// <summary>
/// local_lat: binds a REP socket and sends back each of <c>roundtrip-count</c> messages
/// (libzmq perf/local_lat.cpp). Prints nothing; remote_lat measures.
/// </summary>
internal static class LocalLat
{
    public const string Usage = "local_lat <bind-to> <message-size> <roundtrip-count>";

    public static int Run(string[] args, PerfOptions options)
    {
        if (args.Length != 3)
        {
            return PerfCommon.PrintUsage(Usage);
        }

        string bindTo = args[0];
        int size = PerfCommon.Int(args[1], "message-size");
        int roundtrips = PerfCommon.Int(args[2], "roundtrip-count", min: 1);

        using var context = PerfCommon.CreateContext();
        using var socket = context.CreateSocket(ZmqSocketType.Rep);
        socket.Bind(bindTo);
        using var loops = new LatencyLoops(socket, size, options.Span, options.Async);
        if (!loops.Pong(roundtrips))
        {
            return PerfCommon.WrongSize();
        }

        // local_lat sleeps a second before closing (zmq_sleep(1)) so the last reply leaves.
        // The infinite linger already guarantees that; the pause is kept for the same timing
        // of the process's exit as the C tool.
        Thread.Sleep(TimeSpan.FromSeconds(1));
        return 0;
    }
}
