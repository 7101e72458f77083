namespace ZmqNative.Perf;

/// <summary>
/// inproc_lat: REQ in the main thread, REP in a worker thread, over inproc://; prints half the
/// mean roundtrip time (libzmq perf/inproc_lat.cpp).
/// </summary>
internal static class InprocLat
{
    public const string Usage = "inproc_lat <message-size> <roundtrip-count>";

    private const string Endpoint = "inproc://lat_test";

    public static int Run(string[] args, PerfOptions options)
    {
        if (args.Length != 2)
        {
            return PerfCommon.PrintUsage(Usage);
        }

        int size = PerfCommon.Int(args[0], "message-size");
        int roundtrips = PerfCommon.Int(args[1], "roundtrip-count", min: 1);

        using var context = PerfCommon.CreateContext();
        using var socket = context.CreateSocket(ZmqSocketType.Req);
        socket.Bind(Endpoint);

        Exception? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                using var rep = context.CreateSocket(ZmqSocketType.Rep);
                rep.Connect(Endpoint);
                using var loops = new LatencyLoops(rep, size, options.Span, options.Async);
                if (!loops.Pong(roundtrips))
                {
                    throw new InvalidOperationException("message of incorrect size received");
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { Name = "inproc_lat worker" };
        worker.Start();

        using var loops = new LatencyLoops(socket, size, options.Span, options.Async);
        Console.WriteLine($"message size: {size} [B]");
        Console.WriteLine($"roundtrip count: {roundtrips}");

        long watch = PerfCommon.Start();
        if (!loops.Ping(roundtrips))
        {
            return PerfCommon.WrongSize();
        }

        ulong elapsed = PerfCommon.ElapsedMicroseconds(watch);
        PerfCommon.Join(worker, () => failure);
        Console.WriteLine($"average latency: {PerfCommon.F3(LatencyLoops.Latency(elapsed, roundtrips))} [us]");
        return 0;
    }
}
