using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ZmqNative.Perf;

/// <summary>
/// --warmup: before the tool starts its clock, runs the same send and receive code (the tools'
/// ThroughputSource/Sink and LatencyLoops over inproc) until .NET's tiered compilation has replaced
/// the first, unoptimised code. The C tools need no such thing; without it, a short run (the
/// latency tools' 10,000 round trips last about 0.4 s) measures part of the JIT's warm-up as if it
/// were a cost per message.
/// </summary>
/// <remarks>
/// It ends once the JIT has compiled something after the first two passes (which compile the
/// first code; after them, what it compiles is promotions) and then nothing for
/// <see cref="QuietMs"/>; never before <see cref="MinimumMs"/>, never after <see cref="MaximumMs"/>
/// (where nothing is promoted, e.g. with tiered compilation off). A fixed 0.5 s was too short: the
/// runtime starts promoting only after a delay (100 ms) that is ten times longer when the process
/// has a single CPU (TC_DelaySingleProcMultiplier; measured with JitInfo: promotions at about 2 s
/// with the process on one core, at 0.17-0.95 s on two), so on one core the tools' loops ran code
/// the JIT compiled on-stack inside the timed run (4 methods, about 6 ms, in a 0.5 s inproc_thr run).
/// </remarks>
internal static class Warmup
{
    private const long MinimumMs = 500;
    private const long QuietMs = 250;
    private const long MaximumMs = 5000;

    /// <summary>How long the warm-up ran and how many methods the JIT compiled meanwhile (for --info).</summary>
    public static string? Summary { get; private set; }

    public static void Run(int size, bool span, bool async = false)
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
        using var source = new ThroughputSource(push, size, span, async);
        using var sink = new ThroughputSink(pull, size, span, async);
        using var ping = new LatencyLoops(req, size, span, async);
        using var pong = new LatencyLoops(rep, size, span, async);

        const int Batch = 200; // below the default high-water mark of 1,000: one thread sends, then receives
        void Pass()
        {
            source.Send(Batch);
            sink.Receive(Batch);
            var answer = new Thread(() => pong.Pong(Batch));
            answer.Start();
            ping.Ping(Batch);
            answer.Join();
        }

        long before = JitInfo.GetCompiledMethodCount();
        var clock = Stopwatch.StartNew();
        Pass();
        Pass();
        long firstCode = JitInfo.GetCompiledMethodCount();
        long seen = firstCode;
        long lastCompiledMs = clock.ElapsedMilliseconds;
        // Precompiled (NativeAOT) code has nothing to promote: the minimum is all it needs.
        long untilMs = RuntimeFeature.IsDynamicCodeCompiled ? MaximumMs : MinimumMs;
        while (clock.ElapsedMilliseconds < untilMs)
        {
            Pass();
            long compiled = JitInfo.GetCompiledMethodCount();
            long nowMs = clock.ElapsedMilliseconds;
            if (compiled != seen)
            {
                seen = compiled;
                lastCompiledMs = nowMs;
            }
            else if (seen != firstCode && nowMs >= MinimumMs && nowMs - lastCompiledMs >= QuietMs)
            {
                break;
            }
        }

        Summary = $"warm-up: {clock.ElapsedMilliseconds} ms, {seen - before} methods compiled, the last at {lastCompiledMs} ms";
    }
}
