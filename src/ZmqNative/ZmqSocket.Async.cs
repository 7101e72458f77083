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
    /// Sends one frame. Completes when libzmq has accepted it (queued it for sending); a full
    /// high-water mark makes it wait, never drops it.
    /// </summary>
    /// <remarks>
    /// Operations on one socket are served in the order they were started, one queue per
    /// direction, so any number of tasks may call this at once. While one is pending, a
    /// synchronous call on the socket throws <see cref="InvalidOperationException"/> (except on
    /// the thread-safe types). When libzmq has room now the returned task is already complete
    /// and nothing is allocated; a send that has to wait uses a pooled operation object.
    /// </remarks>
    /// <param name="data">The bytes; copied when libzmq accepts the frame, so keep them unchanged until the task completes.</param>
    /// <param name="more">True when more frames of the same message follow (ZMQ_SNDMORE).</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>; a frame libzmq already accepted stays sent.</param>
    /// <returns>A task that completes when the frame is queued.</returns>
    /// <exception cref="ObjectDisposedException">The socket is disposed, or is disposed while the send waits.</exception>
    /// <exception cref="ContextTerminatedException">The context is shut down.</exception>
    /// <exception cref="InvalidOperationException">A synchronous call on another thread is inside the socket.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, bool more = false, CancellationToken cancellationToken = default) =>
        StartVoid(new AsyncArgs { Kind = AsyncOperationKind.SendBytes, SendData = data, More = more }, cancellationToken);

    /// <summary>Sends one frame holding the UTF-8 bytes of <paramref name="text"/>; completes when libzmq has accepted it.</summary>
    /// <remarks>
    /// As <see cref="SendAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/>. The text is encoded
    /// into a buffer from <see cref="ArrayPool{T}.Shared"/>, returned when the send ends.
    /// </remarks>
    /// <param name="text">The text.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the frame is queued.</returns>
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
    /// <remarks>As <see cref="SendAsync(ReadOnlyMemory{byte}, bool, CancellationToken)"/>; nothing is copied.</remarks>
    /// <param name="message">The message; do not use it until the task completes.</param>
    /// <param name="more">True when more frames of the same message follow.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the frame is queued.</returns>
    public ValueTask SendAsync(ZmqMessage message, bool more = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return StartVoid(new AsyncArgs { Kind = AsyncOperationKind.SendMessage, Message = message, More = more }, cancellationToken);
    }

    /// <summary>
    /// Sends a multipart message, all frames or none; completes when libzmq has accepted its
    /// first frame (the others are then always accepted too). No other task's frames come between.
    /// </summary>
    /// <remarks>The frames are enumerated and checked once, at the call (a list is allocated unless they are an <see cref="IReadOnlyList{T}"/>).</remarks>
    /// <param name="frames">The frames, at least one, none null; keep them unchanged until the task completes.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>: then nothing was sent.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ArgumentException">There is no frame, or one is null: nothing was sent.</exception>
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
    /// <remarks>As <see cref="SendMultipartAsync(IEnumerable{byte[]}, CancellationToken)"/>; each frame is encoded into a new array.</remarks>
    /// <param name="frames">The frames, at least one, none null.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>: then nothing was sent.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    /// <exception cref="ArgumentException">There is no frame, or one is null: nothing was sent.</exception>
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
    /// <param name="message">The message, usually <see cref="ZmqRoutedMessage.Reply(IEnumerable{byte[]})"/> of one received.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>: then nothing was sent.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    public ValueTask SendRoutedAsync(ZmqRoutedMessage message, CancellationToken cancellationToken = default) =>
        SendMultipartAsync((message ?? throw new ArgumentNullException(nameof(message))).ToFrames(), cancellationToken);

    /// <summary>
    /// Receives one frame into <paramref name="buffer"/>; completes when a frame is there. The
    /// result is the frame's full size: larger than the buffer means only its start was stored
    /// and the rest is lost (as zmq_recv(3)).
    /// </summary>
    /// <remarks>
    /// Receives on one socket are served in the order they were started. When a frame is
    /// waiting the task is already complete and nothing is allocated; a receive that has to
    /// wait uses a pooled operation object. The buffer is written when the frame is taken.
    /// </remarks>
    /// <param name="buffer">Where the frame goes; keep it until the task completes.</param>
    /// <param name="cancellationToken">
    /// Ends the wait with <see cref="OperationCanceledException"/>. A frame is never lost to a
    /// cancellation: one taken from libzmq before the cancellation won completes the task.
    /// </param>
    /// <returns>The frame's full size.</returns>
    /// <exception cref="ObjectDisposedException">The socket is disposed, or is disposed while the receive waits.</exception>
    /// <exception cref="ContextTerminatedException">The context is shut down.</exception>
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

    /// <summary>Receives one frame into <paramref name="message"/>, replacing its content; completes when a frame is there.</summary>
    /// <remarks>As <see cref="ReceiveAsync(Memory{byte}, CancellationToken)"/>: no managed allocation when a frame is waiting.</remarks>
    /// <param name="message">The message to reuse; do not use it until the task completes.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>; a frame already taken is delivered.</param>
    /// <returns>A task that completes when the frame is in the message.</returns>
    public ValueTask ReceiveAsync(ZmqMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return StartVoid(new AsyncArgs { Kind = AsyncOperationKind.ReceiveMessage, Message = message }, cancellationToken);
    }

    /// <summary>Receives one frame and decodes it as UTF-8; completes when a frame is there.</summary>
    /// <remarks>As <see cref="ReceiveAsync(Memory{byte}, CancellationToken)"/>; allocates the string.</remarks>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>; a frame already taken is delivered.</param>
    /// <returns>The text.</returns>
    public ValueTask<string> ReceiveStringAsync(CancellationToken cancellationToken = default) =>
        StartReceive<string>(AsyncOperationKind.ReceiveString, cancellationToken);

    /// <summary>Receives every frame of one multipart message; completes when a whole message is there.</summary>
    /// <remarks>As <see cref="ReceiveAsync(Memory{byte}, CancellationToken)"/>; allocates the list and one array per frame.</remarks>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>; a message already taken is delivered.</param>
    /// <returns>The frames, in order.</returns>
    public ValueTask<List<byte[]>> ReceiveMultipartAsync(CancellationToken cancellationToken = default) =>
        StartReceive<List<byte[]>>(AsyncOperationKind.ReceiveFrames, cancellationToken);

    /// <summary>Receives one message on a ROUTER as envelope and body (<see cref="ZmqRoutedMessage.Split"/>); answer it with <see cref="SendRoutedAsync"/>.</summary>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>; a message already taken is delivered.</param>
    /// <returns>The message.</returns>
    /// <exception cref="ArgumentException">The message has no routing id (the socket is not a ROUTER).</exception>
    public async ValueTask<ZmqRoutedMessage> ReceiveRoutedAsync(CancellationToken cancellationToken = default) =>
        ZmqRoutedMessage.Split(await ReceiveMultipartAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Reads whole messages (every frame of each) as they arrive, until canceled: the receive
    /// loop of a worker. Ends with <see cref="OperationCanceledException"/> when the token is
    /// canceled, <see cref="ObjectDisposedException"/> when the socket is disposed,
    /// <see cref="ContextTerminatedException"/> when the context is shut down.
    /// </summary>
    /// <param name="cancellationToken">Stops the reading; a message already taken is delivered first.</param>
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
