using BenchmarkDotNet.Attributes;
using ZmqNative.Interop;

namespace ZmqNative.Benchmarks;

/// <summary>
/// One send and one receive of a small frame over inproc, each side either raw (LibZmq.zmq_* with
/// a pinned buffer, as C would call it) or through ZmqSocket. Mixing a raw side with a safe side
/// isolates what the safe layer adds to each of send and receive.
/// </summary>
[BenchmarkCategory("SendReceive")]
public unsafe class SendReceiveBenchmarks
{
    private SocketPair _pair = null!;
    private byte[] _buffer = null!;
    private ZmqMessage _out = null!;
    private ZmqMessage _in = null!;
    private LibZmq.zmq_msg_t _rawOut;
    private LibZmq.zmq_msg_t _rawIn;

    /// <summary>The frame size in bytes (libzmq keeps frames up to 33 bytes inside zmq_msg_t).</summary>
    [Params(1, 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pair = new SocketPair();
        _buffer = new byte[Size];
        _out = new ZmqMessage();
        _in = new ZmqMessage();
        fixed (LibZmq.zmq_msg_t* o = &_rawOut, i = &_rawIn)
        {
            LibZmq.zmq_msg_init(o);
            LibZmq.zmq_msg_init(i);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        fixed (LibZmq.zmq_msg_t* o = &_rawOut, i = &_rawIn)
        {
            LibZmq.zmq_msg_close(o);
            LibZmq.zmq_msg_close(i);
        }

        _out.Dispose();
        _in.Dispose();
        _pair.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw zmq_send + raw zmq_recv")]
    public int RawBytes()
    {
        fixed (byte* p = _buffer)
        {
            LibZmq.zmq_send(_pair.RawSender, p, (nuint)Size, 0);
            return LibZmq.zmq_recv(_pair.RawReceiver, p, (nuint)Size, 0);
        }
    }

    [Benchmark(Description = "safe Send(span) + raw zmq_recv")]
    public int SafeSendBytes()
    {
        _pair.Sender.Send(_buffer);
        fixed (byte* p = _buffer)
        {
            return LibZmq.zmq_recv(_pair.RawReceiver, p, (nuint)Size, 0);
        }
    }

    [Benchmark(Description = "raw zmq_send + safe Receive(span)")]
    public int SafeReceiveBytes()
    {
        fixed (byte* p = _buffer)
        {
            LibZmq.zmq_send(_pair.RawSender, p, (nuint)Size, 0);
        }

        return _pair.Receiver.Receive(_buffer);
    }

    [Benchmark(Description = "safe Send(span) + safe Receive(span)")]
    public int SafeBytes()
    {
        _pair.Sender.Send(_buffer);
        return _pair.Receiver.Receive(_buffer);
    }

    [Benchmark(Description = "raw msg: init_size, msg_send, msg_recv, msg_size")]
    public nuint RawMessage()
    {
        fixed (LibZmq.zmq_msg_t* o = &_rawOut, i = &_rawIn)
        {
            LibZmq.zmq_msg_close(o);
            LibZmq.zmq_msg_init_size(o, (nuint)Size);
            LibZmq.zmq_msg_send(o, _pair.RawSender, 0);
            LibZmq.zmq_msg_recv(i, _pair.RawReceiver, 0);
            return LibZmq.zmq_msg_size(i);
        }
    }

    [Benchmark(Description = "safe msg: Rebuild, Send(msg), Receive(msg), Size")]
    public int SafeMessage()
    {
        _out.Rebuild(Size);
        _pair.Sender.Send(_out);
        _pair.Receiver.Receive(_in);
        return _in.Size;
    }
}
