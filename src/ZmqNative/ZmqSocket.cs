using System.Runtime.CompilerServices;
using ZmqNative.Interop;
using ZmqNative.SafeHandles;

namespace ZmqNative;

/// <summary>
/// A ZeroMQ socket (zmq_socket(3)) of one <see cref="ZmqSocketType"/>, created from a
/// <see cref="ZmqContext"/>. Bind or connect it, then send and receive messages.
/// </summary>
/// <remarks>
/// <para><b>One thread at a time.</b> Like libzmq's own sockets, a socket must be used by one
/// thread at a time; it may move between threads when the handover is synchronised. Every call
/// checks this with one interlocked exchange, in Debug and Release alike: a call that overlaps
/// another call on the same socket throws <see cref="InvalidOperationException"/> instead of
/// corrupting libzmq's state (its cost: bench/micro,
/// HotPathSchemeBenchmarks). The draft thread-safe types (<see cref="IsThreadSafe"/>: CLIENT,
/// SERVER, RADIO, DISH, SCATTER, GATHER, PEER, CHANNEL; zmq_socket(3)) are exempt: any number
/// of threads may call them at once, and a count of the calls in progress keeps them open.</para>
/// <para><b>Lifetime.</b> Dispose closes it (zmq_close(3), which never blocks: queued messages are
/// sent by the context for up to the linger). Disposing twice is harmless; any other use after
/// disposal throws <see cref="ObjectDisposedException"/>. Disposing from another thread while a
/// call is blocked in this socket closes it when that call returns; to end blocked calls, shut
/// down or dispose the context. A socket never disposed is closed when garbage-collected.</para>
/// <para><b>Errors.</b> Failures throw <see cref="ZmqException"/> with the errno; EAGAIN from a
/// <c>Try*</c> method is a <c>false</c> result; EINTR is retried.</para>
/// </remarks>
public sealed unsafe partial class ZmqSocket : IDisposable
{
    private readonly ZmqSocketHandle _handle;
    private readonly bool _threadSafe;

    // Not thread-safe types: 1 while a call is inside, else 0. Thread-safe types: the number of
    // calls inside. Either way the native socket is closed only when it is 0 (see Dispose).
    private int _busy;
    private volatile bool _disposeRequested;

