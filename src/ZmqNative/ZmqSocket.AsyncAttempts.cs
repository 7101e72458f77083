using System.Runtime.CompilerServices;
using ZmqNative.Async;
using ZmqNative.Interop;

namespace ZmqNative;

// The async engine's only door into the socket's native calls: one non-blocking attempt of each
// kind (the attempt seam of ZmqSocket.Attempts.cs, the same single calls the synchronous overloads
// make), made while the engine holds the socket (its busy flag).
public sealed unsafe partial class ZmqSocket
{
    private AsyncSocketState? _async;

    /// <summary>The socket's async state, created on the first async call.</summary>
    internal AsyncSocketState AsyncState
    {
        get
        {
            var state = Volatile.Read(ref _async);
            if (state is null)
            {
                Context.ThrowIfDisposed();
                state = new AsyncSocketState(this, Context.AsyncReactor);
                state = Interlocked.CompareExchange(ref _async, state, null) ?? state;
            }

            return state;
        }
    }

    /// <summary>Whether async operations are pending on the socket now.</summary>
    internal bool HasPendingAsync => Volatile.Read(ref _async) is { HasPending: true };

    /// <summary>
    /// Takes the socket's busy flag for the async engine without throwing: false when a
    /// synchronous call is inside (non-thread-safe types) or the socket is disposed.
    /// </summary>
    internal bool TryEnterForAsync()
    {
        if (_threadSafe)
        {
            EnterShared();
        }
        else if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        if (_disposeRequested)
        {
            Exit();
            return false;
        }

        return true;
    }

    /// <summary>The busy flag's value while an async operation's lock-free attempt is inside (a synchronous call sets 1).</summary>
    internal const int AsyncFastPathBusy = 2;

    /// <summary>
    /// Takes the busy flag (not thread-safe types only) for one lock-free attempt of the async
    /// engine, with its own value so that another task's Start can tell it from a synchronous
    /// call and wait for it. False when anyone is inside or the socket is disposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryEnterForAsyncFastPath()
    {
        if (Interlocked.CompareExchange(ref _busy, AsyncFastPathBusy, 0) != 0)
        {
            return false;
        }

        if (_disposeRequested)
        {
            Exit();
            return false;
        }

        return true;
    }

    /// <summary>Gives back what <see cref="TryEnterForAsync"/> took; closes the socket if it was disposed meanwhile.</summary>
    internal void ExitForAsync() => Exit();

    /// <summary>The native socket; valid while the engine holds the busy flag.</summary>
    internal void* HeldPointer => (void*)_handle.DangerousGetHandle();

    // Each maps the attempt seam's outcome (ZmqSocket.Attempts.cs) for the engine: done is true, would
    // block is false, a failure is thrown through the one error path and fails the operation.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool AttemptSend(void* socket, ReadOnlySpan<byte> data, bool more) =>
        AttemptSendHeld(socket, data, more ? SendMore : 0).ThrowIfFailed("zmq_send");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool AttemptSend(void* socket, ZmqMessage message, bool more) =>
        AttemptSendHeld(socket, message, more ? SendMore : 0).ThrowIfFailed("zmq_msg_send");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool AttemptReceive(void* socket, Span<byte> buffer, out int size) =>
        AttemptReceiveHeld(socket, buffer, out size).ThrowIfFailed("zmq_recv");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool AttemptReceive(void* socket, ZmqMessage message) =>
        AttemptReceiveHeld(socket, message).ThrowIfFailed("zmq_msg_recv");

    /// <summary>ZMQ_EVENTS now (processes the socket's pending commands, which re-arms its ZMQ_FD).</summary>
    internal static ZmqPollEvents ReadEvents(void* socket)
    {
        int events = 0;
        nuint size = sizeof(int);
        int rc;
        while (ZmqCall.Interrupted(rc = LibZmq.zmq_getsockopt(socket, LibZmq.ZMQ_EVENTS, &events, &size)))
        {
        }

        ZmqCall.Check(rc, "zmq_getsockopt(ZMQ_EVENTS)");
        return (ZmqPollEvents)events;
    }

    /// <summary>ZMQ_FD (not for the thread-safe types, which have none).</summary>
    internal static nint ReadFd(void* socket)
    {
        if (OperatingSystem.IsWindows())
        {
            nuint fd = 0;
            nuint size = (nuint)sizeof(nuint);
            ZmqCall.Check(LibZmq.zmq_getsockopt(socket, LibZmq.ZMQ_FD, &fd, &size), "zmq_getsockopt(ZMQ_FD)");

            return (nint)fd;
        }
        else
        {
            int fd = 0;
            nuint size = sizeof(int);
            ZmqCall.Check(LibZmq.zmq_getsockopt(socket, LibZmq.ZMQ_FD, &fd, &size), "zmq_getsockopt(ZMQ_FD)");

            return fd;
        }
    }
}
