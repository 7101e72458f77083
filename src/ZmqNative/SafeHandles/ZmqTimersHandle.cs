using System.Runtime.InteropServices;
using ZmqNative.Interop;

namespace ZmqNative.SafeHandles;

/// <summary>
/// Owns one libzmq timer set (<c>zmq_timers_new</c> / <c>zmq_timers_destroy</c>) and the GCHandle
/// its callbacks receive as their argument. The GCHandle is weak: it does not keep the owning
/// <see cref="ZmqTimers"/> alive, and it is freed only after the timer set is destroyed, so no
/// callback can ever see a freed handle.
/// </summary>
internal sealed unsafe class ZmqTimersHandle : SafeHandle
{
    private GCHandle _owner;

    public ZmqTimersHandle(object owner)
        : base(0, ownsHandle: true)
    {
        void* timers = LibZmq.zmq_timers_new();
        if (timers is null)
        {
            ZmqException.ThrowLast("zmq_timers_new");
        }

        _owner = GCHandle.Alloc(owner, GCHandleType.Weak);
        SetHandle((nint)timers);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The native timer set; valid while a reference is held.</summary>
    public void* Timers => (void*)handle;

    /// <summary>The argument given to every callback: the GCHandle of the owner.</summary>
    public void* CallbackArgument => (void*)GCHandle.ToIntPtr(_owner);

    protected override bool ReleaseHandle()
    {
        void* timers = (void*)handle;
        LibZmq.zmq_timers_destroy(&timers);
        if (_owner.IsAllocated)
        {
            _owner.Free();
        }

        return true;
    }
}
