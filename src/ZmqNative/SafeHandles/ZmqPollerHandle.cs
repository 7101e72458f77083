using System.Runtime.InteropServices;
using ZmqNative.Interop;

namespace ZmqNative.SafeHandles;

/// <summary>
/// Owns what a <see cref="ZmqPoller"/> holds natively: the draft-API poller (<c>zmq_poller_new</c> /
/// <c>zmq_poller_destroy</c>), or nothing when the poller uses <c>zmq_poll</c>, and one reference
/// (<c>DangerousAddRef</c>) on each registered socket's handle. Releasing it destroys the native
/// poller first and then drops those references, so a registered socket is closed only after no
/// native poller can reach it, even when the poller is never disposed and is finalized.
/// </summary>
internal sealed unsafe class ZmqPollerHandle : SafeHandle
{
    private readonly List<ZmqSocketHandle> _held = [];

    /// <summary>Creates the handle; with <paramref name="native"/> it also creates a draft-API poller.</summary>
    public ZmqPollerHandle(bool native)
        : base(0, ownsHandle: true)
    {
        if (native)
        {
            void* poller = LibZmq.zmq_poller_new();
            if (poller is null)
            {
                ZmqException.ThrowLast("zmq_poller_new");
            }

            SetHandle((nint)poller);
        }
    }

    /// <summary>Never invalid: even without a native poller, releasing it drops the socket references.</summary>
    public override bool IsInvalid => false;

    /// <summary>The native poller (null with the zmq_poll backend); valid while a reference is held.</summary>
    public void* Poller => (void*)handle;

    /// <summary>Takes a reference on a socket's handle until <see cref="Release(ZmqSocketHandle)"/> or release of this handle.</summary>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    public void Hold(ZmqSocketHandle socket)
    {
        bool added = false;
        socket.DangerousAddRef(ref added);
        _held.Add(socket);
    }

    /// <summary>Drops the reference <see cref="Hold"/> took (closing the socket if it was disposed meanwhile).</summary>
    public void Release(ZmqSocketHandle socket)
    {
        if (_held.Remove(socket))
        {
            socket.DangerousRelease();
        }
    }

    protected override bool ReleaseHandle()
    {
        if (handle != 0)
        {
            // zmq_poller_destroy looks at the registered sockets (it unregisters from thread-safe
            // ones), so it runs while they are still open.
            void* poller = (void*)handle;
            LibZmq.zmq_poller_destroy(&poller);
        }

        foreach (var socket in _held)
        {
            socket.DangerousRelease();
        }

        _held.Clear();
        return true;
    }
}
