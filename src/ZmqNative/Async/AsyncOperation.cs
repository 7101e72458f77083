using System.Threading.Tasks.Sources;

namespace ZmqNative.Async;

/// <summary>What a queued operation does when its turn comes.</summary>
internal enum AsyncOperationKind
{
    SendBytes,
    SendMessage,
    SendFrames,
    SendMessageFrames,
    ReceiveBytes,
    ReceiveMessage,
    ReceiveString,
    ReceiveFrames,
}

/// <summary>The arguments of one send or receive, the same whether it is tried at once or queued.</summary>
internal struct AsyncArgs
{
    public AsyncOperationKind Kind;
    public ReadOnlyMemory<byte> SendData;
    public Memory<byte> ReceiveBuffer;
    public ZmqMessage? Message;
    public IReadOnlyList<byte[]>? Frames;
    public IReadOnlyList<ZmqMessage>? MessageFrames;

    /// <summary>A pooled buffer holding SendData (text sends), returned when the operation ends.</summary>
    public byte[]? Rented;
    public bool More;
}

/// <summary>
/// One pending send or receive: its arguments, its place in its socket's queue, and the
/// awaitable it completes. Pooled per socket (<see cref="AsyncSocketState"/>) and reused after
/// its awaiter read the result, so a steady stream of operations allocates nothing.
/// </summary>
/// <remarks>
/// Every field except the core is read and written only under the socket state's lock. The
/// core runs continuations asynchronously: a completion made on the reactor thread (or on the
/// thread of another caller that pumped the socket) never runs user code inline there.
/// </remarks>
internal sealed class AsyncOperation : IValueTaskSource, IValueTaskSource<int>, IValueTaskSource<string>, IValueTaskSource<List<byte[]>>
{
    private ManualResetValueTaskSourceCore<int> _core = new() { RunContinuationsAsynchronously = true };
    private readonly AsyncSocketState _owner;

    public AsyncOperation(AsyncSocketState owner) => _owner = owner;

    public AsyncArgs Args;

    /// <summary>The result of a string or multipart receive (the int result is in the core).</summary>
    public object? Payload;

    // Queue links (intrusive, so removal on cancellation is O(1) and costs nothing).
    public AsyncOperation? Next;
    public AsyncOperation? Previous;
    public AsyncQueue? Queue;

    public CancellationTokenRegistration Registration;

    /// <summary>False once a cancellation callback may still run for this use: the op is then left to the GC, never reused.</summary>
    public bool Reusable = true;

    public short Version => _core.Version;

    /// <summary>Completes with a result. Under the state's lock; the op is out of its queue.</summary>
    public void Succeed(int result)
    {
        Unregister();
        _core.SetResult(result);
    }

    /// <summary>Completes with an exception. Under the state's lock; the op is out of its queue.</summary>
    public void Fail(Exception error)
    {
        Unregister();
        _core.SetException(error);
    }

    private void Unregister()
    {
        // Unregister never waits for a running callback (Dispose would, and the callback waits
        // for our lock). False means the callback is running or ran: it finds the op out of its
        // queue and does nothing, but it holds the op, so the op must not be reused.
        if (Registration.Token.CanBeCanceled && !Registration.Unregister())
        {
            Reusable = false;
        }

        Registration = default;
        Args = default;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _owner.Return(this);
        }
    }

    int IValueTaskSource<int>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _owner.Return(this);
        }
    }

    string IValueTaskSource<string>.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
            return (string)Payload!;
        }
        finally
        {
            Payload = null;
            _owner.Return(this);
        }
    }

    List<byte[]> IValueTaskSource<List<byte[]>>.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
            return (List<byte[]>)Payload!;
        }
        finally
        {
            Payload = null;
            _owner.Return(this);
        }
    }

    /// <summary>Makes the op ready for its next use (by the pool, under the state's lock).</summary>
    public void Reset()
    {
        _core.Reset();
        Registration = default;
        Payload = null;
    }

    /// <summary>The owner, for the cancellation callback.</summary>
    public AsyncSocketState Owner => _owner;
}

/// <summary>A FIFO of pending operations in one direction, doubly linked through the operations.</summary>
internal sealed class AsyncQueue
{
    public AsyncOperation? Head;
    private AsyncOperation? _tail;

    public bool IsEmpty => Head is null;

    public void Enqueue(AsyncOperation op)
    {
        op.Queue = this;
        op.Next = null;
        op.Previous = _tail;
        if (_tail is null)
        {
            Head = op;
        }
        else
        {
            _tail.Next = op;
        }

        _tail = op;
    }

    public void Remove(AsyncOperation op)
    {
        if (op.Previous is null)
        {
            Head = op.Next;
        }
        else
        {
            op.Previous.Next = op.Next;
        }

        if (op.Next is null)
        {
            _tail = op.Previous;
        }
        else
        {
            op.Next.Previous = op.Previous;
        }

        op.Next = op.Previous = null;
        op.Queue = null;
    }
}
