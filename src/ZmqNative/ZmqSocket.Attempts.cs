using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ZmqNative.Interop;

namespace ZmqNative;

// The single calls under the public send and receive overloads (ZmqSocket.Messaging.cs):
// - attempts: one non-blocking call, its outcome a ZmqAttempt (done, would block, failed), never an
//   exception for EAGAIN or EINTR. The Try* overloads map it with ZmqAttempt.ThrowIfFailed; a timed
//   Try* is attempt, ZmqWait.ForSocket, attempt; an awaitable call completes the same way.
// - blocking calls: an attempt first, then libzmq's own blocking call, whose interruptions
//   ZmqWait.AfterBlockingFailure turns into attempts and polls for the time left.
// Each is a fast method holding only [SuppressGCTransition] calls (so the JIT sets up no P/Invoke
// frame in it) and a slow one for EAGAIN, EINTR and errors. The fast methods (and
// ZmqMessage.Rebuild) are AggressiveInlining: without a profile saying the caller's loop is hot
// (TieredPGO off) the JIT left them as calls (docs/bench/hot-path-decisions.md).
public sealed unsafe partial class ZmqSocket
{
    /// <summary>
    /// Whether a send or receive first tries a non-blocking call without the GC transition (see
    /// Interop/LibZmq.NoGcTransition.cs for why it is safe only then).
    /// </summary>
    private bool NoGcFirst => !_threadSafe && !ZmqMessage.ManagedFreeInUse;

    /// <summary>When this socket's blocking receives make their first attempt (see <see cref="ReceiveAttempts"/>).</summary>
    private ReceiveAttempts _receiveAttempts;

    /// <summary>Attempts to queue one frame (zmq_send(3) with ZMQ_DONTWAIT).</summary>
    /// <param name="data">The bytes (copied).</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <returns>Done, would block (high-water mark reached or no peer), or failed.</returns>
    /// <exception cref="InvalidOperationException">Another thread is using the socket.</exception>
    /// <exception cref="ObjectDisposedException">The socket is disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ZmqAttempt AttemptSend(ReadOnlySpan<byte> data, bool more)
    {
        using var lease = Enter();
        return AttemptSendHeld(lease.Socket, data, more ? SendMore : 0);
    }