    /// <summary>Creates a socket of the given type in <paramref name="context"/>.</summary>
    /// <param name="context">The context that owns the socket.</param>
    /// <param name="type">The socket type.</param>
    /// <exception cref="NotSupportedException">A draft type and the loaded libzmq has no draft API.</exception>
    /// <exception cref="ObjectDisposedException">The context is disposed.</exception>
    public ZmqSocket(ZmqContext context, ZmqSocketType type)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "not a ZeroMQ socket type");
        }

        if (type >= ZmqSocketType.Server && !Zmq.Has("draft"))
        {
            throw new NotSupportedException(
                $"{type} is a draft socket type and the loaded libzmq ({ZmqNativeLibrary.LoadedFrom}) was built without the draft API.");
        }

        Context = context;
        Type = type;
        _threadSafe = IsThreadSafeType(type);
        context.ThrowIfDisposed();
        _handle = new ZmqSocketHandle(context.Handle, (int)type);
        try
        {
            Linger = context.DefaultLinger;
            // Throws if the context was disposed meanwhile, so no socket escapes its disposal.
            context.Track(this);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>The context the socket belongs to.</summary>
    public ZmqContext Context { get; }

    /// <summary>The socket's type.</summary>
    public ZmqSocketType Type { get; }

    /// <summary>
    /// Whether several threads may use the socket at once: true for the draft types libzmq makes
    /// thread-safe (zmq_socket(3): CLIENT, SERVER, RADIO, DISH, SCATTER, GATHER, PEER, CHANNEL).
    /// </summary>
    public bool IsThreadSafe => _threadSafe;

    /// <summary>Whether <see cref="Dispose"/> has been called (or the context disposed it), even while a call in another thread still keeps the native socket open.</summary>
    public bool IsDisposed => _disposeRequested || _handle.IsClosed;

    /// <summary>
    /// Binds to a local endpoint (zmq_bind(3)): <c>tcp://127.0.0.1:5555</c>, <c>tcp://*:*</c>
    /// (any free port; read <see cref="LastEndpoint"/>), <c>ipc://name</c>, <c>inproc://name</c>, ...
    /// </summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <exception cref="ZmqException">EINVAL for a malformed endpoint, EPROTONOSUPPORT, EADDRINUSE, ...</exception>
    /// <exception cref="ArgumentException">The endpoint contains a NUL character (libzmq would read only the part before it).</exception>
    public void Bind(string endpoint) => EndpointCall(endpoint, &BindCall, "zmq_bind");

    /// <summary>Connects to an endpoint (zmq_connect(3)); the connection is made in the background and retried.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <exception cref="ZmqException">EINVAL for a malformed endpoint, EPROTONOSUPPORT, ...</exception>
    /// <exception cref="ArgumentException">The endpoint contains a NUL character.</exception>
    public void Connect(string endpoint) => EndpointCall(endpoint, &ConnectCall, "zmq_connect");

    /// <summary>Stops listening on an endpoint bound before (zmq_unbind(3)).</summary>
    /// <param name="endpoint">The endpoint as bound, or as <see cref="LastEndpoint"/> reported it.</param>
    /// <exception cref="ZmqException">ENOENT when the endpoint was not bound.</exception>
    public void Unbind(string endpoint) => EndpointCall(endpoint, &UnbindCall, "zmq_unbind");

    /// <summary>Disconnects from an endpoint connected before (zmq_disconnect(3)).</summary>
    /// <param name="endpoint">The endpoint as connected.</param>
    /// <exception cref="ZmqException">ENOENT when the endpoint was not connected.</exception>
    public void Disconnect(string endpoint) => EndpointCall(endpoint, &DisconnectCall, "zmq_disconnect");

    /// <summary>Closes the socket (zmq_close(3)). Harmless when called again.</summary>
    public void Dispose()
    {
        if (_handle.IsClosed)
        {
            return;
        }

        _disposeRequested = true;
        // A call leaves the socket with a plain store and then reads _disposeRequested (Exit), so
        // a lease costs one interlocked operation instead of three. This barrier makes every
        // thread's pending stores visible: after it, either the socket reads as idle here and is
        // closed now, or the call inside it sees the request when it leaves and closes it then.
        Interlocked.MemoryBarrierProcessWide();
        Volatile.Read(ref _async)?.OnSocketDisposing(); // ends pending async operations, lets the socket go
        CompleteDispose();
    }

    private static int BindCall(void* socket, byte* endpoint) => LibZmq.zmq_bind(socket, endpoint);

    private static int ConnectCall(void* socket, byte* endpoint) => LibZmq.zmq_connect(socket, endpoint);

    private static int UnbindCall(void* socket, byte* endpoint) => LibZmq.zmq_unbind(socket, endpoint);

    private static int DisconnectCall(void* socket, byte* endpoint) => LibZmq.zmq_disconnect(socket, endpoint);

    private void EndpointCall(string endpoint, delegate*<void*, byte*, int> call, string name)
    {
        using var utf8 = new Utf8Z(endpoint, nameof(endpoint));
        using var lease = Enter();
        int rc;
        fixed (byte* p = utf8.Bytes)
        {
            while (ZmqCall.Interrupted(rc = call(lease.Socket, p)))
            {
            }
        }

        if (rc == -1)
        {
            ZmqException.ThrowLast(name + "(" + endpoint + ")");
        }
    }

    /// <summary>The socket's handle, for the poller, proxy and monitor (which keep it alive with DangerousAddRef).</summary>
    internal ZmqSocketHandle Handle => _handle;

    /// <summary>Whether a thread is inside a call on the socket now (for tests that must overlap two calls).</summary>
    internal bool IsBusy => Volatile.Read(ref _busy) != 0;

    /// <summary>How many calls are inside now (0 or 1 unless <see cref="IsThreadSafe"/>), for tests.</summary>
    internal int BusyCount => Volatile.Read(ref _busy);

    /// <summary>
    /// Whether <see cref="Dispose"/> was called. Unlike <see cref="IsDisposed"/> this is true at once,
    /// even while a holder (a poller registration, a running proxy) keeps the native socket open.
    /// </summary>
    internal bool DisposeRequested => _disposeRequested;

    /// <summary>
    /// Marks the socket busy without a <see cref="Lease"/>, for a call that spans several sockets
    /// (a poller's wait, a proxy's run) while their handles are held with DangerousAddRef.
    /// Throws like <see cref="Enter"/> when another thread is inside a call. Pair with <see cref="ExitBusy"/>.
    /// </summary>
    internal void EnterBusy()
    {
        if (_threadSafe)
        {
            EnterShared();
        }
        else if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            ThrowConcurrentUse();
        }
    }

    /// <summary>Ends what <see cref="EnterBusy"/> started; closes the socket if it was disposed meanwhile.</summary>
    internal void ExitBusy() => Exit();

    /// <summary>
    /// Marks the socket busy for one call and keeps its handle alive during it. Throws when the
    /// socket is disposed, or when another thread is inside a call on it. Every native call on
    /// the socket goes through one of these (<c>using var lease = socket.Enter();</c>).
    /// </summary>
    /// <remarks>
    /// The busy flag alone keeps the native socket open: <see cref="Dispose"/> closes it only
    /// while no call is inside, else the call closes it when it leaves. So a call takes one
    /// interlocked operation, not three with a SafeHandle add-ref/release around it (measured in
    /// bench/micro, HotPathSchemeBenchmarks). Pollers, proxies and monitors that hold the socket
    /// beyond one call still take a SafeHandle reference.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Lease Enter()
    {
        if (_threadSafe)
        {
            EnterShared();
        }
        else if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            ThrowConcurrentUse();
        }

        if (_disposeRequested)
        {
            ThrowDisposedAfterEnter();
        }

        return new Lease(this);
    }

    /// <summary>Counts one more call inside a thread-safe socket.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterShared() => Interlocked.Increment(ref _busy);

    /// <summary>Leaves a call: a plain store (see <see cref="Dispose"/> for why that is enough), then finishes a disposal requested meanwhile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Exit()
    {
        if (_threadSafe)
        {
            ExitShared();
            return;
        }

        Volatile.Write(ref _busy, 0);
        if (_disposeRequested)
        {
            CompleteDispose();
        }
    }

    /// <summary>Counts one call out of a thread-safe socket; the last one out after a Dispose closes it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ExitShared()
    {
        if (Interlocked.Decrement(ref _busy) == 0 && _disposeRequested)
        {
            CompleteDispose();
        }
    }

    /// <summary>Closes the native socket unless a call is inside it (that call closes it when it leaves).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CompleteDispose()
    {
        // Claims the socket as a call would (0 -> 1): a call that enters meanwhile sees
        // _disposeRequested and leaves again without touching the handle.
        if (Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            _handle.Dispose();
            if (_threadSafe)
            {
                // Calls may have counted themselves in and out meanwhile: take back only our 1.
                Interlocked.Decrement(ref _busy);
            }
            else
            {
                Volatile.Write(ref _busy, 0);
            }
        }
    }

    private static bool IsThreadSafeType(ZmqSocketType type) => type is ZmqSocketType.Server or ZmqSocketType.Client
        or ZmqSocketType.Radio or ZmqSocketType.Dish or ZmqSocketType.Scatter or ZmqSocketType.Gather
        or ZmqSocketType.Peer or ZmqSocketType.Channel;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowDisposedAfterEnter()
    {
        Exit();
        throw new ObjectDisposedException(nameof(ZmqSocket), $"the {Type} socket is disposed");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowConcurrentUse()
    {
        if (_disposeRequested)
        {
            throw new ObjectDisposedException(nameof(ZmqSocket), $"the {Type} socket is disposed");
        }

        if (HasPendingAsync)
        {
            throw new InvalidOperationException(
                $"the {Type} socket has async operations pending; a synchronous call must wait until they complete (one thread at a time, zmq_socket(3)).");
        }

        throw new InvalidOperationException(
            $"the {Type} socket is being used by two threads at once; a ZeroMQ socket must be used by one thread at a time (zmq_socket(3)).");
    }

    /// <summary>One call's hold on the socket: its native pointer, released by Dispose.</summary>
    internal readonly ref struct Lease
    {
        private readonly ZmqSocket _owner;

        public Lease(ZmqSocket owner)
        {
            _owner = owner;
            Socket = (void*)owner._handle.DangerousGetHandle();
        }

        public void* Socket { get; }

        public void Dispose() => _owner.Exit();
    }
}
