using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using ZmqNative.Interop;

namespace ZmqNative;

// Sending and receiving (zmq_send(3), zmq_recv(3), zmq_msg_send(3), zmq_msg_recv(3)).
// Three forms of each: blocking (honours SendTimeout/ReceiveTimeout, EAGAIN then throws),
// Try without a timeout (non-blocking, false on EAGAIN) and Try with a timeout (false when it passes).
public sealed unsafe partial class ZmqSocket
{
    private const int DontWait = 1; // ZMQ_DONTWAIT
    private const int SendMore = 2; // ZMQ_SNDMORE
    private const int StackTextLimit = 512;

    /// <summary>Sends one frame, blocking until it is queued.</summary>
    /// <param name="data">The bytes (copied).</param>
    /// <param name="more">True when more frames of the same message follow (ZMQ_SNDMORE).</param>
    /// <exception cref="ZmqException">EFSM (e.g. REQ sending twice), EHOSTUNREACH (ROUTER_MANDATORY), EAGAIN when <see cref="SendTimeout"/> passed, ...</exception>
    public void Send(ReadOnlySpan<byte> data, bool more = false) => SendBytes(data, more ? SendMore : 0, throwOnAgain: true);

    /// <summary>Sends one frame if it can be queued now (ZMQ_DONTWAIT).</summary>
    /// <param name="data">The bytes (copied).</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <returns>False when it would block (EAGAIN: high-water mark reached or no peer).</returns>
    public bool TrySend(ReadOnlySpan<byte> data, bool more = false) => SendBytes(data, DontWait | (more ? SendMore : 0), throwOnAgain: false);

