using System.Runtime.InteropServices;
using ZmqNative.Interop;

namespace ZmqNative.SafeHandles;

/// <summary>
/// Owns one libzmq socket (<c>zmq_socket</c> / <c>zmq_close</c>) and holds a reference on its
/// context's handle for as long as it is open, so the context is terminated only after it.
/// <c>zmq_close</c> never blocks: queued messages are handed to the context's I/O threads.
/// </summary>
internal sealed unsafe class ZmqSocketHandle : SafeHandle
{
    private readonly ZmqContextHandle _context;

    public ZmqSocketHandle(ZmqContextHandle context, int type)
        : base(0, ownsHandle: true)
    {
        _context = context;
        bool added = false;
        context.DangerousAddRef(ref added); // throws ObjectDisposedException for a disposed context
        void* socket = LibZmq.zmq_socket((void*)context.DangerousGetHandle(), type);
        if (socket is null)
        {
            int errno = LibZmq.zmq_errno();
            context.DangerousRelease();
            throw ZmqException.FromErrno(errno, "zmq_socket(" + type + ")");
        }

        SetHandle((nint)socket);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibZmq.zmq_close((void*)handle);
        _context.DangerousRelease();
        return true;
    }
}
