using ZmqNative.Interop;
using ZmqNative.SafeHandles;

namespace ZmqNative;

/// <summary>
/// A ZeroMQ context (zmq_ctx_new(3)): the I/O threads and the registry of sockets that talk
/// over <c>inproc://</c>. Create one per process (or per independent component), create
/// sockets from it, and dispose it last.
/// </summary>
/// <remarks>
/// <para>A context is thread-safe: any thread may create sockets from it or dispose it.</para>
/// <para><see cref="Dispose"/> never hangs forever: it shuts the context down (every call blocked
/// on one of its sockets in another thread ends with <see cref="ContextTerminatedException"/>),
/// disposes the sockets it created (a socket busy in another thread is closed when that call
/// returns), and then terminates the context (zmq_ctx_term(3)), which waits for queued outgoing
/// messages at most the sockets' linger. Sockets get <see cref="DefaultLinger"/> (1 second unless
/// changed) when created, instead of libzmq's infinite default, so that wait is bounded. When a
/// socket is still held at that moment (a call returning in another thread, a poller or proxy
/// holding it, a socket no longer referenced but not yet finalized), the context is terminated
/// once it is released, on a thread-pool thread, and <see cref="Dispose"/> returns without waiting.</para>
/// <para>A context that is never disposed is terminated when it is garbage-collected, after its
/// sockets, on a thread-pool thread (never on the finalizer thread).</para>
/// </remarks>
public sealed unsafe class ZmqContext : IDisposable
{
    private readonly ZmqContextHandle _handle;
    private readonly object _socketsGate = new();
    private readonly List<WeakReference<ZmqSocket>> _sockets = [];
    private int _disposed;
    private TimeSpan _defaultLinger = TimeSpan.FromSeconds(1);
    private Async.AsyncReactor? _asyncReactor;

    /// <summary>Creates a context with libzmq's defaults (one I/O thread, 1023 sockets).</summary>
    public ZmqContext()
    {
        _handle = new ZmqContextHandle();
    }

    /// <summary>
    /// The linger given to each socket this context creates (ZMQ_LINGER): how long disposal
    /// waits for queued outgoing messages. Default 1 second; <see cref="Timeout.InfiniteTimeSpan"/>
    /// is libzmq's own default (wait forever), <see cref="TimeSpan.Zero"/> drops them at once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>) or more than int.MaxValue milliseconds.</exception>
    public TimeSpan DefaultLinger
    {
        get => _defaultLinger;
        set
        {
            // Checked here, not when a socket is created: ZMQ_LINGER takes -1 or 0 and more (zmq_setsockopt(3)).
            _ = ZmqSocket.ToMilliseconds(value, "DefaultLinger (ZMQ_LINGER)");
            _defaultLinger = value;
        }
    }

    /// <summary>The number of I/O threads (ZMQ_IO_THREADS); set it before creating sockets.</summary>
    public int IoThreads
    {
        get => Get(LibZmq.ZMQ_IO_THREADS, nameof(LibZmq.ZMQ_IO_THREADS));
        set => Set(LibZmq.ZMQ_IO_THREADS, nameof(LibZmq.ZMQ_IO_THREADS), value);
    }

    /// <summary>The most sockets the context may have open at once (ZMQ_MAX_SOCKETS).</summary>
    public int MaxSockets
    {
        get => Get(LibZmq.ZMQ_MAX_SOCKETS, nameof(LibZmq.ZMQ_MAX_SOCKETS));
        set => Set(LibZmq.ZMQ_MAX_SOCKETS, nameof(LibZmq.ZMQ_MAX_SOCKETS), value);
    }

    /// <summary>The largest value <see cref="MaxSockets"/> accepts on this system (ZMQ_SOCKET_LIMIT).</summary>
    public int SocketLimit => Get(LibZmq.ZMQ_SOCKET_LIMIT, nameof(LibZmq.ZMQ_SOCKET_LIMIT));

    /// <summary>The largest message size the context's sockets accept (ZMQ_MAX_MSGSZ).</summary>
    public int MaxMessageSize
    {
        get => Get(LibZmq.ZMQ_MAX_MSGSZ, nameof(LibZmq.ZMQ_MAX_MSGSZ));
        set => Set(LibZmq.ZMQ_MAX_MSGSZ, nameof(LibZmq.ZMQ_MAX_MSGSZ), value);
    }

    /// <summary>Whether sockets may use IPv6 (ZMQ_IPV6), the default for new sockets.</summary>
    public bool IPv6
    {
        get => Get(LibZmq.ZMQ_IPV6, nameof(LibZmq.ZMQ_IPV6)) != 0;
        set => Set(LibZmq.ZMQ_IPV6, nameof(LibZmq.ZMQ_IPV6), value ? 1 : 0);
    }

    /// <summary>
    /// ZMQ_BLOCKY: when true (libzmq's default) terminating the context waits for each socket's
    /// linger; when false the default linger of sockets is 0. ZmqNative sets each socket's
    /// linger explicitly (<see cref="DefaultLinger"/>), which takes precedence.
    /// </summary>
    public bool Blocky
    {
        get => Get(LibZmq.ZMQ_BLOCKY, nameof(LibZmq.ZMQ_BLOCKY)) != 0;
        set => Set(LibZmq.ZMQ_BLOCKY, nameof(LibZmq.ZMQ_BLOCKY), value ? 1 : 0);
    }

    /// <summary>The scheduling priority of the I/O threads (ZMQ_THREAD_PRIORITY; -1 leaves the OS default).</summary>
    public int ThreadPriority
    {
        get => Get(LibZmq.ZMQ_THREAD_PRIORITY, nameof(LibZmq.ZMQ_THREAD_PRIORITY));
        set => Set(LibZmq.ZMQ_THREAD_PRIORITY, nameof(LibZmq.ZMQ_THREAD_PRIORITY), value);
    }

