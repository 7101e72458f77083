using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks.Sources;
using ZmqNative.Async;

namespace ZmqNative;

// Awaitable sends and receives (docs/async.md). Each first tries at once on the caller's thread;
// only when libzmq has no message (or no room) is it queued and completed later by the
// context's async thread, which waits on the socket's ZMQ_FD (zmq_poller_fd for the thread-safe
// types). Continuations always run on the thread pool, never inline on that thread.
public sealed partial class ZmqSocket
{
    /// <summary>
    /// Sends one frame. Completes when libzmq has accepted the frame (zmq_send(3) queued it for
    /// sending; that is not delivery to a peer). A full high-water mark makes it wait, never drops it.
    /// </summary>
    /// <remarks>
    /// <para><b>Order.</b> Sends on one socket are served in the order they were started (one queue
    /// per direction; receives queue apart and never wait behind sends), so any number of tasks may
    /// call this at once. Frames sent with <paramref name="more"/> by several tasks at once can
    /// interleave with each other's: a multipart message from one of many tasks goes with
    /// <see cref="SendMultipartAsync(IEnumerable{byte[]}, CancellationToken)"/>, which is one queue
    /// entry. While any operation is pending, a synchronous call on the socket throws
    /// <see cref="InvalidOperationException"/> (except on the thread-safe types).</para>
    /// <para><b>Completion.</b> When nothing is queued ahead of it and libzmq has room, the returned
    /// task is already complete. Otherwise the send waits, no thread blocked, and the context's
    /// reactor thread completes it once libzmq takes the frame; the continuation then runs on the
    /// thread pool (or the captured context), never inline on the completing thread. Disposing the
    /// socket, or shutting the context down, ends it with an exception.</para>
    /// <para><b>Allocation.</b> None when it completes at once. A send that has to wait takes an
    /// operation object from the socket's pool (returned when the task's result is read; a new one
    /// when the pool is empty). The first async call on a socket creates its async state, and the
    /// first wait in a context starts the context's reactor thread.</para>
    /// </remarks>
    /// <param name="data">The bytes; copied when libzmq accepts the frame, so keep them unchanged until the task completes.</param>
    /// <param name="more">True when more frames of the same message follow (ZMQ_SNDMORE).</param>
    /// <param name="cancellationToken">
    /// Ends a waiting send with <see cref="OperationCanceledException"/>: it was not sent. A token
    /// canceled before the call gives a canceled task and nothing is tried. A frame libzmq accepted
    /// before the cancellation stays sent and the task completes normally.
    /// </param>
    /// <returns>A task that completes when the frame is queued.</returns>
    /// <exception cref="ObjectDisposedException">The socket is disposed, or is disposed while the send waits.</exception>
    /// <exception cref="ContextTerminatedException">The context is shut down.</exception>
    /// <exception cref="InvalidOperationException">A synchronous call on another thread is inside the socket.</exception>
    /// <exception cref="ZmqException">libzmq refused the send as the synchronous <see cref="Send(ReadOnlySpan{byte}, bool)"/> would (EFSM, for example). Errors come through the returned task.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, bool more = false, CancellationToken cancellationToken = default) =>
        StartVoid(new AsyncArgs { Kind = AsyncOperationKind.SendBytes, SendData = data, More = more }, cancellationToken);

    /// <summary>Sends one frame holding the UTF-8 bytes of <paramref name="text"/>; completes when libzmq has accepted it.</summary>
    /// <remarks>
    /// Order, completion and errors as <see cref="SendAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/>.
    /// Allocation: the text is encoded into a buffer rented from <see cref="ArrayPool{T}.Shared"/>,
    /// returned when the send ends (done, canceled or failed); beyond that, as the bytes overload
    /// (nothing more when it completes at once, a pooled operation object when it waits).
    /// </remarks>
    /// <param name="text">The text.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <param name="cancellationToken">Ends a waiting send with <see cref="OperationCanceledException"/>: it was not sent. A frame already accepted stays sent.</param>
    /// <returns>A task that completes when the frame is queued.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null (thrown at the call).</exception>
    public ValueTask SendAsync(string text, bool more = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        int length = Encoding.UTF8.GetBytes(text, rented);
        return StartVoid(new AsyncArgs { Kind = AsyncOperationKind.SendBytes, SendData = rented.AsMemory(0, length), Rented = rented, More = more }, cancellationToken);
    }