    /// <summary>Attempts to queue a message frame (zmq_msg_send(3) with ZMQ_DONTWAIT); when done the message is left empty.</summary>
    /// <param name="message">The message.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <returns>Done, would block, or failed; the message keeps its content unless done.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ZmqAttempt AttemptSend(ZmqMessage message, bool more)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var lease = Enter();
        return AttemptSendHeld(lease.Socket, message, more ? SendMore : 0);
    }

    /// <summary>Attempts to receive one frame into <paramref name="buffer"/> (zmq_recv(3) with ZMQ_DONTWAIT).</summary>
    /// <param name="buffer">Where the frame goes.</param>
    /// <param name="size">When done, the frame's full size (larger than the buffer: truncated); else 0.</param>
    /// <returns>Done, would block (nothing waiting), or failed.</returns>
    /// <exception cref="ZmqFrameTooLargeException">The frame has int.MaxValue bytes or more.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ZmqAttempt AttemptReceive(Span<byte> buffer, out int size)
    {
        using var lease = Enter();
        return AttemptReceiveHeld(lease.Socket, buffer, out size);
    }

    /// <summary>Attempts to receive one frame into <paramref name="message"/>, replacing its content (zmq_msg_recv(3) with ZMQ_DONTWAIT).</summary>
    /// <param name="message">The message to reuse.</param>
    /// <returns>Done, would block (nothing waiting), or failed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ZmqAttempt AttemptReceive(ZmqMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var lease = Enter();
        return AttemptReceiveHeld(lease.Socket, message);
    }

    // The attempts while the caller holds the socket (Enter, or the async engine's hold): what the
    // internal attempts above and the async operations (ZmqSocket.AsyncAttempts.cs) both make.

    /// <summary>One message frame's send attempt while the caller holds the socket; when done the message is left empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ZmqAttempt AttemptSendHeld(void* socket, ZmqMessage message, int flags)
    {
        var msg = message.Pointer;
        if (NoGcFirst)
        {
            if (LibZmq.zmq_msg_send_nogc(msg, socket, flags | DontWait) != -1)
            {
                message.MarkSent();
                return ZmqAttempt.Done;
            }

            if (LibZmq.ErrnoNow() == Errno.EAGAIN) // right after a [SuppressGCTransition] call
            {
                return ZmqAttempt.WouldBlock;
            }
        }

        return AttemptSendMessageSlow(socket, message, msg, flags);
    }

    /// <summary>One frame's receive attempt into <paramref name="buffer"/> while the caller holds the socket.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ZmqAttempt AttemptReceiveHeld(void* socket, Span<byte> buffer, out int size)
    {
        if (NoGcFirst)
        {
            fixed (byte* p = buffer)
            {
                if ((size = LibZmq.zmq_recv_nogc(socket, p, (nuint)buffer.Length, DontWait)) != -1)
                {
                    CheckReceivedSize(size, buffer.Length);
                    return ZmqAttempt.Done;
                }
            }

            if (LibZmq.ErrnoNow() == Errno.EAGAIN)
            {
                size = 0;
                return ZmqAttempt.WouldBlock;
            }
        }

        return AttemptReceiveSlow(socket, buffer, out size);
    }

    /// <summary>One frame's receive attempt into <paramref name="message"/> while the caller holds the socket.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ZmqAttempt AttemptReceiveHeld(void* socket, ZmqMessage message)
    {
        var msg = message.Pointer;
        message.MarkFilled();
        if (NoGcFirst)
        {
            if (LibZmq.zmq_msg_recv_nogc(msg, socket, DontWait) != -1)
            {
                return ZmqAttempt.Done;
            }

            if (LibZmq.ErrnoNow() == Errno.EAGAIN)
            {
                return ZmqAttempt.WouldBlock;
            }
        }

        return AttemptReceiveMessageSlow(socket, msg);
    }

    /// <summary>One frame's send attempt while the caller holds the socket (<see cref="Enter"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ZmqAttempt AttemptSendHeld(void* socket, ReadOnlySpan<byte> data, int flags)
    {
        if (NoGcFirst)
        {
            fixed (byte* p = data)
            {
                if (LibZmq.zmq_send_nogc(socket, p, (nuint)data.Length, flags | DontWait) != -1)
                {
                    return ZmqAttempt.Done;
                }
            }

            if (LibZmq.ErrnoNow() == Errno.EAGAIN)
            {
                return ZmqAttempt.WouldBlock;
            }
        }

        return AttemptSendSlow(socket, data, flags);
    }

    // The slow attempts make the call with the GC transition, whose stub captures errno (for the
    // exception's number; EINTR is retried: a non-blocking call interrupted is just made again).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ZmqAttempt AttemptSendSlow(void* socket, ReadOnlySpan<byte> data, int flags)
    {
        int rc;
        fixed (byte* p = data)
        {
            while (ZmqCall.Interrupted(rc = LibZmq.zmq_send(socket, p, (nuint)data.Length, flags | DontWait)))
            {
            }
        }

        return ZmqAttempt.Of(rc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ZmqAttempt AttemptSendMessageSlow(void* socket, ZmqMessage message, LibZmq.zmq_msg_t* msg, int flags)
    {
        int rc;
        while (ZmqCall.Interrupted(rc = LibZmq.zmq_msg_send(msg, socket, flags | DontWait)))
        {
        }

        var attempt = ZmqAttempt.Of(rc);
        if (attempt.IsDone)
        {
            message.MarkSent();
        }

        return attempt;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ZmqAttempt AttemptReceiveSlow(void* socket, Span<byte> buffer, out int size)
    {
        int rc;
        fixed (byte* p = buffer)
        {
            while (ZmqCall.Interrupted(rc = LibZmq.zmq_recv(socket, p, (nuint)buffer.Length, DontWait)))
            {
            }
        }

        if (rc == -1)
        {
            size = 0;
            return ZmqAttempt.Of(rc);
        }

        size = rc;
        CheckReceivedSize(rc, buffer.Length);
        return ZmqAttempt.Done;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ZmqAttempt AttemptReceiveMessageSlow(void* socket, LibZmq.zmq_msg_t* msg)
    {
        int rc;
        while (ZmqCall.Interrupted(rc = LibZmq.zmq_msg_recv(msg, socket, DontWait)))
        {
        }

        return ZmqAttempt.Of(rc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SendBytes(ReadOnlySpan<byte> data, int flags)
    {
        using var lease = Enter();
        SendBytesHeld(lease.Socket, data, flags);
    }

    /// <summary>One frame's blocking send while the caller holds the socket (<see cref="Enter"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SendBytesHeld(void* socket, ReadOnlySpan<byte> data, int flags)
    {
        if (NoGcFirst)
        {
            fixed (byte* p = data)
            {
                if (LibZmq.zmq_send_nogc(socket, p, (nuint)data.Length, flags | DontWait) != -1)
                {
                    return;
                }
            }
        }

        SendBytesSlow(socket, data, flags);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SendBytesSlow(void* socket, ReadOnlySpan<byte> data, int flags)
    {
        var deadline = ZmqWait.ForBlockingCall(_sendTimeoutMs);
        fixed (byte* p = data)
        {
            bool resumed = false;
            while (LibZmq.zmq_send(socket, p, (nuint)data.Length, flags) == -1)
            {
                ZmqWait.AfterBlockingFailure(socket, ZmqPollEvents.Out, "zmq_send", ref flags, ref resumed, deadline);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SendMessage(ZmqMessage message, int flags)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var lease = Enter();
        SendMessageHeld(lease.Socket, message, flags);
    }

    /// <summary>One message frame's blocking send while the caller holds the socket (<see cref="Enter"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SendMessageHeld(void* socket, ZmqMessage message, int flags)
    {
        var msg = message.Pointer;
        if (NoGcFirst && LibZmq.zmq_msg_send_nogc(msg, socket, flags | DontWait) != -1)
        {
            message.MarkSent();
            return;
        }

        SendMessageSlow(socket, message, msg, flags);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SendMessageSlow(void* socket, ZmqMessage message, LibZmq.zmq_msg_t* msg, int flags)
    {
        var deadline = ZmqWait.ForBlockingCall(_sendTimeoutMs);
        bool resumed = false;
        while (LibZmq.zmq_msg_send(msg, socket, flags) == -1)
        {
            ZmqWait.AfterBlockingFailure(socket, ZmqPollEvents.Out, "zmq_msg_send", ref flags, ref resumed, deadline);
        }

        message.MarkSent();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReceiveBytes(Span<byte> buffer)
    {
        using var lease = Enter();
        if (MakesReceiveAttempt())
        {
            fixed (byte* p = buffer)
            {
                int size;
                if ((size = LibZmq.zmq_recv_nogc(lease.Socket, p, (nuint)buffer.Length, DontWait)) != -1)
                {
                    CheckReceivedSize(size, buffer.Length);
                    return size;
                }
            }

            _receiveAttempts.Missed();
        }

        return ReceiveBytesSlow(lease.Socket, buffer);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ReceiveBytesSlow(void* socket, Span<byte> buffer)
    {
        var deadline = ZmqWait.ForBlockingCall(_receiveTimeoutMs);
        int flags = 0;
        fixed (byte* p = buffer)
        {
            int rc;
            bool resumed = false;
            while ((rc = LibZmq.zmq_recv(socket, p, (nuint)buffer.Length, flags)) == -1)
            {
                ZmqWait.AfterBlockingFailure(socket, ZmqPollEvents.In, "zmq_recv", ref flags, ref resumed, deadline);
            }

            CheckReceivedSize(rc, buffer.Length);
            return rc;
        }
    }

    /// <summary>
    /// zmq_recv(3) returns the frame's size as an int, clipped to int.MaxValue (zmq.cpp: "Truncate
    /// returned size to INT_MAX to avoid overflow"): a frame of 2 GiB or more cannot be told from
    /// one of exactly int.MaxValue bytes, and a span holds at most int.MaxValue. Such a frame was
    /// truncated into the buffer; rather than report a size that is not the frame's, this throws.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckReceivedSize(int size, int bufferLength)
    {
        if (size == int.MaxValue && bufferLength < int.MaxValue)
        {
            ThrowFrameTooLarge();
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFrameTooLarge() => throw new ZmqFrameTooLargeException(
        "the frame received has int.MaxValue bytes or more; zmq_recv reports no larger size, and only its start fit into the buffer. "
        + "Receive frames this large into a ZmqMessage (LongSize), or refuse them with MaxMessageSize.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReceiveMessage(ZmqMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var msg = message.Pointer;
        message.MarkFilled();
        using var lease = Enter();
        if (MakesReceiveAttempt())
        {
            if (LibZmq.zmq_msg_recv_nogc(msg, lease.Socket, DontWait) != -1)
            {
                return;
            }

            _receiveAttempts.Missed();
        }

        ReceiveMessageSlow(lease.Socket, msg);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReceiveMessageSlow(void* socket, LibZmq.zmq_msg_t* msg)
    {
        var deadline = ZmqWait.ForBlockingCall(_receiveTimeoutMs);
        int flags = 0;
        bool resumed = false;
        while (LibZmq.zmq_msg_recv(msg, socket, flags) == -1)
        {
            ZmqWait.AfterBlockingFailure(socket, ZmqPollEvents.In, "zmq_msg_recv", ref flags, ref resumed, deadline);
        }
    }

    /// <summary>Whether this blocking receive makes the first attempt (<see cref="ReceiveAttempts"/>: skipped for a while after one missed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MakesReceiveAttempt() => NoGcFirst && _receiveAttempts.Next(blocking: true);
}
