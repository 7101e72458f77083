using System.Runtime.CompilerServices;

[assembly: DisableRuntimeMarshalling]

namespace ZmqNative.Interop;

/// <summary>
/// The handwritten part of the raw layer. The declarations themselves are generated from zmq.h
/// into <c>Generated/LibZmq.g.cs</c>; this part names the library and makes sure the resolver
/// (<see cref="LibZmqResolver"/>) is registered before the first call into it.
/// </summary>
internal static unsafe partial class LibZmq
{
    /// <summary>The name every <c>[LibraryImport]</c> uses; <see cref="LibZmqResolver"/> maps it to a file.</summary>
    internal const string LibraryName = "libzmq";

    // An explicit static constructor runs before the first call to any member of this class,
    // so every P/Invoke goes through the resolver without a module initializer.
    static LibZmq() => LibZmqResolver.Register();
}