    /// <summary>
    /// Sends a message frame; completes when libzmq has accepted it, leaving the message empty
    /// (its content belongs to libzmq). Canceled or failed, the message keeps its content.
    /// </summary>
    /// <remarks>
    /// Order, completion and errors as <see cref="SendAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/>.
    /// Nothing is copied; no allocation when it completes at once, a pooled operation object when it waits.
    /// </remarks>
    /// <param name="message">The message; do not use it until the task completes.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <param name="cancellationToken">Ends a waiting send with <see cref="OperationCanceledException"/>: it was not sent and the message keeps its content.</param>
    /// <returns>A task that completes when the frame is queued.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null (thrown at the call).</exception>
    public ValueTask SendAsync(ZmqMessage message, bool more = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return StartVoid(new AsyncArgs { Kind = AsyncOperationKind.SendMessage, Message = message, More = more }, cancellationToken);
    }

    /// <summary>
    /// Sends a multipart message, all frames or none; completes when libzmq has accepted its
    /// first frame (the others are then always accepted too: the high-water mark counts messages).
    /// It is one entry in the socket's send queue, so no other task's frames come between.
    /// </summary>
    /// <remarks>
    /// Order, completion and errors as <see cref="SendAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/>.
    /// The frames are enumerated and checked once, at the call. Allocation: a list of the frames
    /// unless they are an <see cref="IReadOnlyList{T}"/> already; nothing more when it completes at
    /// once, a pooled operation object when it waits.
    /// </remarks>
    /// <param name="frames">The frames, at least one, none null; keep them unchanged until the task completes.</param>
    /// <param name="cancellationToken">Ends a waiting send with <see cref="OperationCanceledException"/>: then no frame was sent.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ArgumentException">There is no frame, or one is null (thrown at the call): nothing was sent.</exception>
    public ValueTask SendMultipartAsync(IEnumerable<byte[]> frames, CancellationToken cancellationToken = default) =>
        StartVoid(new AsyncArgs { Kind = AsyncOperationKind.SendFrames, Frames = CheckedFrames(frames) }, cancellationToken);

    /// <summary>
    /// Sends a multipart message made of <see cref="ZmqMessage"/> frames, all or none, as
    /// <see cref="SendMultipart(IEnumerable{ZmqMessage})"/> does; completes when libzmq has
    /// accepted its first frame (the others are then always accepted too). No other task's frames
    /// come between.
    /// </summary>
    /// <remarks>
    /// <para><b>Ownership</b>, as the synchronous form: when the task completes successfully every
    /// message is left empty (its content belongs to libzmq, nothing was copied). When it ends
    /// canceled or failed, nothing was sent and every message keeps its content, to be sent again
    /// or disposed by the caller. Do not use the messages (nor change the list) until the task
    /// completes.</para>
    /// <para><b>What completes it</b>: room for the first frame (a full high-water mark makes it
    /// wait, never drop). <b>What cancels it</b>: <paramref name="cancellationToken"/>, while it waits.
    /// <b>What it allocates</b>: nothing when the frames are an <see cref="IReadOnlyList{T}"/> of at
    /// most 16 and there is room now; a list for other enumerables, a set to find repeated frames
    /// past 16; a pooled operation object when it has to wait.</para>
    /// </remarks>
    /// <param name="frames">The messages, at least one, each at most once, none disposed.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>: then nothing was sent.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ArgumentException">There is no frame, or one is null, disposed or given twice: nothing was sent (thrown at the call).</exception>
    /// <exception cref="ObjectDisposedException">The socket is disposed, or is disposed while the send waits: nothing was sent.</exception>
    /// <exception cref="ContextTerminatedException">The context is shut down: nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">A synchronous call on another thread is inside the socket: nothing was sent.</exception>
    public ValueTask SendMultipartAsync(IEnumerable<ZmqMessage> frames, CancellationToken cancellationToken = default) =>
        StartVoid(new AsyncArgs { Kind = AsyncOperationKind.SendMessageFrames, MessageFrames = CheckedMessageFrames(frames) }, cancellationToken);

