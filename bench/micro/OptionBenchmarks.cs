using BenchmarkDotNet.Attributes;
using ZmqNative.Interop;

namespace ZmqNative.Benchmarks;

/// <summary>Socket options, raw zmq_getsockopt/zmq_setsockopt against the typed properties.</summary>
[BenchmarkCategory("Options")]
public unsafe class OptionBenchmarks
{
    private SocketPair _pair = null!;

    [GlobalSetup]
    public void Setup() => _pair = new SocketPair();

    [GlobalCleanup]
    public void Cleanup() => _pair.Dispose();

    [Benchmark(Description = "raw zmq_getsockopt(ZMQ_SNDHWM)")]
    public int RawGetInt()
    {
        int value;
        nuint size = sizeof(int);
        LibZmq.zmq_getsockopt(_pair.RawSender, LibZmq.ZMQ_SNDHWM, &value, &size);
        return value;
    }

    [Benchmark(Description = "SendHighWatermark get")]
    public int SafeGetInt() => _pair.Sender.SendHighWatermark;

    [Benchmark(Description = "raw zmq_setsockopt(ZMQ_SNDHWM)")]
    public int RawSetInt()
    {
        int value = 1000;
        return LibZmq.zmq_setsockopt(_pair.RawSender, LibZmq.ZMQ_SNDHWM, &value, sizeof(int));
    }

    [Benchmark(Description = "SendHighWatermark set")]
    public void SafeSetInt() => _pair.Sender.SendHighWatermark = 1000;

    [Benchmark(Description = "raw zmq_getsockopt(ZMQ_EVENTS)")]
    public int RawGetEvents()
    {
        int value;
        nuint size = sizeof(int);
        LibZmq.zmq_getsockopt(_pair.RawReceiver, LibZmq.ZMQ_EVENTS, &value, &size);
        return value;
    }

    [Benchmark(Description = "Events get")]
    public ZmqPollEvents SafeGetEvents() => _pair.Receiver.Events;

    [Benchmark(Description = "Linger get (TimeSpan)")]
    public TimeSpan SafeGetLinger() => _pair.Sender.Linger;
}
