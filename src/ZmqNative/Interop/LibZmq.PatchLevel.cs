using System.Runtime.InteropServices;

namespace ZmqNative.Interop;

internal static unsafe partial class LibZmq
{
    /// <summary>
    /// The number of ZmqNative fix patches the library was built with: the one export that is
    /// ZmqNative's own, not libzmq's API (so not in zmq.h or the generated layer);
    /// native/patches/report-patch-level.patch adds it. A libzmq without it throws
    /// <see cref="EntryPointNotFoundException"/>.
    /// </summary>
    [LibraryImport(LibraryName)]
    internal static partial int zmq_zmqnative_patch_level();
}
