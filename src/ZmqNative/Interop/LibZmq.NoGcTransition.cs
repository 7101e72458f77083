using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZmqNative.Interop;

// Twins of the hot send/receive calls without the GC transition: every send first tries one
// non-blocking call with them (ZmqSocket.Messaging), non-blocking receives use them, and so does
// ZmqMessage.Rebuild. Blocking receives keep the ordinary call: a first attempt would mostly find
// nothing yet in request-reply and only add a call, and the floor showed no gain on that side. bench/pinvoke-floor.sh measured the
// transition as the gap to C for small inproc messages (1 byte, medians of 10 alternating runs:
// C 3.64 M msg/s, C# bare P/Invoke 2.14 M, with [SuppressGCTransition] 3.39 M; the sender's calls
// alone account for it).
//
// [SuppressGCTransition] requires calls that are short, never block and never call back into .NET.
// The callers keep to that: sends and receives only with ZMQ_DONTWAIT (they return at once; EAGAIN
// when they would wait, and then a blocking send makes the ordinary call); never on the draft
// thread-safe types (their socket mutex may be held by another thread); and only while no message
// with a managed free function exists in the process (ZmqMessage.ManagedFreeInUse), because closing
// one (a receive closes the previous content; libzmq closes queued messages of a dying pipe while
// processing commands) runs the [UnmanagedCallersOnly] release callback, which the runtime does
// not allow without the transition (it fails fast: a test shows it). zmq_msg_init_size only mallocs.
internal static unsafe partial class LibZmq
{
    [LibraryImport(LibraryName, EntryPoint = "zmq_msg_send")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    [SuppressGCTransition]
    internal static partial int zmq_msg_send_nogc(zmq_msg_t* msg_, void* s_, int flags_);

    [LibraryImport(LibraryName, EntryPoint = "zmq_msg_recv")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    [SuppressGCTransition]
    internal static partial int zmq_msg_recv_nogc(zmq_msg_t* msg_, void* s_, int flags_);

    [LibraryImport(LibraryName, EntryPoint = "zmq_send")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    [SuppressGCTransition]
    internal static partial int zmq_send_nogc(void* s_, void* buf_, nuint len_, int flags_);

    [LibraryImport(LibraryName, EntryPoint = "zmq_recv")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    [SuppressGCTransition]
    internal static partial int zmq_recv_nogc(void* s_, void* buf_, nuint len_, int flags_);

    [LibraryImport(LibraryName, EntryPoint = "zmq_msg_init_size")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    [SuppressGCTransition]
    internal static partial int zmq_msg_init_size_nogc(zmq_msg_t* msg_, nuint size_);

    [LibraryImport(LibraryName, EntryPoint = "zmq_msg_close")]
    [UnmanagedCallConv(CallConvs = new[] { typeof(CallConvCdecl) })]
    [SuppressGCTransition]
    internal static partial int zmq_msg_close_nogc(zmq_msg_t* msg_);
}
