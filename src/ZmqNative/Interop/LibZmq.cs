using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: DisableRuntimeMarshalling]

namespace ZmqNative.Interop;

/// <summary>
/// The handwritten part of the raw layer. The declarations themselves are generated from zmq.h
/// into <c>Generated/LibZmq.g.cs</c>; this part names the library, makes sure the resolver
/// (<see cref="LibZmqResolver"/>) is registered before the first call into it, and reads errno.
/// </summary>
/// <remarks>
/// <para><b>Why errno is captured by the call itself.</b> libzmq reports a failure as -1 (or NULL)
/// plus errno (zmq_errno(3)). Reading it with a separate <c>zmq_errno()</c> P/Invoke afterwards reads
/// whatever the thread did in between: the first failure of a process (<c>IoThreads = -1</c>)
/// reported "errno 203: Unknown error 203", a number no Linux errno has, because its error message
/// formatted -1 first, the process's first negative number, which sets up culture data through
/// native code. Every fallible import is therefore declared with <c>SetLastError = true</c>
/// (native/generator): its stub reads errno immediately after the call returns, and
/// <see cref="LastErrno"/> returns that value. The captured value is per thread and shared with the
/// runtime's own P/Invokes, so read it before running anything else (ZmqException.ThrowLast formats
/// numbers only after reading it). Tests: Errors/ErrnoCaptureTests (a fresh child process).</para>
/// <para>On Windows that stub reads <c>GetLastError()</c>, not the C runtime's errno that libzmq
/// sets, so there <see cref="LastErrno"/> asks <c>zmq_errno()</c> (libzmq's own CRT), bound eagerly
/// in the static constructor so that its first use binds nothing.</para>
/// <para>The [SuppressGCTransition] twins of the hot calls (<c>*_nogc</c>, generated: NoGcAttempts in native/generator) do not set
/// the last error: on success that would cost two more calls per message. No transition and no
/// managed code that could touch errno separates them from the caller's next statement, so after
/// a failure the caller reads errno then with <see cref="ErrnoNow"/>.</para>
/// </remarks>
internal static unsafe partial class LibZmq
{
    /// <summary>The name every <c>[LibraryImport]</c> uses; <see cref="LibZmqResolver"/> maps it to a file.</summary>
    internal const string LibraryName = "libzmq";

    // An explicit static constructor runs before the first call to any member of this class,
    // so every P/Invoke goes through the resolver without a module initializer.
    static LibZmq()
    {
        LibZmqResolver.Register();
        // Bind the errno readers now, while no failure is waiting to be read, so that their first
        // call after a failure runs no binding code of the runtime in between.
        _ = Marshal.GetLastSystemError();
        if (OperatingSystem.IsWindows())
        {
            try
            {
                _ = zmq_errno();
            }
            catch (DllNotFoundException)
            {
                // No libzmq yet: the first real call reports that, with the resolver's message.
            }
        }
    }

    /// <summary>
    /// The errno of the last failed libzmq call on this thread, as that call's own stub captured it
    /// (<c>SetLastError = true</c>). Call it right after the failure, before another native call.
    /// </summary>
    /// <returns>The platform's errno value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int LastErrno() => OperatingSystem.IsWindows() ? zmq_errno() : Marshal.GetLastPInvokeError();

    /// <summary>
    /// errno as it is now: only directly after a failed [SuppressGCTransition] call (no transition,
    /// no binding and no other native call in between), whose stub does not capture it.
    /// </summary>
    /// <returns>The platform's errno value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ErrnoNow() => OperatingSystem.IsWindows() ? zmq_errno() : Marshal.GetLastSystemError();
}
