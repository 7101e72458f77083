using ZmqNative.Interop;

namespace ZmqNative.Benchmarks;

/// <summary>
/// Two connected inproc PAIR sockets in one context: a message sent on one is received on the
/// other in the same thread, so a benchmark measures one send and one receive with no other thread
/// in the loop. The raw pointers are those of the same sockets, for the raw-call baselines.
/// </summary>
public sealed unsafe class SocketPair : IDisposable
{
    private static int _next;

    public SocketPair()
    {
        Context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        Sender = Context.CreateSocket(ZmqSocketType.Pair);
        Receiver = Context.CreateSocket(ZmqSocketType.Pair);
        string endpoint = "inproc://bench-" + Interlocked.Increment(ref _next);
        Receiver.Bind(endpoint);
        Sender.Connect(endpoint);
        RawSender = (void*)Sender.Handle.DangerousGetHandle();
        RawReceiver = (void*)Receiver.Handle.DangerousGetHandle();
    }

    public ZmqContext Context { get; }

    public ZmqSocket Sender { get; }

    public ZmqSocket Receiver { get; }

    /// <summary>The sender's libzmq socket (valid while this pair is not disposed).</summary>
    public void* RawSender { get; }

    /// <summary>The receiver's libzmq socket (valid while this pair is not disposed).</summary>
    public void* RawReceiver { get; }

    public void Dispose()
    {
        Sender.Dispose();
        Receiver.Dispose();
        Context.Dispose();
    }
}