    /// <summary>The scheduling policy of the I/O threads (ZMQ_THREAD_SCHED_POLICY; -1 leaves the OS default).</summary>
    public int ThreadSchedulingPolicy
    {
        get => Get(LibZmq.ZMQ_THREAD_SCHED_POLICY, nameof(LibZmq.ZMQ_THREAD_SCHED_POLICY));
        set => Set(LibZmq.ZMQ_THREAD_SCHED_POLICY, nameof(LibZmq.ZMQ_THREAD_SCHED_POLICY), value);
    }

    /// <summary>A number prefixed to the I/O threads' names (ZMQ_THREAD_NAME_PREFIX).</summary>
    public int ThreadNamePrefix
    {
        get => Get(LibZmq.ZMQ_THREAD_NAME_PREFIX, nameof(LibZmq.ZMQ_THREAD_NAME_PREFIX));
        set => Set(LibZmq.ZMQ_THREAD_NAME_PREFIX, nameof(LibZmq.ZMQ_THREAD_NAME_PREFIX), value);
    }

    /// <summary>The size of libzmq's zmq_msg_t on this build (ZMQ_MSG_T_SIZE), 64.</summary>
    public int MessageStructSize => Get(LibZmq.ZMQ_MSG_T_SIZE, nameof(LibZmq.ZMQ_MSG_T_SIZE));

    /// <summary>Reads a context option by number (zmq_ctx_get), for options without a property.</summary>
    /// <param name="option">A ZMQ_* context option number from zmq.h.</param>
    /// <returns>The option's value.</returns>
    public int GetOption(int option) => Get(option, "context option " + option);

    /// <summary>Sets a context option by number (zmq_ctx_set), for options without a property.</summary>
    /// <param name="option">A ZMQ_* context option number from zmq.h.</param>
    /// <param name="value">The value.</param>
    public void SetOption(int option, int value) => Set(option, "context option " + option, value);

    /// <summary>Creates a socket of the given type in this context.</summary>
    /// <param name="type">The socket type; the draft types need a libzmq with the draft API (<c>Zmq.Has("draft")</c>).</param>
    /// <returns>The socket; dispose it, or let the context's disposal close it.</returns>
    /// <exception cref="NotSupportedException">A draft type and the loaded libzmq has no draft API.</exception>
    /// <exception cref="ObjectDisposedException">The context is disposed.</exception>
    public ZmqSocket CreateSocket(ZmqSocketType type) => new(this, type);

    /// <summary>
    /// Shuts the context down (zmq_ctx_shutdown(3)) without disposing it: every blocking call on
    /// its sockets ends with <see cref="ContextTerminatedException"/>, and new sockets cannot be
    /// created. Sockets still have to be disposed. Safe to call from any thread, more than once.
    /// </summary>
    public void Shutdown()
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            LibZmq.zmq_ctx_shutdown((void*)_handle.DangerousGetHandle());
        }
        catch (ObjectDisposedException)
        {
            // Already terminated: nothing left to shut down.
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Shuts the context down, disposes every socket created from it, and terminates it once
    /// those sockets are closed (waiting at most their linger). Calling it twice is harmless.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Shutdown();
        List<ZmqSocket> sockets;
        lock (_socketsGate)
        {
            sockets = [];
            foreach (var weak in _sockets)
            {
                if (weak.TryGetTarget(out var socket))
                {
                    sockets.Add(socket);
                }
            }

            _sockets.Clear();
        }

        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        _asyncReactor?.Stop();
        _handle.MarkOwnerDisposing();
        _handle.Dispose();
    }

    internal ZmqContextHandle Handle => _handle;

    /// <summary>The context's async reactor (its thread starts with the first operation that waits).</summary>
    internal Async.AsyncReactor AsyncReactor
    {
        get
        {
            var reactor = Volatile.Read(ref _asyncReactor);
            if (reactor is null)
            {
                reactor = new Async.AsyncReactor();
                reactor = Interlocked.CompareExchange(ref _asyncReactor, reactor, null) ?? reactor;
            }

            return reactor;
        }
    }

    internal void Track(ZmqSocket socket)
    {
        lock (_socketsGate)
        {
            // Dispose sets _disposed before it takes this lock to collect the sockets: a socket
            // tracked before that is disposed with the context, one created after is refused.
            ThrowIfDisposed();

            // Prune sockets that were collected, so a long-lived context does not grow without bound.
            if (_sockets.Count >= 64 && (_sockets.Count & (_sockets.Count - 1)) == 0)
            {
                _sockets.RemoveAll(w => !w.TryGetTarget(out _));
            }

            _sockets.Add(new WeakReference<ZmqSocket>(socket));
        }
    }

    private int Get(int option, string name)
    {
        bool added = false;
        try
        {
            AddRef(ref added);
            int value = LibZmq.zmq_ctx_get((void*)_handle.DangerousGetHandle(), option);
            if (value == -1 && option != LibZmq.ZMQ_THREAD_PRIORITY && option != LibZmq.ZMQ_THREAD_SCHED_POLICY)
            {
                ZmqException.ThrowLast("zmq_ctx_get(" + name + ")");
            }

            return value;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private void Set(int option, string name, int value)
    {
        OptionRules.CheckContext(option, value); // the ranges of zmq_ctx_set(3), before libzmq sees the value
        bool added = false;
        try
        {
            AddRef(ref added);
            if (LibZmq.zmq_ctx_set((void*)_handle.DangerousGetHandle(), option, value) != 0)
            {
                ZmqException.ThrowLast("zmq_ctx_set", name, value);
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void AddRef(ref bool added)
    {
        ThrowIfDisposed();
        _handle.DangerousAddRef(ref added);
    }
}
