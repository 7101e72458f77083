namespace ZmqNative.Perf;

/// <summary>
/// remote_lat: connects a REQ socket, sends <c>roundtrip-count</c> messages to local_lat and
/// waits for each reply; prints half the mean roundtrip time (libzmq perf/remote_lat.cpp).
/// </summary>
internal static class RemoteLat
{
    public const string Usage = "remote_lat <connect-to> <message-size> <roundtrip-count>";

    public static int Run(string[] args, PerfOptions options)
    {
        if (args.Length != 3)
        {
            return PerfCommon.PrintUsage(Usage);
        }

        string connectTo = args[0];
        int size = PerfCommon.Int(args[1], "message-size");
        int roundtrips = PerfCommon.Int(args[2], "roundtrip-count", min: 1);

        using var context = PerfCommon.CreateContext();
        using var socket = context.CreateSocket(ZmqSocketType.Req);
        socket.Connect(connectTo);
        using var loops = new LatencyLoops(socket, size, options.Span, options.Async);

        long watch = PerfCommon.Start();
        if (!loops.Ping(roundtrips))
        {
            return PerfCommon.WrongSize();
        }

        ulong elapsed = PerfCommon.ElapsedMicroseconds(watch);
        Console.WriteLine($"message size: {size} [B]");
        Console.WriteLine($"roundtrip count: {roundtrips}");
        Console.WriteLine($"average latency: {PerfCommon.F3(LatencyLoops.Latency(elapsed, roundtrips))} [us]");
        return 0;
    }
}
