using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ZmqNative.Interop;

/// <summary>
/// The one call-and-check of the raw layer: a libzmq call returns -1 (or NULL) and sets errno
/// (zmq_errno(3)); the errno is read at once (<see cref="LibZmq.LastErrno"/>), retried when it is
/// EINTR, and otherwise mapped through the one errno table into the one exception
/// (<see cref="ZmqException.FromErrno"/>, a foundation type: see docs/architecture.md).
/// </summary>
/// <remarks>
/// Calls take different arguments, so the call stays at the call site and this class takes its
/// result: <c>while (ZmqCall.Interrupted(rc = LibZmq.zmq_bind(s, p))) { }</c> then
/// <c>ZmqCall.Check(rc, "zmq_bind")</c>, or <see cref="ZmqAttempt.Of"/> for a non-blocking call
/// whose EAGAIN is an answer, not an error. No delegate and no string is built on success.
/// </remarks>
internal static class ZmqCall
{
    /// <summary>Whether a call that returned <paramref name="rc"/> was interrupted by a signal (-1, EINTR) and is made again.</summary>
    /// <param name="rc">What the call returned.</param>
    /// <returns>True to call again.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Interrupted(int rc) => rc == -1 && LibZmq.LastErrno() == Errno.EINTR;

    /// <summary>Throws the exception for the call's errno when it returned -1.</summary>
    /// <param name="rc">What the call returned.</param>
    /// <param name="call">The call's name for the message (a constant: it is passed on success too).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Check(int rc, string call)
    {
        if (rc == -1)
        {
            ZmqException.ThrowLast(call);
        }
    }

    /// <summary>Throws the exception for <paramref name="errno"/>, as the call named <paramref name="call"/> reported it.</summary>
    /// <param name="errno">The errno, read right after the call.</param>
    /// <param name="call">What was being done.</param>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Throw(int errno, string call) => throw ZmqException.FromErrno(errno, call);
}

/// <summary>
/// The outcome of one non-blocking libzmq call: done, would block (EAGAIN), or failed with an
/// errno. A blocking call is attempt, wait for the socket, attempt again (<c>ZmqWait</c>), and an
/// awaitable one will be attempt, wait asynchronously, attempt again: both share the attempt and
/// map a failure with the one error path (<see cref="ThrowIfFailed"/>). An attempt never throws for
/// EAGAIN or EINTR (a non-blocking call interrupted is just made again).
/// </summary>
internal readonly struct ZmqAttempt
{
    private const int DoneKind = 0;
    private const int WouldBlockKind = 1;
    private const int FailedKind = 2;

    private readonly int _kind;
    private readonly int _errno;

    private ZmqAttempt(int kind, int errno)
    {
        _kind = kind;
        _errno = errno;
    }

    /// <summary>The call did what was asked.</summary>
    public static ZmqAttempt Done => default;

    /// <summary>The call would have blocked (EAGAIN): nothing was done; wait and try again.</summary>
    public static ZmqAttempt WouldBlock => new(WouldBlockKind, Interop.Errno.EAGAIN);

    /// <summary>Whether the call did what was asked.</summary>
    public bool IsDone => _kind == DoneKind;

    /// <summary>Whether the call would have blocked.</summary>
    public bool IsWouldBlock => _kind == WouldBlockKind;

    /// <summary>Whether the call failed with an error other than EAGAIN.</summary>
    public bool IsFailed => _kind == FailedKind;

    /// <summary>The errno: EAGAIN when it would block, the error when it failed, 0 when done.</summary>
    public int Errno => _errno;

    /// <summary>The call failed with <paramref name="errno"/> (EAGAIN is <see cref="WouldBlock"/>).</summary>
    /// <param name="errno">The platform's errno.</param>
    /// <returns>The outcome.</returns>
    public static ZmqAttempt Failed(int errno) => errno == Interop.Errno.EAGAIN ? WouldBlock : new(FailedKind, errno);

    /// <summary>The outcome of a call that returned <paramref name="rc"/>: -1 reads the errno it captured.</summary>
    /// <param name="rc">What the call returned.</param>
    /// <returns>The outcome.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ZmqAttempt Of(int rc) => rc != -1 ? Done : Failed(LibZmq.LastErrno());

    /// <summary>True when done, false when it would block; a failure is thrown (the one error path).</summary>
    /// <param name="call">The call's name for the exception.</param>
    /// <returns>Whether the call was done.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ThrowIfFailed(string call)
    {
        if (_kind == FailedKind)
        {
            ZmqCall.Throw(_errno, call);
        }

        return _kind == DoneKind;
    }

    /// <inheritdoc/>
    public override string ToString() => _kind switch
    {
        DoneKind => "done",
        WouldBlockKind => "would block",
        _ => "failed: " + Interop.Errno.ToCode(_errno),
    };
}
