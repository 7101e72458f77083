using BenchmarkDotNet.Attributes;
using ZmqNative.Interop;

namespace ZmqNative.Benchmarks;

/// <summary>
/// The pieces of a safe call on their own: a P/Invoke that does nothing much (zmq_errno), the
/// socket lease (busy flag + SafeHandle add-ref/release), a message's Size against zmq_msg_size,
/// and a non-blocking receive that finds nothing (EAGAIN), raw and safe.
/// </summary>
[BenchmarkCategory("CallOverhead")]
public unsafe class CallOverheadBenchmarks
{
    private SocketPair _pair = null!;
    private ZmqMessage _message = null!;
    private byte[] _buffer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pair = new SocketPair();
        _message = new ZmqMessage(16);
        _buffer = new byte[16];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _message.Dispose();
        _pair.Dispose();
    }

    [Benchmark(Description = "raw zmq_errno (one P/Invoke)")]
    public int RawErrno() => LibZmq.zmq_errno();

    [Benchmark(Description = "socket.Enter() + Dispose (the lease)")]
    public nint Lease()
    {
        using var lease = _pair.Receiver.Enter();
        return (nint)lease.Socket;
    }

    [Benchmark(Description = "raw zmq_msg_size")]
    public nuint RawMessageSize() => LibZmq.zmq_msg_size(_message.Pointer);

    [Benchmark(Description = "ZmqMessage.Size")]
    public int MessageSize() => _message.Size;

    [Benchmark(Description = "raw zmq_recv DONTWAIT -> EAGAIN")]
    public bool RawTryReceiveEmpty()
    {
        fixed (byte* p = _buffer)
        {
            return LibZmq.zmq_recv(_pair.RawReceiver, p, (nuint)_buffer.Length, 1) == -1 && LibZmq.LastErrno() == Errno.EAGAIN;
        }
    }

    [Benchmark(Description = "raw zmq_recv_nogc DONTWAIT -> EAGAIN (errno read at once, no capture)")]
    public bool RawTryReceiveEmptyNoGc()
    {
        fixed (byte* p = _buffer)
        {
            return LibZmq.zmq_recv_nogc(_pair.RawReceiver, p, (nuint)_buffer.Length, 1) == -1 && LibZmq.ErrnoNow() == Errno.EAGAIN;
        }
    }

    [Benchmark(Description = "TryReceive(span) on EAGAIN")]
    public bool TryReceiveEmpty() => _pair.Receiver.TryReceive(_buffer, out _);

    [Benchmark(Description = "raw zmq_msg_recv DONTWAIT -> EAGAIN")]
    public bool RawTryReceiveMessageEmpty() =>
        LibZmq.zmq_msg_recv(_message.Pointer, _pair.RawReceiver, 1) == -1 && LibZmq.LastErrno() == Errno.EAGAIN;

    [Benchmark(Description = "TryReceive(ZmqMessage) on EAGAIN")]
    public bool TryReceiveMessageEmpty() => _pair.Receiver.TryReceive(_message);
}
