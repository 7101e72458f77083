using System.Runtime.InteropServices;
using ZmqNative.Interop;

namespace ZmqNative.SafeHandles;

/// <summary>
/// Owns one libzmq context (<c>zmq_ctx_new</c> / <c>zmq_ctx_term</c>). Every socket handle holds
/// a reference on it, so <c>zmq_ctx_term</c> runs only once every socket of the context is closed;
/// it then waits at most the sockets' linger for queued messages to go out.
/// </summary>
internal sealed unsafe class ZmqContextHandle : SafeHandle
{
    private volatile bool _ownerDisposing;
    private int _disposingThread;
    private long _lastSocketClose;

    public ZmqContextHandle()
        : base(0, ownsHandle: true)
    {
        void* context = LibZmq.zmq_ctx_new();
        if (context is null)
        {
            ZmqException.ThrowLast("zmq_ctx_new");
        }

        SetHandle((nint)context);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// Set by <see cref="ZmqContext.Dispose"/> on its own thread: a release on that thread may wait
    /// for the sockets' linger there, as zmq_ctx_term(3) does.
    /// </summary>
    public void MarkOwnerDisposing()
    {
        _disposingThread = Environment.CurrentManagedThreadId;
        _ownerDisposing = true;
    }

    /// <summary>
    /// When a socket of this context was last closed (<see cref="System.Diagnostics.Stopwatch"/>
    /// ticks), or 0: zmq_close(3) frees the socket's slot in the context only later, on the
    /// context's reaper thread, so a create that fails with EMFILE soon after is worth retrying.
    /// </summary>
    public long LastSocketClose => Volatile.Read(ref _lastSocketClose);

    /// <summary>Called by a socket handle when it closes its socket.</summary>
    public void SocketClosed() => Volatile.Write(ref _lastSocketClose, System.Diagnostics.Stopwatch.GetTimestamp());

    protected override bool ReleaseHandle()
    {
        nint context = handle;
        if (_ownerDisposing && Environment.CurrentManagedThreadId == _disposingThread)
        {
            Terminate(context);
        }
        else
        {
            // Never disposed, so this is the finalizer thread; or disposed, but the last reference
            // was held by a call that returned later on another thread (it ended with ETERM), or by
            // a socket that was finalized. zmq_ctx_term may wait up to the sockets' linger, which
            // neither the finalizer thread nor an unrelated caller should, so it waits elsewhere.
            ThreadPool.UnsafeQueueUserWorkItem(static c => Terminate(c), context, preferLocal: false);
        }

        return true;
    }

    private static void Terminate(nint context)
    {
        // zmq_ctx_term(3): "EINTR: Termination was interrupted by a signal. It can be restarted."
        while (ZmqCall.Interrupted(LibZmq.zmq_ctx_term((void*)context)))
        {
        }
    }
}
