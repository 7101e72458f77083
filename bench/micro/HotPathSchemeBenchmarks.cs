using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using ZmqNative.Interop;

namespace ZmqNative.Benchmarks;

/// <summary>
/// What the pieces of a safe call cost, and what the alternatives cost, partly on stand-ins so a
/// scheme can be measured before the library adopts it:
/// <list type="bullet">
/// <item>a P/Invoke with the GC transition (as generated) and with [SuppressGCTransition] (through a
/// function pointer to the same export), for a trivial function (zmq_msg_size);</item>
/// <item>the socket lease (ZmqSocket.Enter: one interlocked exchange in, a plain store out) against
/// the scheme it replaced (busy flag + SafeHandle add-ref/release: three interlocked operations)
/// and a lease that folds the disposal state into the busy flag (one compare-exchange to enter,
/// one to leave), and the process-wide barrier ZmqSocket.Dispose pays instead.</item>
/// </list>
/// </summary>
[BenchmarkCategory("Schemes")]
public unsafe class HotPathSchemeBenchmarks
{
    private SocketPair _pair = null!;
    private ZmqMessage _message = null!;
    private delegate* unmanaged[Cdecl]<LibZmq.zmq_msg_t*, nuint> _msgSize;
    private delegate* unmanaged[Cdecl, SuppressGCTransition]<LibZmq.zmq_msg_t*, nuint> _msgSizeNoTransition;
    private readonly TwoCasLease _twoCas = new();
    private readonly OneCasLease _oneCas = new();
    private int _busy;

    [GlobalSetup]
    public void Setup()
    {
        _pair = new SocketPair();
        _message = new ZmqMessage(16);
        nint library = NativeLibrary.Load(ZmqNativeLibrary.LoadedFrom!);
        nint export = NativeLibrary.GetExport(library, "zmq_msg_size");
        _msgSize = (delegate* unmanaged[Cdecl]<LibZmq.zmq_msg_t*, nuint>)export;
        _msgSizeNoTransition = (delegate* unmanaged[Cdecl, SuppressGCTransition]<LibZmq.zmq_msg_t*, nuint>)export;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _message.Dispose();
        _pair.Dispose();
    }

    [Benchmark(Description = "zmq_msg_size via function pointer, GC transition")]
    public nuint MsgSizeTransition() => _msgSize(_message.Pointer);

    [Benchmark(Description = "zmq_msg_size via function pointer, SuppressGCTransition")]
    public nuint MsgSizeNoTransition() => _msgSizeNoTransition(_message.Pointer);

    [Benchmark(Baseline = true, Description = "lease: ZmqSocket.Enter() + Dispose (xchg enter, plain-store leave)")]
    public nint CurrentLease()
    {
        using var lease = _pair.Receiver.Enter();
        return (nint)lease.Socket;
    }

    [Benchmark(Description = "lease: busy xchg + SafeHandle addref/release (the scheme before)")]
    public nint SafeHandleLease()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("concurrent use");
        }

        bool added = false;
        _pair.Receiver.Handle.DangerousAddRef(ref added);
        nint socket = _pair.Receiver.Handle.DangerousGetHandle();
        _pair.Receiver.Handle.DangerousRelease();
        Volatile.Write(ref _busy, 0);
        return socket;
    }

    [Benchmark(Description = "lease: CAS enter + CAS leave (state folds in disposal)")]
    public int TwoCas()
    {
        _twoCas.Enter();
        _twoCas.Exit();
        return _twoCas.Value;
    }

    [Benchmark(Description = "lease: CAS enter + plain store leave (stand-in)")]
    public int OneCas()
    {
        _oneCas.Enter();
        _oneCas.Exit();
        return _oneCas.Value;
    }

    [Benchmark(Description = "Interlocked.MemoryBarrierProcessWide (paid once per ZmqSocket.Dispose)")]
    public void ProcessWideBarrier() => Interlocked.MemoryBarrierProcessWide();

    /// <summary>States 0 idle, 1 busy, 2 busy with a disposal waiting, 3 disposed.</summary>
    private sealed class TwoCasLease
    {
        private int _state;

        public int Value { get; } = 7;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Enter()
        {
            int seen = Interlocked.CompareExchange(ref _state, 1, 0);
            if (seen != 0)
            {
                Throw(seen);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Exit()
        {
            if (Interlocked.CompareExchange(ref _state, 0, 1) != 1)
            {
                CompleteDispose();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void CompleteDispose() => Volatile.Write(ref _state, 3);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Throw(int state) =>
            throw (state >= 2 ? new ObjectDisposedException("socket") : new InvalidOperationException("concurrent use"));
    }

    private sealed class OneCasLease
    {
        private int _state;
        private volatile bool _disposeRequested;

        public int Value { get; } = 7;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Enter()
        {
            int seen = Interlocked.CompareExchange(ref _state, 1, 0);
            if (seen != 0 || _disposeRequested)
            {
                Throw(seen);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Exit()
        {
            Volatile.Write(ref _state, 0);
            if (_disposeRequested)
            {
                CompleteDispose();
            }
        }

        /// <summary>The disposal side: flag, then a process-wide barrier, then try to close (never run here).</summary>
        public void RequestDispose()
        {
            _disposeRequested = true;
            Interlocked.MemoryBarrierProcessWide();
            CompleteDispose();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void CompleteDispose() => Interlocked.CompareExchange(ref _state, 3, 0);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Throw(int state) =>
            throw (state >= 2 ? new ObjectDisposedException("socket") : new InvalidOperationException("concurrent use"));
    }
}