    /// <summary>Sends one frame, waiting at most <paramref name="timeout"/> for room.</summary>
    /// <param name="data">The bytes (copied).</param>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <returns>False when the timeout passed.</returns>
    public bool TrySend(ReadOnlySpan<byte> data, TimeSpan timeout, bool more = false)
    {
        var deadline = Deadline.Start(timeout);
        int refused = 0;
        while (!TrySend(data, more))
        {
            if (!WaitFor(ZmqPollEvents.Out, deadline, ref refused))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sends one frame holding the UTF-8 bytes of <paramref name="text"/>, blocking.</summary>
    /// <param name="text">The text.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    public void Send(string text, bool more = false) => SendText(text, more ? SendMore : 0, throwOnAgain: true);

    /// <summary>Sends one frame holding the UTF-8 bytes of <paramref name="text"/> if it can be queued now.</summary>
    /// <param name="text">The text.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <returns>False when it would block.</returns>
    public bool TrySend(string text, bool more = false) => SendText(text, DontWait | (more ? SendMore : 0), throwOnAgain: false);

    /// <summary>Sends a message frame, blocking; the message is left empty (its content now belongs to libzmq).</summary>
    /// <param name="message">The message.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    public void Send(ZmqMessage message, bool more = false) => SendMessage(message, more ? SendMore : 0, throwOnAgain: true);

    /// <summary>Sends a message frame if it can be queued now; on success the message is left empty.</summary>
    /// <param name="message">The message.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <returns>False when it would block; the message then keeps its content.</returns>
    public bool TrySend(ZmqMessage message, bool more = false) => SendMessage(message, DontWait | (more ? SendMore : 0), throwOnAgain: false);

    /// <summary>Sends a message frame, waiting at most <paramref name="timeout"/> for room.</summary>
    /// <param name="message">The message.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <returns>False when the timeout passed; the message then keeps its content.</returns>
    public bool TrySend(ZmqMessage message, TimeSpan timeout, bool more = false)
    {
        var deadline = Deadline.Start(timeout);
        int refused = 0;
        while (!TrySend(message, more))
        {
            if (!WaitFor(ZmqPollEvents.Out, deadline, ref refused))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Sends a multipart message, blocking for the first frame. libzmq delivers a multipart
    /// message whole or not at all, and once its first frame is queued the rest always are.
    /// </summary>
    /// <param name="frames">The frames, at least one.</param>
    /// <exception cref="ArgumentException">There is no frame, or one is null: nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the socket: nothing was sent.</exception>
    public void SendMultipart(IEnumerable<byte[]> frames) => SendFrames(frames, firstFlags: 0, throwOnAgain: true);

    /// <summary>Sends a multipart message of UTF-8 text frames, blocking for the first frame.</summary>
    /// <param name="frames">The frames, at least one.</param>
    /// <exception cref="ArgumentException">There is no frame, or one is null: nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the socket: nothing was sent.</exception>
    public void SendMultipart(IEnumerable<string> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var bytes = new List<byte[]>();
        foreach (var frame in frames)
        {
            bytes.Add(Encoding.UTF8.GetBytes(frame ?? throw new ArgumentException($"frame {bytes.Count} is null; nothing was sent", nameof(frames))));
        }

        SendFrames(bytes, firstFlags: 0, throwOnAgain: true);
    }

    /// <summary>
    /// Sends a multipart message made of <see cref="ZmqMessage"/> frames, blocking for the first:
    /// all frames or none. On success every message is left empty (its content belongs to libzmq).
    /// </summary>
    /// <param name="frames">The messages, at least one, each at most once.</param>
    /// <exception cref="ArgumentException">There is no frame, or one is null, disposed or given twice: nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the socket: nothing was sent.</exception>
    public void SendMultipart(IEnumerable<ZmqMessage> frames) => SendMessageFrames(frames);

    /// <summary>Sends a multipart message if its first frame can be queued now: all frames or none.</summary>
    /// <param name="frames">The frames, at least one.</param>
    /// <returns>False when it would block; nothing was sent.</returns>
    public bool TrySendMultipart(IEnumerable<byte[]> frames) => SendFrames(frames, firstFlags: DontWait, throwOnAgain: false);

    /// <summary>
    /// Sends a multipart message, waiting at most <paramref name="timeout"/> for room for its
    /// first frame: all frames or none.
    /// </summary>
    /// <param name="frames">The frames, at least one.</param>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait.</param>
    /// <returns>False when the timeout passed; nothing was sent.</returns>
    public bool TrySendMultipart(IEnumerable<byte[]> frames, TimeSpan timeout)
    {
        var list = CheckedFrames(frames); // enumerate and check once, however often we retry
        var deadline = Deadline.Start(timeout);
        int refused = 0;
        while (!TrySendMultipart(list))
        {
            if (!WaitFor(ZmqPollEvents.Out, deadline, ref refused))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Receives one frame into <paramref name="buffer"/>, blocking.</summary>
    /// <param name="buffer">Where the frame goes.</param>
    /// <returns>
    /// The frame's full size. When it is larger than <paramref name="buffer"/>, only the first
    /// <c>buffer.Length</c> bytes were stored and the rest is lost (truncation, as zmq_recv(3) does).
    /// </returns>
    /// <exception cref="ZmqException">EAGAIN when <see cref="ReceiveTimeout"/> passed, EFSM, ...</exception>
    public int Receive(Span<byte> buffer)
    {
        ReceiveBytes(buffer, 0, throwOnAgain: true, out int size);
        return size;
    }

    /// <summary>Receives one frame into <paramref name="buffer"/> if one is waiting.</summary>
    /// <param name="buffer">Where the frame goes.</param>
    /// <param name="size">The frame's full size; larger than the buffer means it was truncated.</param>
    /// <returns>False when no frame was waiting.</returns>
    public bool TryReceive(Span<byte> buffer, out int size) => ReceiveBytes(buffer, DontWait, throwOnAgain: false, out size);

    /// <summary>Receives one frame into <paramref name="buffer"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="buffer">Where the frame goes.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="size">The frame's full size; larger than the buffer means it was truncated.</param>
    /// <returns>False when the timeout passed.</returns>
    public bool TryReceive(Span<byte> buffer, TimeSpan timeout, out int size)
    {
        var deadline = Deadline.Start(timeout);
        int refused = 0;
        while (!TryReceive(buffer, out size))
        {
            if (!WaitFor(ZmqPollEvents.In, deadline, ref refused))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Receives one frame into <paramref name="message"/>, replacing its content; blocking.</summary>
    /// <param name="message">The message to reuse; no managed allocation per receive.</param>
    public void Receive(ZmqMessage message) => ReceiveMessage(message, 0, throwOnAgain: true);

    /// <summary>Receives one frame into <paramref name="message"/> if one is waiting.</summary>
    /// <param name="message">The message to reuse.</param>
    /// <returns>False when no frame was waiting.</returns>
    public bool TryReceive(ZmqMessage message) => ReceiveMessage(message, DontWait, throwOnAgain: false);

    /// <summary>Receives one frame into <paramref name="message"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="message">The message to reuse.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>False when the timeout passed.</returns>
    public bool TryReceive(ZmqMessage message, TimeSpan timeout)
    {
        var deadline = Deadline.Start(timeout);
        int refused = 0;
        while (!TryReceive(message))
        {
            if (!WaitFor(ZmqPollEvents.In, deadline, ref refused))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Receives one frame as a new array, blocking.</summary>
    /// <returns>The frame's bytes.</returns>
    public byte[] ReceiveBytes()
    {
        using var message = new ZmqMessage();
        Receive(message);
        return message.ToArray();
    }

    /// <summary>Receives one frame and decodes it as UTF-8, blocking.</summary>
    /// <returns>The text.</returns>
    public string ReceiveString()
    {
        using var message = new ZmqMessage();
        Receive(message);
        return message.ToString();
    }

    /// <summary>Receives one frame as UTF-8 text, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait.</param>
    /// <param name="text">The text, or null when the timeout passed.</param>
    /// <returns>False when the timeout passed.</returns>
    public bool TryReceiveString(TimeSpan timeout, [NotNullWhen(true)] out string? text)
    {
        using var message = new ZmqMessage();
        if (TryReceive(message, timeout))
        {
            text = message.ToString();
            return true;
        }

        text = null;
        return false;
    }

    /// <summary>Receives every frame of one multipart message, blocking for the first.</summary>
    /// <returns>The frames, in order.</returns>
    public List<byte[]> ReceiveMultipart()
    {
        using var message = new ZmqMessage();
        Receive(message);
        return ReceiveRest(message);
    }

    /// <summary>Receives every frame of one multipart message, waiting at most <paramref name="timeout"/> for the first.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="frames">The frames, or null when the timeout passed.</param>
    /// <returns>False when the timeout passed.</returns>
    public bool TryReceiveMultipart(TimeSpan timeout, [NotNullWhen(true)] out List<byte[]>? frames)
    {
        using var message = new ZmqMessage();
        if (!TryReceive(message, timeout))
        {
            frames = null;
            return false;
        }

        frames = ReceiveRest(message);
        return true;
    }

    /// <summary>
    /// Receives one message on a ROUTER and splits it into envelope and body
    /// (<see cref="ZmqRoutedMessage.Split"/>); answer it with <see cref="SendRouted"/>. Blocking.
    /// </summary>
    /// <returns>The message.</returns>
    /// <exception cref="ArgumentException">The message has no routing id (the socket is not a ROUTER).</exception>
    public ZmqRoutedMessage ReceiveRouted() => ZmqRoutedMessage.Split(ReceiveMultipart());

    /// <summary>Receives one message on a ROUTER as envelope and body, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="message">The message, or null when the timeout passed.</param>
    /// <returns>False when the timeout passed.</returns>
    /// <exception cref="ArgumentException">The message has no routing id (the socket is not a ROUTER).</exception>
    public bool TryReceiveRouted(TimeSpan timeout, [NotNullWhen(true)] out ZmqRoutedMessage? message)
    {
        message = TryReceiveMultipart(timeout, out var frames) ? ZmqRoutedMessage.Split(frames) : null;
        return message is not null;
    }

    /// <summary>
    /// Sends envelope then body as one multipart message, blocking: on a ROUTER the envelope's first
    /// frame picks the peer (with ZMQ_ROUTER_MANDATORY an unknown peer is EHOSTUNREACH; without it
    /// the message is dropped, zmq_socket(3)).
    /// </summary>
    /// <param name="message">The message, usually <see cref="ZmqRoutedMessage.Reply(IEnumerable{byte[]})"/> of one received.</param>
    public void SendRouted(ZmqRoutedMessage message) =>
        SendMultipart((message ?? throw new ArgumentNullException(nameof(message))).ToFrames());

    /// <summary>Sends envelope then body, waiting at most <paramref name="timeout"/> for room: all frames or none.</summary>
    /// <param name="message">The message.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>False when the timeout passed; nothing was sent.</returns>
    public bool TrySendRouted(ZmqRoutedMessage message, TimeSpan timeout) =>
        TrySendMultipart((message ?? throw new ArgumentNullException(nameof(message))).ToFrames(), timeout);

    /// <summary>Receives every frame of one multipart message as UTF-8 text, blocking for the first.</summary>
    /// <returns>The frames, in order.</returns>
    public List<string> ReceiveMultipartStrings() => ReceiveMultipart().ConvertAll(f => Encoding.UTF8.GetString(f));

    /// <summary>
    /// Joins a group (zmq_join(3)): a draft DISH socket receives only the messages a RADIO sends
    /// to the groups it joined. Joining is local and takes effect at the RADIO asynchronously,
    /// once the DISH's connection passes the join on.
    /// </summary>
    /// <param name="group">The group name: 1 to 255 bytes of UTF-8 (ZMQ_GROUP_MAX_LENGTH).</param>
    /// <exception cref="ZmqException">EINVAL when the group is too long or already joined; ENOTSUP when this is not a DISH socket.</exception>
    /// <exception cref="ArgumentException">The name contains a NUL character.</exception>
    public void Join(string group) => GroupCall(group, join: true);

    /// <summary>Leaves a group joined before with <see cref="Join(string)"/> (zmq_leave(3)).</summary>
    /// <param name="group">The group name.</param>
    /// <exception cref="ZmqException">EINVAL when the group was not joined; ENOTSUP when this is not a DISH socket.</exception>
    public void Leave(string group) => GroupCall(group, join: false);

    /// <summary>
    /// Waits until the socket can receive (<see cref="ZmqPollEvents.In"/>) or send
    /// (<see cref="ZmqPollEvents.Out"/>), at most <paramref name="timeout"/> (zmq_poll(3) on this socket).
    /// </summary>
    /// <param name="events">What to wait for.</param>
    /// <param name="timeout">How long; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <returns>The events that are ready; <see cref="ZmqPollEvents.None"/> when the timeout passed.</returns>
    public ZmqPollEvents Poll(ZmqPollEvents events, TimeSpan timeout)
    {
        var deadline = Deadline.Start(timeout);
        using var lease = Enter();
        return PollOne(lease.Socket, events, deadline);
    }

    private void GroupCall(string group, bool join)
    {
        // zmq_join/zmq_leave take a C string: a NUL would silently shorten the name.
        using var utf8 = new Utf8Z(group, nameof(group));
        using var lease = Enter();
        int rc;
        fixed (byte* p = utf8.Bytes)
        {
            while ((rc = join ? LibZmq.zmq_join(lease.Socket, p) : LibZmq.zmq_leave(lease.Socket, p)) == -1 && LibZmq.LastErrno() == Errno.EINTR)
            {
            }
        }

        if (rc == -1)
        {
            ZmqException.ThrowLast((join ? "zmq_join(" : "zmq_leave(") + group + ")");
        }
    }

    private List<byte[]> ReceiveRest(ZmqMessage first)
    {
        var frames = new List<byte[]> { first.ToArray() };
        // A multipart message arrives whole: once the first frame is here, so are the others.
        while (first.More)
        {
            Receive(first);
            frames.Add(first.ToArray());
        }

        return frames;
    }

    /// <summary>
    /// Sends a multipart message: all frames or none, and no other thread's frames among them.
    /// Every frame is checked before the first is sent (a null found after frame 0 went out with
    /// ZMQ_SNDMORE would leave half a message that the next send completes), and the socket is
    /// held for the whole message, not frame by frame: a second thread's SendMultipart meets
    /// the one-thread guard (InvalidOperationException) instead of slipping its frames in.
    /// </summary>
    private bool SendFrames(IEnumerable<byte[]> frames, int firstFlags, bool throwOnAgain)
    {
        var list = CheckedFrames(frames);
        using var lease = Enter();
        for (int i = 0; i < list.Count; i++)
        {
            int flags = (i == 0 ? firstFlags : 0) | (i < list.Count - 1 ? SendMore : 0);
            if (!SendBytesHeld(lease.Socket, list[i], flags, throwOnAgain))
            {
                return false; // only the first frame can meet EAGAIN: nothing was sent
            }
        }

        return true;
    }

    /// <summary>The frames of a message, enumerated once, with every frame checked: at least one, none null.</summary>
    private static IReadOnlyList<byte[]> CheckedFrames(IEnumerable<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var list = frames as IReadOnlyList<byte[]> ?? frames.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("a message has at least one frame", nameof(frames));
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"frame {i} is null; nothing was sent", nameof(frames));
            }
        }

        return list;
    }

    /// <summary>
    /// Sends message frames under one hold of the socket, all or none: checked first (none null,
    /// disposed or given twice), then sent; on success each message is left empty.
    /// </summary>
    private void SendMessageFrames(IEnumerable<ZmqMessage> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var list = frames as IReadOnlyList<ZmqMessage> ?? frames.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("a message has at least one frame", nameof(frames));
        }

        var seen = new HashSet<ZmqMessage>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < list.Count; i++)
        {
            var message = list[i] ?? throw new ArgumentException($"frame {i} is null; nothing was sent", nameof(frames));
            if (message.IsDisposed)
            {
                throw new ArgumentException($"frame {i} is a disposed message; nothing was sent", nameof(frames));
            }

            if (!seen.Add(message))
            {
                // The first send empties it: the second would silently send an empty frame.
                throw new ArgumentException($"frame {i} is the same message as an earlier frame; nothing was sent", nameof(frames));
            }
        }

        using var lease = Enter();
        for (int i = 0; i < list.Count; i++)
        {
            SendMessageHeld(lease.Socket, list[i], i < list.Count - 1 ? SendMore : 0, throwOnAgain: true);
        }
    }

    /// <summary>Sends the UTF-8 bytes of <paramref name="text"/>, encoded on the stack when short, else in a pooled buffer.</summary>
    private bool SendText(string text, int flags, bool throwOnAgain)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[]? rented = null;
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> buffer = max <= StackTextLimit ? stackalloc byte[StackTextLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int length = Encoding.UTF8.GetBytes(text, buffer);
            return SendBytes(buffer[..length], flags, throwOnAgain);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Whether a send or receive first tries a non-blocking call without the GC transition (see
    /// Interop/LibZmq.NoGcTransition.cs for the measurements, and for why it is safe only then).
    /// </summary>
    private bool NoGcFirst => !_threadSafe && !ZmqMessage.ManagedFreeInUse;

    /// <summary>When this socket's blocking receives make their first attempt (see <see cref="ReceiveAttempts"/>).</summary>
    private ReceiveAttempts _receiveAttempts;

    /// <summary>Whether this receive makes the first attempt (always when it must not block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReceiveAttempt(int flags) => NoGcFirst && _receiveAttempts.Next(blocking: (flags & DontWait) == 0);

    /// <summary>
    /// After a receive's first attempt failed, whether the receive returns false now: never for a
    /// blocking receive, which notes the miss and goes on to the blocking call; for a non-blocking
    /// one as for a send (<see cref="AgainNow"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StopAfterFailedReceiveAttempt(int flags, bool throwOnAgain)
    {
        if ((flags & DontWait) == 0)
        {
            _receiveAttempts.Missed();
            return false;
        }

        return AgainNow(flags, throwOnAgain);
    }

    /// <summary>Whether a failed non-blocking call that must not throw on EAGAIN returns false now (the errno is EAGAIN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AgainNow(int flags, bool throwOnAgain) =>
        (flags & DontWait) != 0 && !throwOnAgain && LibZmq.ErrnoNow() == Errno.EAGAIN; // right after a [SuppressGCTransition] call

    // Each send and receive is a fast method holding only [SuppressGCTransition] calls (so the JIT
    // sets up no P/Invoke frame in it) and, for EAGAIN, EINTR and errors, a slow one with the full
    // blocking loop. The fast methods (and ZmqMessage.Rebuild) are AggressiveInlining: without a
    // profile saying the caller's loop is hot (TieredPGO off) the JIT left them as calls, which
    // cost small-message throughput (docs/bench/hot-path-decisions.md).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool SendBytes(ReadOnlySpan<byte> data, int flags, bool throwOnAgain)
    {
        using var lease = Enter();
        return SendBytesHeld(lease.Socket, data, flags, throwOnAgain);
    }

    /// <summary>One frame's send while the caller holds the socket (<see cref="Enter"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool SendBytesHeld(void* socket, ReadOnlySpan<byte> data, int flags, bool throwOnAgain)
    {
        if (NoGcFirst)
        {
            fixed (byte* p = data)
            {
                if (LibZmq.zmq_send_nogc(socket, p, (nuint)data.Length, flags | DontWait) != -1)
                {
                    return true;
                }
            }

            if (AgainNow(flags, throwOnAgain))
            {
                return false;
            }
        }

        return SendBytesSlow(socket, data, flags, throwOnAgain);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool SendBytesSlow(void* socket, ReadOnlySpan<byte> data, int flags, bool throwOnAgain)
    {
        var deadline = CallDeadline(flags, _sendTimeoutMs);
        fixed (byte* p = data)
        {
            bool resumed = false;
            while (LibZmq.zmq_send(socket, p, (nuint)data.Length, flags) == -1)
            {
                if (!RetryOrFail(socket, ZmqPollEvents.Out, throwOnAgain, "zmq_send", ref flags, ref resumed, deadline))
                {
                    return false;
                }
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool SendMessage(ZmqMessage message, int flags, bool throwOnAgain)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var lease = Enter();
        return SendMessageHeld(lease.Socket, message, flags, throwOnAgain);
    }

    /// <summary>One message frame's send while the caller holds the socket (<see cref="Enter"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool SendMessageHeld(void* socket, ZmqMessage message, int flags, bool throwOnAgain)
    {
        var msg = message.Pointer;
        if (NoGcFirst)
        {
            if (LibZmq.zmq_msg_send_nogc(msg, socket, flags | DontWait) != -1)
            {
                message.MarkSent();
                return true;
            }

            if (AgainNow(flags, throwOnAgain))
            {
                return false;
            }
        }

        return SendMessageSlow(socket, message, msg, flags, throwOnAgain);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool SendMessageSlow(void* socket, ZmqMessage message, LibZmq.zmq_msg_t* msg, int flags, bool throwOnAgain)
    {
        var deadline = CallDeadline(flags, _sendTimeoutMs);
        bool resumed = false;
        while (LibZmq.zmq_msg_send(msg, socket, flags) == -1)
        {
            if (!RetryOrFail(socket, ZmqPollEvents.Out, throwOnAgain, "zmq_msg_send", ref flags, ref resumed, deadline))
            {
                return false;
            }
        }

        message.MarkSent();
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReceiveBytes(Span<byte> buffer, int flags, bool throwOnAgain, out int size)
    {
        using var lease = Enter();
        if (ReceiveAttempt(flags))
        {
            fixed (byte* p = buffer)
            {
                if ((size = LibZmq.zmq_recv_nogc(lease.Socket, p, (nuint)buffer.Length, flags | DontWait)) != -1)
                {
                    return CheckReceivedSize(size, buffer.Length);
                }
            }

            if (StopAfterFailedReceiveAttempt(flags, throwOnAgain))
            {
                size = 0;
                return false;
            }
        }

        return ReceiveBytesSlow(lease.Socket, buffer, flags, throwOnAgain, out size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ReceiveBytesSlow(void* socket, Span<byte> buffer, int flags, bool throwOnAgain, out int size)
    {
        var deadline = CallDeadline(flags, _receiveTimeoutMs);
        fixed (byte* p = buffer)
        {
            int rc;
            bool resumed = false;
            while ((rc = LibZmq.zmq_recv(socket, p, (nuint)buffer.Length, flags)) == -1)
            {
                if (!RetryOrFail(socket, ZmqPollEvents.In, throwOnAgain, "zmq_recv", ref flags, ref resumed, deadline))
                {
                    size = 0;
                    return false;
                }
            }

            size = rc;
            return CheckReceivedSize(rc, buffer.Length);
        }
    }

    /// <summary>
    /// zmq_recv(3) returns the frame's size as an int, clipped to int.MaxValue (zmq.cpp: "Truncate
    /// returned size to INT_MAX to avoid overflow"): a frame of 2 GiB or more cannot be told from
    /// one of exactly int.MaxValue bytes, and a span holds at most int.MaxValue. Such a frame was
    /// truncated into the buffer; rather than report a size that is not the frame's, this throws.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CheckReceivedSize(int size, int bufferLength)
    {
        if (size == int.MaxValue && bufferLength < int.MaxValue)
        {
            ThrowFrameTooLarge();
        }

        return true;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFrameTooLarge() => throw new ZmqFrameTooLargeException(
        "the frame received has int.MaxValue bytes or more; zmq_recv reports no larger size, and only its start fit into the buffer. "
        + "Receive frames this large into a ZmqMessage (LongSize), or refuse them with MaxMessageSize.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ReceiveMessage(ZmqMessage message, int flags, bool throwOnAgain)
    {
        ArgumentNullException.ThrowIfNull(message);
        var msg = message.Pointer;
        message.MarkFilled();
        using var lease = Enter();
        if (ReceiveAttempt(flags))
        {
            if (LibZmq.zmq_msg_recv_nogc(msg, lease.Socket, flags | DontWait) != -1)
            {
                return true;
            }

            if (StopAfterFailedReceiveAttempt(flags, throwOnAgain))
            {
                return false;
            }
        }

        return ReceiveMessageSlow(lease.Socket, msg, flags, throwOnAgain);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ReceiveMessageSlow(void* socket, LibZmq.zmq_msg_t* msg, int flags, bool throwOnAgain)
    {
        var deadline = CallDeadline(flags, _receiveTimeoutMs);
        bool resumed = false;
        while (LibZmq.zmq_msg_recv(msg, socket, flags) == -1)
        {
            if (!RetryOrFail(socket, ZmqPollEvents.In, throwOnAgain, "zmq_msg_recv", ref flags, ref resumed, deadline))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Waits for <paramref name="events"/> until the deadline; false when it passed first.
    /// <paramref name="refused"/> counts the times the socket reported ready and the call that
    /// followed still met EAGAIN: a ROUTER with ZMQ_ROUTER_MANDATORY reports POLLOUT when any peer
    /// has room, not the one addressed, so polling again would return at once and spin. Such a
    /// wait sleeps instead, 1, 2, 4, 8, then 16 ms at a time, up to the deadline.
    /// </summary>
    private bool WaitFor(ZmqPollEvents events, Deadline deadline, ref int refused)
    {
        int ms = deadline.RemainingMilliseconds();
        if (ms == 0)
        {
            return false;
        }

        if (refused > 0)
        {
            int pause = 1 << Math.Min(refused - 1, 4);
            Thread.Sleep(ms < 0 ? pause : Math.Min(pause, ms));
        }

        using var lease = Enter();
        if ((PollOne(lease.Socket, events, deadline) & events) != 0)
        {
            refused++; // if the next attempt meets EAGAIN anyway, the next wait backs off
        }

        return true; // ready or not, the caller tries again and re-checks the deadline
    }

    /// <summary>
    /// The deadline of a blocking send or receive: when the call began plus the socket's
    /// ZMQ_SNDTIMEO/ZMQ_RCVTIMEO (<paramref name="timeoutMs"/>, as this socket last set it).
    /// Infinite for a non-blocking call or no timeout, which then costs no clock read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Deadline CallDeadline(int flags, int timeoutMs) =>
        (flags & DontWait) != 0 || timeoutMs < 0 ? Deadline.Infinite : Deadline.FromMilliseconds(timeoutMs);

    /// <summary>
    /// After a send or receive returned -1: true to call again, false to report EAGAIN as a false
    /// result (<paramref name="throwOnAgain"/> unset); any other error is thrown.
    /// </summary>
    /// <remarks>
    /// EINTR is retried for the time left. A blocking call restarted as it was would wait the
    /// socket's whole ZMQ_SNDTIMEO/ZMQ_RCVTIMEO again (.NET's runtime signals its own threads, so
    /// EINTR is not rare), so after the first interruption it continues non-blocking
    /// (<paramref name="resumed"/>), polling until <paramref name="deadline"/>, which started when
    /// the call did; EAGAIN then means the time ran out.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool RetryOrFail(void* socket, ZmqPollEvents events, bool throwOnAgain, string call, ref int flags, ref bool resumed, Deadline deadline)
    {
        int errno = LibZmq.LastErrno();
        if (errno == Errno.EINTR || (errno == Errno.EAGAIN && resumed))
        {
            if (ResumeAfterInterrupt(socket, errno, events, ref flags, ref resumed, deadline))
            {
                return true;
            }

            errno = Errno.EAGAIN;
        }

        if (errno == Errno.EAGAIN && !throwOnAgain)
        {
            return false;
        }

        throw ZmqException.FromErrno(errno, call);
    }

    /// <summary>Whether a call that failed with EINTR (or EAGAIN after one) is made again; false: the socket's timeout ran out.</summary>
    private static bool ResumeAfterInterrupt(void* socket, int errno, ZmqPollEvents events, ref int flags, ref bool resumed, Deadline deadline)
    {
        if (!resumed)
        {
            if ((flags & DontWait) != 0 || errno != Errno.EINTR)
            {
                return errno == Errno.EINTR; // a non-blocking call: just try again
            }

            if (deadline.IsInfinite)
            {
                return true; // no timeout: blocking again loses nothing
            }

            resumed = true;
            flags |= DontWait;
        }

        if (deadline.RemainingMilliseconds() == 0)
        {
            return false;
        }

        PollOne(socket, events, deadline);
        return true;
    }

    /// <summary>zmq_poll(3) on one socket until <paramref name="deadline"/>; an interrupted poll (EINTR) waits again for the time left.</summary>
    private static ZmqPollEvents PollOne(void* socket, ZmqPollEvents events, Deadline deadline)
    {
        int wait = deadline.RemainingMilliseconds();
        while (true)
        {
            int rc;
            short revents;
            if (OperatingSystem.IsWindows())
            {
                var item = new LibZmq.zmq_pollitem_t_windows { socket = socket, events = (short)events };
                rc = LibZmq.zmq_poll_windows(&item, 1, new System.Runtime.InteropServices.CLong(wait));
                revents = item.revents;
            }
            else
            {
                var item = new LibZmq.zmq_pollitem_t { socket = socket, events = (short)events };
                rc = LibZmq.zmq_poll(&item, 1, new System.Runtime.InteropServices.CLong(wait));
                revents = item.revents;
            }

            if (rc >= 0)
            {
                return (ZmqPollEvents)revents;
            }

            int errno = LibZmq.LastErrno();
            if (errno != Errno.EINTR)
            {
                throw ZmqException.FromErrno(errno, "zmq_poll");
            }

            // Interrupted: wait only for what is left, or signals arriving faster than the timeout
            // would keep it waiting for ever (-1, infinite, stays as it is).
            wait = deadline.RemainingMilliseconds();
        }
    }
}