    /// <summary>Sends a multipart message of UTF-8 text frames, all or none; completes when libzmq has accepted it.</summary>
    /// <remarks>
    /// As <see cref="SendMultipartAsync(IEnumerable{byte[]}, CancellationToken)"/>. Allocation: a list
    /// and one new array per frame (the encoded text), at the call.
    /// </remarks>
    /// <param name="frames">The frames, at least one, none null.</param>
    /// <param name="cancellationToken">Ends a waiting send with <see cref="OperationCanceledException"/>: then no frame was sent.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ArgumentException">There is no frame, or one is null (thrown at the call): nothing was sent.</exception>
    public ValueTask SendMultipartAsync(IEnumerable<string> frames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var bytes = new List<byte[]>();
        foreach (var frame in frames)
        {
            bytes.Add(Encoding.UTF8.GetBytes(frame ?? throw new ArgumentException($"frame {bytes.Count} is null; nothing was sent", nameof(frames))));
        }

        return SendMultipartAsync(bytes, cancellationToken);
    }

    /// <summary>Sends envelope then body as one multipart message (a ROUTER picks the peer by the first frame); completes when libzmq has accepted it.</summary>
    /// <remarks>
    /// As <see cref="SendMultipartAsync(IEnumerable{byte[]}, CancellationToken)"/>: all frames or
    /// none, one queue entry. Allocation: the list of envelope and body frames, at the call.
    /// </remarks>
    /// <param name="message">The message, usually <see cref="ZmqRoutedMessage.Reply(IEnumerable{byte[]})"/> of one received.</param>
    /// <param name="cancellationToken">Ends a waiting send with <see cref="OperationCanceledException"/>: then no frame was sent.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null (thrown at the call).</exception>
    public ValueTask SendRoutedAsync(ZmqRoutedMessage message, CancellationToken cancellationToken = default) =>
        SendMultipartAsync((message ?? throw new ArgumentNullException(nameof(message))).ToFrames(), cancellationToken);

