using System.Diagnostics;
using NetMQ;
using NetMQ.Sockets;

// netmqperf local_thr|remote_thr|local_lat|remote_lat <endpoint> <message-size> <count> [--warmup] [other zmqperf flags, ignored]
// Prints zmqperf's lines ("mean throughput: N [msg/s]", "average latency: X [us]").
string[] positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
bool warmup = args.Contains("--warmup");
if (positional.Length != 4 || !int.TryParse(positional[2], out int size) || !int.TryParse(positional[3], out int count) || size < 0 || count < 1)
{
    Console.Error.WriteLine("usage: netmqperf local_thr|remote_thr|local_lat|remote_lat <endpoint> <message-size> <count> [--warmup]");
    return 2;
}

string endpoint = positional[1];
if (warmup)
{
    Perf.Warmup(size);
}

try
{
    return positional[0] switch
    {
        "local_thr" => Perf.LocalThr(endpoint, size, count),
        "remote_thr" => Perf.RemoteThr(endpoint, size, count),
        "local_lat" => Perf.LocalLat(endpoint, size, count),
        "remote_lat" => Perf.RemoteLat(endpoint, size, count),
        _ => 2,
    };
}
finally
{
    NetMQConfig.Cleanup(block: true);
}

/// <summary>The four tools: receives through NetMQ's async receive in a NetMQRuntime, sends with SendFrame.</summary>
internal static class Perf
{
    public static int LocalThr(string endpoint, int size, int count)
    {
        using var socket = new PullSocket();
        socket.Bind(endpoint);
        long start = 0;
        bool ok = true;
        using (var runtime = new NetMQRuntime())
        {
            runtime.Run(Receive());
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (!ok)
        {
            Console.Error.WriteLine("netmqperf: message of the wrong size");
            return 1;
        }

        Console.WriteLine($"message size: {size} [B]");
        Console.WriteLine($"message count: {count}");
        Console.WriteLine($"mean throughput: {(long)(count / seconds)} [msg/s]");
        return 0;

        async Task Receive()
        {
            for (int i = 0; i < count; i++)
            {
                var (frame, _) = await socket.ReceiveFrameBytesAsync();
                if (i == 0)
                {
                    start = Stopwatch.GetTimestamp(); // from the first message, as local_thr
                }

                ok &= frame.Length == size;
            }
        }
    }

    public static int RemoteThr(string endpoint, int size, int count)
    {
        using var socket = new PushSocket();
        socket.Options.Linger = TimeSpan.FromSeconds(30); // every message handed over before the exit
        socket.Connect(endpoint);
        var payload = new byte[size];
        for (int i = 0; i < count; i++)
        {
            socket.SendFrame(payload);
        }

        return 0;
    }

    public static int LocalLat(string endpoint, int size, int roundtrips)
    {
        using var socket = new ResponseSocket();
        socket.Bind(endpoint);
        using (var runtime = new NetMQRuntime())
        {
            runtime.Run(Echo());
        }

        Thread.Sleep(1000); // as local_lat: let the last reply go out
        return 0;

        async Task Echo()
        {
            for (int i = 0; i < roundtrips; i++)
            {
                var (frame, _) = await socket.ReceiveFrameBytesAsync();
                socket.SendFrame(frame);
            }
        }
    }

    public static int RemoteLat(string endpoint, int size, int roundtrips)
    {
        using var socket = new RequestSocket();
        socket.Connect(endpoint);
        var payload = new byte[size];
        long start = Stopwatch.GetTimestamp();
        bool ok = true;
        using (var runtime = new NetMQRuntime())
        {
            runtime.Run(Ping());
        }

        double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        if (!ok)
        {
            Console.Error.WriteLine("netmqperf: message of the wrong size");
            return 1;
        }

        Console.WriteLine($"message size: {size} [B]");
        Console.WriteLine($"roundtrip count: {roundtrips}");
        Console.WriteLine($"average latency: {us / (roundtrips * 2.0):F3} [us]");
        return 0;

        async Task Ping()
        {
            for (int i = 0; i < roundtrips; i++)
            {
                socket.SendFrame(payload);
                var (frame, _) = await socket.ReceiveFrameBytesAsync();
                ok &= frame.Length == size;
            }
        }
    }

    /// <summary>Runs the same code in-process (inproc) until the JIT has promoted it, about half a second.</summary>
    public static void Warmup(int size)
    {
        const string Endpoint = "inproc://netmqperf-warmup";
        using var pull = new PullSocket();
        pull.Bind(Endpoint);
        using var push = new PushSocket();
        push.Connect(Endpoint);
        var payload = new byte[size];
        var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
        using var runtime = new NetMQRuntime();
        runtime.Run(Loop());

        async Task Loop()
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                for (int i = 0; i < 1000; i++)
                {
                    push.SendFrame(payload);
                    await pull.ReceiveFrameBytesAsync();
                }
            }
        }
    }
}
