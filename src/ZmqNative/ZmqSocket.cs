using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using ZmqNative.Interop;
using ZmqNative.SafeHandles;

namespace ZmqNative;

/// <summary>
/// A ZeroMQ socket (zmq_socket(3)) of one <see cref="ZmqSocketType"/>, created from a
/// <see cref="ZmqContext"/>. Bind or connect it, then send and receive messages.
/// </summary>
/// <remarks>
/// <para><b>One thread at a time.</b> Like libzmq's own sockets (except the draft thread-safe
/// types), a socket must be used by one thread at a time; it may move between threads when
/// the handover is synchronised. Every call checks this with one interlocked operation (a few
/// nanoseconds, in Debug and Release alike): a call that overlaps another call on the same socket
/// throws <see cref="InvalidOperationException"/> instead of corrupting libzmq's state.</para>
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
    private int _busy;

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
        _handle = new ZmqSocketHandle(context.Handle, (int)type);
        try
        {
            Linger = context.DefaultLinger;
        }
        catch
        {
            _handle.Dispose();
            throw;
        }

        context.Track(this);
    }

    /// <summary>The context the socket belongs to.</summary>
    public ZmqContext Context { get; }

    /// <summary>The socket's type.</summary>
    public ZmqSocketType Type { get; }

    /// <summary>Whether <see cref="Dispose"/> has been called (or the context disposed it).</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>
    /// Binds to a local endpoint (zmq_bind(3)): <c>tcp://127.0.0.1:5555</c>, <c>tcp://*:*</c>
    /// (any free port; read <see cref="LastEndpoint"/>), <c>ipc://name</c>, <c>inproc://name</c>, ...
    /// </summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <exception cref="ZmqException">EINVAL for a malformed endpoint, EPROTONOSUPPORT, EADDRINUSE, ...</exception>
    public void Bind(string endpoint) => EndpointCall(endpoint, &BindCall, "zmq_bind");

    /// <summary>Connects to an endpoint (zmq_connect(3)); the connection is made in the background and retried.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <exception cref="ZmqException">EINVAL for a malformed endpoint, EPROTONOSUPPORT, ...</exception>
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
    public void Dispose() => _handle.Dispose();

    private static int BindCall(void* socket, byte* endpoint) => LibZmq.zmq_bind(socket, endpoint);

    private static int ConnectCall(void* socket, byte* endpoint) => LibZmq.zmq_connect(socket, endpoint);

    private static int UnbindCall(void* socket, byte* endpoint) => LibZmq.zmq_unbind(socket, endpoint);

    private static int DisconnectCall(void* socket, byte* endpoint) => LibZmq.zmq_disconnect(socket, endpoint);

    private void EndpointCall(string endpoint, delegate*<void*, byte*, int> call, string name)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var utf8 = new Utf8Z(endpoint);
        using var lease = Enter();
        int rc;
        fixed (byte* p = utf8.Bytes)
        {
            while ((rc = call(lease.Socket, p)) == -1 && LibZmq.zmq_errno() == Errno.EINTR)
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

    /// <summary>
    /// Marks the socket busy for one call and keeps its handle alive during it. Throws when the
    /// socket is disposed, or when another thread is inside a call on it. Every native call on
    /// the socket goes through one of these (<c>using var lease = socket.Enter();</c>).
    /// </summary>
    internal Lease Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            ThrowConcurrentUse();
        }

        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            Volatile.Write(ref _busy, 0);
            throw new ObjectDisposedException(nameof(ZmqSocket), $"the {Type} socket is disposed");
        }

        return new Lease(this);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowConcurrentUse() =>
        throw new InvalidOperationException(
            $"the {Type} socket is being used by two threads at once; a ZeroMQ socket must be used by one thread at a time (zmq_socket(3)).");

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

        public void Dispose()
        {
            _owner._handle.DangerousRelease();
            Volatile.Write(ref _owner._busy, 0);
        }
    }

    /// <summary>A string as NUL-terminated UTF-8, on the stack when short.</summary>
    private ref struct Utf8Z
    {
        private byte[]? _rented;

        public Utf8Z(string text)
        {
            int max = Encoding.UTF8.GetMaxByteCount(text.Length) + 1;
            _rented = ArrayPool<byte>.Shared.Rent(max);
            int length = Encoding.UTF8.GetBytes(text, _rented);
            _rented[length] = 0;
            Bytes = _rented.AsSpan(0, length + 1);
        }

        public Span<byte> Bytes { get; }

        public void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<byte>.Shared.Return(_rented);
                _rented = null;
            }
        }
    }
}
