using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using ZmqNative.Interop;

namespace ZmqNative;

// Sending and receiving (zmq_send(3), zmq_recv(3), zmq_msg_send(3), zmq_msg_recv(3)).
// Three forms of each: blocking (honours SendTimeout/ReceiveTimeout, EAGAIN then throws),
// Try without a timeout (one attempt: false on EAGAIN) and Try with a timeout (attempt, wait,
// attempt: false when it passes). The attempts and the blocking calls are in ZmqSocket.Attempts.cs,
// the waiting in ZmqWait.
public sealed unsafe partial class ZmqSocket
{
    private const int DontWait = LibZmq.ZMQ_DONTWAIT;
    private const int SendMore = LibZmq.ZMQ_SNDMORE;
    private const int StackTextLimit = 512;

    /// <summary>Sends one frame, blocking until it is queued.</summary>
    /// <param name="data">The bytes (copied).</param>
    /// <param name="more">True when more frames of the same message follow (ZMQ_SNDMORE).</param>
    /// <exception cref="ZmqException">EFSM (e.g. REQ sending twice), EHOSTUNREACH (ROUTER_MANDATORY), EAGAIN when <see cref="SendTimeout"/> passed, ...</exception>
    public void Send(ReadOnlySpan<byte> data, bool more = false) => SendBytes(data, more ? SendMore : 0);

    /// <summary>Sends one frame if it can be queued now (ZMQ_DONTWAIT).</summary>
    /// <param name="data">The bytes (copied).</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <returns>False when it would block (EAGAIN: high-water mark reached or no peer).</returns>
    public bool TrySend(ReadOnlySpan<byte> data, bool more = false) => AttemptSend(data, more).ThrowIfFailed("zmq_send");

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
            if (!ZmqWait.ForSocket(this, ZmqPollEvents.Out, deadline, ref refused))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sends one frame holding the UTF-8 bytes of <paramref name="text"/>, blocking.</summary>
    /// <param name="text">The text.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    public void Send(string text, bool more = false) => SendText(text, more, blocking: true);

    /// <summary>Sends one frame holding the UTF-8 bytes of <paramref name="text"/> if it can be queued now.</summary>
    /// <param name="text">The text.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <returns>False when it would block.</returns>
    public bool TrySend(string text, bool more = false) => SendText(text, more, blocking: false);

    /// <summary>Sends a message frame, blocking; the message is left empty (its content now belongs to libzmq).</summary>
    /// <param name="message">The message.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    public void Send(ZmqMessage message, bool more = false) => SendMessage(message, more ? SendMore : 0);

    /// <summary>Sends a message frame if it can be queued now; on success the message is left empty.</summary>
    /// <param name="message">The message.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <returns>False when it would block; the message then keeps its content.</returns>
    public bool TrySend(ZmqMessage message, bool more = false) => AttemptSend(message, more).ThrowIfFailed("zmq_msg_send");

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
            if (!ZmqWait.ForSocket(this, ZmqPollEvents.Out, deadline, ref refused))
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
    public void SendMultipart(IEnumerable<byte[]> frames) => SendFrames(CheckedFrames(frames), blocking: true);

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

        SendFrames(CheckedFrames(bytes), blocking: true);
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
    public bool TrySendMultipart(IEnumerable<byte[]> frames) => SendFrames(CheckedFrames(frames), blocking: false);

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
        while (!SendFrames(list, blocking: false))
        {
            if (!ZmqWait.ForSocket(this, ZmqPollEvents.Out, deadline, ref refused))
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
    public int Receive(Span<byte> buffer) => ReceiveBytes(buffer);

    /// <summary>Receives one frame into <paramref name="buffer"/> if one is waiting.</summary>
    /// <param name="buffer">Where the frame goes.</param>
    /// <param name="size">The frame's full size; larger than the buffer means it was truncated.</param>
    /// <returns>False when no frame was waiting.</returns>
    public bool TryReceive(Span<byte> buffer, out int size) => AttemptReceive(buffer, out size).ThrowIfFailed("zmq_recv");

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
            if (!ZmqWait.ForSocket(this, ZmqPollEvents.In, deadline, ref refused))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Receives one frame into <paramref name="message"/>, replacing its content; blocking.</summary>
    /// <param name="message">The message to reuse; no managed allocation per receive.</param>
    public void Receive(ZmqMessage message) => ReceiveMessage(message);

    /// <summary>Receives one frame into <paramref name="message"/> if one is waiting.</summary>
    /// <param name="message">The message to reuse.</param>
    /// <returns>False when no frame was waiting.</returns>
    public bool TryReceive(ZmqMessage message) => AttemptReceive(message).ThrowIfFailed("zmq_msg_recv");

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
            if (!ZmqWait.ForSocket(this, ZmqPollEvents.In, deadline, ref refused))
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
        return ZmqWait.PollOne(lease.Socket, events, deadline);
    }

    private void GroupCall(string group, bool join)
    {
        // zmq_join/zmq_leave take a C string: a NUL would silently shorten the name.
        using var utf8 = new Utf8Z(group, nameof(group));
        using var lease = Enter();
        int rc;
        fixed (byte* p = utf8.Bytes)
        {
            while (ZmqCall.Interrupted(rc = join ? LibZmq.zmq_join(lease.Socket, p) : LibZmq.zmq_leave(lease.Socket, p)))
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
    private bool SendFrames(IReadOnlyList<byte[]> list, bool blocking)
    {
        using var lease = Enter();
        for (int i = 0; i < list.Count; i++)
        {
            int flags = i < list.Count - 1 ? SendMore : 0;
            if (i == 0 && !blocking)
            {
                if (!AttemptSendHeld(lease.Socket, list[i], flags).ThrowIfFailed("zmq_send"))
                {
                    return false; // only the first frame can meet EAGAIN: nothing was sent
                }
            }
            else
            {
                SendBytesHeld(lease.Socket, list[i], flags);
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
            SendMessageHeld(lease.Socket, list[i], i < list.Count - 1 ? SendMore : 0);
        }
    }

    /// <summary>Sends the UTF-8 bytes of <paramref name="text"/>, encoded on the stack when short, else in a pooled buffer.</summary>
    private bool SendText(string text, bool more, bool blocking)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[]? rented = null;
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> buffer = max <= StackTextLimit ? stackalloc byte[StackTextLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int length = Encoding.UTF8.GetBytes(text, buffer);
            if (blocking)
            {
                SendBytes(buffer[..length], more ? SendMore : 0);
                return true;
            }

            return AttemptSend(buffer[..length], more).ThrowIfFailed("zmq_send");
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
