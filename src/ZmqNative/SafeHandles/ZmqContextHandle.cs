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

    /// <summary>Set by <see cref="ZmqContext.Dispose"/>: the release then runs on a thread that may wait for linger.</summary>
    public void MarkOwnerDisposing() => _ownerDisposing = true;

    protected override bool ReleaseHandle()
    {
        nint context = handle;
        if (_ownerDisposing)
        {
            Terminate(context);
        }
        else
        {
            // Never disposed, so this is the finalizer thread: zmq_ctx_term may wait up to the
            // sockets' linger, which the finalizer thread must not, so it waits elsewhere.
            ThreadPool.UnsafeQueueUserWorkItem(static c => Terminate(c), context, preferLocal: false);
        }

        return true;
    }

    private static void Terminate(nint context)
    {
        // zmq_ctx_term(3): "EINTR: Termination was interrupted by a signal. It can be restarted."
        while (LibZmq.zmq_ctx_term((void*)context) == -1 && LibZmq.zmq_errno() == Errno.EINTR)
        {
        }
    }
}
