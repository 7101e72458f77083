namespace ZmqNative.Perf;

/// <summary>
/// zerocopy_thr (zmqperf's own, no C counterpart): throughput of one sending thread and one
/// receiving thread in one process, the sender either copying each payload into libzmq or
/// handing it over without a copy, to find where <see cref="ZmqMessage.ZeroCopyThreshold"/>
/// should sit. Modes:
/// <list type="bullet">
/// <item><c>copy</c>: <see cref="ZmqSocket.Send(ReadOnlySpan{byte}, bool)"/> (zmq_send copies into a new zmq_msg_t).</item>
/// <item><c>copymsg</c>: <see cref="ZmqMessage.ZeroCopy"/> below its threshold, i.e. a new ZmqMessage holding a copy.</item>
/// <item><c>zerocopy</c>: <see cref="ZmqMessage.ZeroCopy"/> above its threshold: the array is pinned and
/// given to zmq_msg_init_data; libzmq's free callback unpins it.</item>
/// </list>
/// The receiver reuses one ZmqMessage and times the messages from the first to the last, like local_thr.
/// </summary>
internal static class ZeroCopyThr
{
    public const string Usage = "zerocopy_thr <inproc|tcp> <copy|copymsg|zerocopy> <message-size> <message-count>";

    public static int Run(string[] args, PerfOptions options)
    {
        if (args.Length != 4 || args[0] is not ("inproc" or "tcp") || args[1] is not ("copy" or "copymsg" or "zerocopy"))
        {
            return PerfCommon.PrintUsage(Usage);
        }

        string transport = args[0];
        string mode = args[1];
        int size = PerfCommon.Int(args[2], "message-size");
        int count = PerfCommon.Int(args[3], "message-count", min: 1);

        // Set for this process only: every payload goes the way the mode says.
        ZmqMessage.ZeroCopyThreshold = mode == "zerocopy" ? 0 : int.MaxValue;

        using var context = PerfCommon.CreateContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);
        socket.Bind(transport == "inproc" ? "inproc://zerocopy_thr" : "tcp://127.0.0.1:*");
        string endpoint = socket.LastEndpoint;

        // One payload, sent over and over: neither side ever writes it, so sending it again
        // while libzmq still holds earlier zero-copy messages of it is safe.
        var payload = new byte[size];
        Exception? failure = null;
        var worker = new Thread(() =>
        {
            try
            {
                using var push = context.CreateSocket(ZmqSocketType.Push);
                push.Connect(endpoint);
                for (int i = 0; i != count; i++)
                {
                    if (mode == "copy")
                    {
                        push.Send(payload);
                    }
                    else
                    {
                        using var message = ZmqMessage.ZeroCopy(payload, out _);
                        push.Send(message);
                    }
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { Name = "zerocopy_thr sender" };
        worker.Start();

        var sink = new ThroughputSink(socket, size, span: false);
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

        Console.WriteLine($"transport: {transport}");
        Console.WriteLine($"mode: {mode}");
        ThroughputSink.Print(size, count, elapsed, truncateMessagesPerSecond: false);
        return 0;
    }
}
