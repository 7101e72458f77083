using System.Diagnostics;

namespace ZmqNative.Perf;

/// <summary>
/// --warmup: before the tool starts its clock, runs the same send and receive code (the tools'
/// ThroughputSource/Sink and LatencyLoops over inproc) for about half a second, so .NET's tiered
/// compilation has replaced the first, unoptimised code. The C tools need no such thing; without
/// it, a short run (the latency tools' 10,000 round trips last about 0.4 s) measures part of the
/// JIT's warm-up as if it were a cost per message.
/// </summary>
internal static class Warmup
{
    private static readonly TimeSpan Duration = TimeSpan.FromMilliseconds(500);

    public static void Run(int size, bool span)
    {
        using var context = PerfCommon.CreateContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://zmqperf-warmup-thr");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect("inproc://zmqperf-warmup-thr");
        using var rep = context.CreateSocket(ZmqSocketType.Rep);
        rep.Bind("inproc://zmqperf-warmup-lat");
        using var req = context.CreateSocket(ZmqSocketType.Req);
        req.Connect("inproc://zmqperf-warmup-lat");
        using var source = new ThroughputSource(push, size, span);
        using var sink = new ThroughputSink(pull, size, span);
        using var ping = new LatencyLoops(req, size, span);
        using var pong = new LatencyLoops(rep, size, span);

        const int Batch = 200; // below the default high-water mark of 1,000: one thread sends, then receives
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Duration)
        {
            source.Send(Batch);
            sink.Receive(Batch);
            var answer = new Thread(() => pong.Pong(Batch));
            answer.Start();
            ping.Ping(Batch);
            answer.Join();
        }
    }
}