    /// <summary>
    /// Receives one frame into <paramref name="buffer"/>; completes when a frame has been taken
    /// from libzmq. The result is the frame's full size: larger than the buffer means only its start
    /// was stored and the rest is lost (as zmq_recv(3)).
    /// </summary>
    /// <remarks>
    /// <para><b>Order.</b> Receives on one socket are served in the order they were started, so
    /// several tasks may wait at once, each getting a different frame. While any operation is pending,
    /// a synchronous call on the socket throws <see cref="InvalidOperationException"/> (except on the
    /// thread-safe types).</para>
    /// <para><b>Completion.</b> When a frame is waiting and no receive is queued ahead, the returned
    /// task is already complete. Otherwise the receive waits, no thread blocked, and the context's
    /// reactor thread completes it when a frame arrives; the continuation runs on the thread pool
    /// (or the captured context), never inline on the completing thread. The buffer is written only
    /// when the frame is taken. Disposing the socket, or shutting the context down, ends it with an
    /// exception.</para>
    /// <para><b>Allocation.</b> None when it completes at once. A receive that has to wait takes an
    /// operation object from the socket's pool (returned when the task's result is read; a new one
    /// when the pool is empty). The first async call on a socket creates its async state, and the
    /// first wait in a context starts the context's reactor thread.</para>
    /// </remarks>
    /// <param name="buffer">Where the frame goes; keep it until the task completes.</param>
    /// <param name="cancellationToken">
    /// Ends a waiting receive with <see cref="OperationCanceledException"/>: then no frame was taken,
    /// and the next receive gets it. A frame is never lost to a cancellation: one taken from libzmq
    /// before the cancellation won completes the task normally. A token canceled before the call
    /// gives a canceled task and nothing is tried.
    /// </param>
    /// <returns>The frame's full size.</returns>
    /// <exception cref="ObjectDisposedException">The socket is disposed, or is disposed while the receive waits.</exception>
    /// <exception cref="ContextTerminatedException">The context is shut down.</exception>
    /// <exception cref="InvalidOperationException">A synchronous call on another thread is inside the socket.</exception>
    /// <exception cref="ZmqException">libzmq refused the receive as the synchronous <see cref="Receive(Span{byte})"/> would (EFSM, for example). Errors come through the returned task.</exception>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        try
        {
            var op = AsyncState.Start(new AsyncArgs { Kind = AsyncOperationKind.ReceiveBytes, ReceiveBuffer = buffer }, cancellationToken, out int size, out _);
            return op is null ? new ValueTask<int>(size) : new ValueTask<int>(op, op.Version);
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    /// <summary>Receives one frame into <paramref name="message"/>, replacing its content; completes when a frame has been taken from libzmq.</summary>
    /// <remarks>
    /// Order, completion and errors as <see cref="ReceiveAsync(Memory{byte}, CancellationToken)"/>.
    /// No managed allocation when a frame is waiting; a pooled operation object when it waits.
    /// The message's previous content is released by the first attempt (a receive that finds
    /// nothing leaves the message empty, as zmq_msg_recv(3) does), so do not count on it after a
    /// canceled or failed receive.
    /// </remarks>
    /// <param name="message">The message to reuse; do not use it until the task completes.</param>
    /// <param name="cancellationToken">Ends a waiting receive with <see cref="OperationCanceledException"/>: no frame was taken (the next receive gets it). A frame already taken is delivered.</param>
    /// <returns>A task that completes when the frame is in the message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null (thrown at the call).</exception>
    public ValueTask ReceiveAsync(ZmqMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return StartVoid(new AsyncArgs { Kind = AsyncOperationKind.ReceiveMessage, Message = message }, cancellationToken);
    }

    /// <summary>Receives one frame and decodes it as UTF-8; completes when a frame has been taken from libzmq.</summary>
    /// <remarks>
    /// Order, completion, cancellation and errors as <see cref="ReceiveAsync(Memory{byte}, CancellationToken)"/>.
    /// Allocation: the string (the frame is read through a message the socket keeps for this); a
    /// pooled operation object when it waits.
    /// </remarks>
    /// <param name="cancellationToken">Ends a waiting receive with <see cref="OperationCanceledException"/>: no frame was taken. A frame already taken is delivered.</param>
    /// <returns>The text.</returns>
    public ValueTask<string> ReceiveStringAsync(CancellationToken cancellationToken = default) =>
        StartReceive<string>(AsyncOperationKind.ReceiveString, cancellationToken);

    /// <summary>
    /// Receives every frame of one multipart message; completes when a whole message has been taken
    /// from libzmq (it delivers a message's frames together: once the first is there, all are).
    /// </summary>
    /// <remarks>
    /// Order, completion, cancellation and errors as <see cref="ReceiveAsync(Memory{byte}, CancellationToken)"/>;
    /// the whole message is one queue entry. Allocation: the list and one array per frame; a pooled
    /// operation object when it waits.
    /// </remarks>
    /// <param name="cancellationToken">Ends a waiting receive with <see cref="OperationCanceledException"/>: no frame was taken. A message already taken is delivered whole.</param>
    /// <returns>The frames, in order.</returns>
    public ValueTask<List<byte[]>> ReceiveMultipartAsync(CancellationToken cancellationToken = default) =>
        StartReceive<List<byte[]>>(AsyncOperationKind.ReceiveFrames, cancellationToken);

    /// <summary>Receives one message on a ROUTER as envelope and body (<see cref="ZmqRoutedMessage.Split"/>); answer it with <see cref="SendRoutedAsync"/>.</summary>
    /// <remarks>
    /// Completes, cancels and fails as <see cref="ReceiveMultipartAsync"/>, which it awaits.
    /// Allocation: what that allocates, the routed message with its envelope and body, and, when it
    /// has to wait, this async method's state.
    /// </remarks>
    /// <param name="cancellationToken">Ends a waiting receive with <see cref="OperationCanceledException"/>: no frame was taken. A message already taken is delivered.</param>
    /// <returns>The message.</returns>
    /// <exception cref="ArgumentException">The message's first frame is empty (no routing id: the socket is not a ROUTER); that message was taken and is not delivered.</exception>
    public async ValueTask<ZmqRoutedMessage> ReceiveRoutedAsync(CancellationToken cancellationToken = default) =>
        ZmqRoutedMessage.Split(await ReceiveMultipartAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Reads whole messages (every frame of each) as they arrive, until canceled: the receive
    /// loop of a worker. It never ends by itself: <see cref="OperationCanceledException"/> when the
    /// token is canceled, <see cref="ObjectDisposedException"/> when the socket is disposed,
    /// <see cref="ContextTerminatedException"/> when the context is shut down.
    /// </summary>
    /// <remarks>
    /// Each step is a <see cref="ReceiveMultipartAsync"/>: it completes when a whole message has been
    /// taken, at once when one is waiting. Allocation: per message at least what
    /// <see cref="ReceiveMultipartAsync"/> allocates (the list and the frames' arrays), plus the
    /// async iterator's own objects (a token given both here and with <c>WithCancellation</c> is
    /// linked into a new source). A loop that allocates nothing per message awaits
    /// <see cref="ReceiveAsync(ZmqMessage, CancellationToken)"/> on one reused message instead.
    /// </remarks>
    /// <param name="cancellationToken">
    /// Stops the reading: a waiting step ends with <see cref="OperationCanceledException"/> and no
    /// message was taken. A message already taken when the token fires is yielded first; the next
    /// step then ends canceled.
    /// </param>
    /// <returns>The messages.</returns>
    public async IAsyncEnumerable<List<byte[]>> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            yield return await ReceiveMultipartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask StartVoid(in AsyncArgs args, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            ReturnRented(args.Rented);
            return ValueTask.FromCanceled(cancellationToken);
        }

        AsyncOperation? op;
        try
        {
            op = AsyncState.Start(args, cancellationToken, out _, out _);
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            ReturnRented(args.Rented);
            return ValueTask.FromException(e);
        }

        if (op is null)
        {
            ReturnRented(args.Rented); // done at once: the buffer is the caller's again
            return default;
        }

        return new ValueTask(op, op.Version);
    }

    private ValueTask<T> StartReceive<T>(AsyncOperationKind kind, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        try
        {
            var op = AsyncState.Start(new AsyncArgs { Kind = kind }, cancellationToken, out _, out object? payload);
            return op is null ? new ValueTask<T>((T)payload!) : new ValueTask<T>((IValueTaskSource<T>)(object)op, op.Version);
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            return ValueTask.FromException<T>(e);
        }
    }

    /// <summary>The frames as a list, checked before anything is sent (no allocation for a short IReadOnlyList).</summary>
    private static IReadOnlyList<ZmqMessage> CheckedMessageFrames(IEnumerable<ZmqMessage> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var list = frames as IReadOnlyList<ZmqMessage> ?? frames.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("a message has at least one frame; nothing was sent", nameof(frames));
        }

        const int PairwiseLimit = 16;
        var seen = list.Count > PairwiseLimit ? new HashSet<ZmqMessage>(ReferenceEqualityComparer.Instance) : null;
        for (int i = 0; i < list.Count; i++)
        {
            var message = list[i] ?? throw new ArgumentException($"frame {i} is null; nothing was sent", nameof(frames));
            if (message.IsDisposed)
            {
                throw new ArgumentException($"frame {i} is a disposed message; nothing was sent", nameof(frames));
            }

            bool repeated = false;
            if (seen is not null)
            {
                repeated = !seen.Add(message);
            }
            else
            {
                for (int k = 0; k < i && !repeated; k++)
                {
                    repeated = ReferenceEquals(list[k], message);
                }
            }

            if (repeated)
            {
                // The first send empties it: the second would silently send an empty frame.
                throw new ArgumentException($"frame {i} is the same message as an earlier frame; nothing was sent", nameof(frames));
            }
        }

        return list;
    }

    private static void ReturnRented(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
