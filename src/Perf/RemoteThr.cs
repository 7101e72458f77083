namespace ZmqNative.Perf;

/// <summary>
/// remote_thr: connects a PUSH socket and sends <c>message-count</c> messages of
/// <c>message-size</c> bytes as fast as it can (libzmq perf/remote_thr.cpp). Closing waits
/// until every message was handed over (infinite linger, as in C).
/// </summary>
internal static class RemoteThr
{
    public const string Usage = "remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]";

    public static int Run(string[] args, PerfOptions options)
    {
        if (args.Length is not (3 or 4))
        {
            return PerfCommon.PrintUsage(Usage);
        }

        string connectTo = args[0];
        int size = PerfCommon.Int(args[1], "message-size");
        int count = PerfCommon.Int(args[2], "message-count", min: 1);
        if (args.Length == 4 && PerfCommon.Int(args[3], "enable_curve") != 0)
        {
            return Curve.NotPorted();
        }

        using var context = PerfCommon.CreateContext();
        using var socket = context.CreateSocket(ZmqSocketType.Push);
        socket.Connect(connectTo);
        using var source = new ThroughputSource(socket, size, options.Span, options.Async);
        source.Send(count);
        return 0;
    }
}
