using System.Diagnostics;
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
    /// <summary>How long a create waits for the reaper to free the slots of sockets closed just before.</summary>
    private static readonly TimeSpan ReaperGrace = TimeSpan.FromSeconds(1);

    private readonly ZmqContextHandle _context;

    public ZmqSocketHandle(ZmqContextHandle context, int type)
        : base(0, ownsHandle: true)
    {
        _context = context;
        bool added = false;
        context.DangerousAddRef(ref added); // throws ObjectDisposedException for a disposed context
        void* socket = Create((void*)context.DangerousGetHandle(), type, context.LastSocketClose, out int errno);
        if (socket is null)
        {
            context.DangerousRelease();
            throw ZmqException.FromErrno(errno, "zmq_socket(" + type + ")");
        }

        SetHandle((nint)socket);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibZmq.zmq_close((void*)handle);
        _context.SocketClosed();
        _context.DangerousRelease();
        return true;
    }

    /// <summary>
    /// zmq_socket, retried for a short while on EMFILE when a socket of the context was closed
    /// recently: zmq_close(3) hands the socket to the context's reaper thread, which frees its
    /// slot later, so a loop that opens and closes sockets quickly can find every slot held by
    /// sockets already closed. A context really full (ZMQ_MAX_SOCKETS) still fails, after the wait.
    /// </summary>
    private static void* Create(void* context, int type, long lastClose, out int errno)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            void* socket = LibZmq.zmq_socket(context, type);
            if (socket is not null)
            {
                errno = 0;
                return socket;
            }

            errno = LibZmq.LastErrno();
            bool closedRecently = lastClose != 0 && Stopwatch.GetElapsedTime(lastClose) < ReaperGrace;
            if (errno != Errno.EMFILE || !closedRecently || Stopwatch.GetElapsedTime(start) >= ReaperGrace)
            {
                return null;
            }

            Thread.Sleep(1);
        }
    }
}
