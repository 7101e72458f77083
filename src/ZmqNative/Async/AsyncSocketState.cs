using System.Buffers;
using ZmqNative.Interop;

namespace ZmqNative.Async;

/// <summary>
/// A socket's async side: one queue of pending operations per direction, served in order, and
/// the rules that keep them correct over libzmq's edge-triggered ZMQ_FD (docs/async.md).
/// </summary>
/// <remarks>
/// <para>Everything here runs under <see cref="_gate"/>, whichever thread runs it (the caller's
/// fast path, the reactor, a cancelling thread, a disposing thread): native calls on the socket,
/// taking an operation out of its queue, completing it. So a cancellation either finds the
/// operation still queued (nothing was taken from libzmq: it ends canceled) or finds it
/// completed (the message it took is delivered).</para>
/// <para>While an operation is queued the engine holds the socket's busy flag, so a synchronous
/// call meets the one-thread rule (InvalidOperationException), and a disposal closes the native
/// socket only when the engine lets go.</para>
/// </remarks>
internal sealed unsafe class AsyncSocketState
{
    private const int PoolLimit = 16;

    /// <summary>
    /// How many times an operation that found no message (or no room) re-reads the socket's
    /// events and retries, spinning then yielding between tries, before it is queued: about
    /// ten short spins and ten yields, a few to some tens of microseconds.
    /// </summary>
    internal const int RetriesBeforeParking = 20;

    private static readonly Action<object?> s_cancel = static state => ((AsyncOperation)state!).Owner.Cancel((AsyncOperation)state);

    private readonly ZmqSocket _socket;
    private readonly AsyncReactor _reactor;
    private readonly object _gate = new();
    private readonly AsyncQueue _sends = new();
    private readonly AsyncQueue _receives = new();
    private readonly bool _threadSafe;

    private volatile bool _held; // the engine holds the socket's busy flag
    private bool _closed;
    private AsyncOperation? _pool;
    private int _pooled;
    private ZmqMessage? _scratch; // string and multipart receives, always under _gate
    private void* _poller; // thread-safe types: a zmq_poller holding the socket, for its fd

    public AsyncSocketState(ZmqSocket socket, AsyncReactor reactor)
    {
        _socket = socket;
        _reactor = reactor;
        _threadSafe = socket.IsThreadSafe;
    }

    /// <summary>Whether the state is in the reactor's set (guarded by the state's lock).</summary>
    internal bool InReactor;

    /// <summary>The file descriptor the reactor waits on: ZMQ_FD, or zmq_poller_fd for the thread-safe types.</summary>
    internal nint Fd { get; private set; }

    /// <summary>Thread-safe types, whose readiness may be consumed by synchronous calls in other threads: the reactor re-reads them now and then.</summary>
    internal bool ThreadSafe => _threadSafe;

    /// <summary>For a test's failure message: the queues, the hold, the reactor membership and ZMQ_EVENTS now.</summary>
    internal string Describe()
    {
        lock (_gate)
        {
            int sends = 0, receives = 0;
            for (var op = _sends.Head; op is not null; op = op.Next)
            {
                sends++;
            }

            for (var op = _receives.Head; op is not null; op = op.Next)
            {
                receives++;
            }

            string events = _held ? ZmqSocket.ReadEvents(_socket.HeldPointer).ToString() : "-";
            return $"{_socket.Type}: held={_held} sends={sends} receives={receives} inReactor={InReactor} fd={Fd} events={events}";
        }
    }

    /// <summary>Whether operations are queued (the engine holds the socket).</summary>
    public bool HasPending => _held;

    /// <summary>
    /// Starts an operation: tried at once when nothing is queued in its direction (a completed
    /// ValueTask, no allocation), else queued behind the others. Returns null when it completed
    /// at once (result in <paramref name="result"/>, <paramref name="payload"/>); else the queued op.
    /// </summary>
    public AsyncOperation? Start(in AsyncArgs args, CancellationToken cancellation, out int result, out object? payload)
    {
        bool send = args.Kind <= AsyncOperationKind.SendMessageFrames;

        // Lock-free when the socket is idle (nothing queued, so the engine does not hold it): the
        // socket's busy flag, taken with its own value, makes this thread the only one inside, as
        // for a synchronous call. The reactor, a cancellation and a disposal make no native call
        // on an idle socket, and another task's Start that finds the flag so waits for it (Hold).
        // Measured: the lock was most of the engine's own cost per message (inproc_thr 1 B).
        bool attempted = false;
        if (!_threadSafe && !_held && _socket.TryEnterForAsyncFastPath())
        {
            bool done;
            try
            {
                TestFastPathHook?.Invoke();
                done = Execute(args, out result, out payload);
            }
            finally
            {
                _socket.ExitForAsync();
            }

            if (done)
            {
                return null;
            }

            attempted = true; // would block: retry or queue under the lock
        }

        lock (_gate)
        {
            ThrowIfClosed();
            var queue = send ? _sends : _receives;
            bool wasHeld = _held;
            Hold();
            if (queue.IsEmpty)
            {
                bool done = false;
                try
                {
                    // Just tried above, and nothing was queued meanwhile: go on to the retries.
                    if (!attempted || wasHeld)
                    {
                        done = Execute(args, out result, out payload);
                    }
                    else
                    {
                        result = 0;
                        payload = null;
                    }
                }
                catch
                {
                    AfterNativeCall(wasHeld);
                    throw;
                }

                if (!done && !wasHeld)
                {
                    try
                    {
                        done = RetryBeforeParking(args, send, cancellation, out result, out payload);
                    }
                    catch
                    {
                        AfterNativeCall(wasHeld);
                        throw;
                    }
                }

                if (done)
                {
                    AfterNativeCall(wasHeld);
                    return null;
                }

                // The attempt found no message or no room. It processed the socket's commands,
                // so the fd signals for whatever happens next; but it may have taken the other
                // direction's wake-up too: serve that one now (keeping the socket: we queue next).
                if (wasHeld)
                {
                    Pump(release: false);
                }
            }

            result = 0;
            payload = null;
            try
            {
                EnsureInReactor();
            }
            catch
            {
                ReleaseIfIdle();
                throw;
            }

            var op = Rent();
            op.Args = args;
            queue.Enqueue(op);
            if (cancellation.CanBeCanceled)
            {
                // A token canceled meanwhile runs the callback here, inline: the lock is ours
                // (re-entered), and the op ends canceled before it is returned.
                op.Registration = cancellation.UnsafeRegister(s_cancel, op);
            }

            return op;
        }
    }

    /// <summary>Tests only: called inside a lock-free attempt, while it holds the socket.</summary>
    internal Action? TestFastPathHook;

    /// <summary>Tests only: called while a Start waits for another task's lock-free attempt to leave the socket.</summary>
    internal Action? TestHoldWaitHook;

    /// <summary>Tests only: called before each retry of <see cref="RetryBeforeParking"/> with its number (from 0).</summary>
    internal Action<int>? TestRetryHook;

    /// <summary>
    /// The socket is idle (nothing queued) and the attempt would block: a stream's receiver that
    /// caught up, or a sender at the high-water mark, usually gets its message (or room) within
    /// microseconds, when the I/O thread's next command arrives. Queuing instead costs two thread
    /// wake-ups (the reactor, then a pool thread for the continuation) and the pool's idle
    /// spinning, several times the work of the message itself (measured: a 1-byte tcp stream with
    /// a parked sender used 3-4x the CPU of the synchronous one and 6x its context switches).
    /// So re-read ZMQ_EVENTS (which processes the commands; the DONTWAIT attempt skips them
    /// within libzmq's command throttle) and retry, a bounded number of times. The lock and the
    /// socket stay held: a cancellation waits out the retries, and one that came first stops them
    /// before the next attempt (nothing was taken then).
    /// </summary>
    private bool RetryBeforeParking(in AsyncArgs args, bool send, CancellationToken cancellation, out int result, out object? payload)
    {
        var wanted = send ? ZmqPollEvents.Out : ZmqPollEvents.In;
        var spinner = default(SpinWait);
        for (int i = 0; i < RetriesBeforeParking && !cancellation.IsCancellationRequested; i++)
        {
            TestRetryHook?.Invoke(i);
            spinner.SpinOnce(sleep1Threshold: -1);
            if ((ZmqSocket.ReadEvents(_socket.HeldPointer) & wanted) != 0 && Execute(args, out result, out payload))
            {
                return true;
            }
        }

        result = 0;
        payload = null;
        return false;
    }

    private void AfterNativeCall(bool wasHeld)
    {
        if (wasHeld)
        {
            Pump(); // the other direction's ops may be servable now, and the fd will not say so
        }
        else
        {
            ReleaseIfIdle();
        }
    }

    /// <summary>The reactor saw the fd signal (or re-checks): serve what can be served. False: drop the state from the reactor's set.</summary>
    internal bool OnSignalled()
    {
        lock (_gate)
        {
            if (_closed || !_held)
            {
                InReactor = false;
                return false;
            }

            if (_poller is not null)
            {
                DrainPollerSignal();
            }

            Pump();
            return true; // kept while idle too: a ping-pong re-queues at once, with no wake-up
        }
    }

    /// <summary>The socket is being disposed: every pending op ends with ObjectDisposedException, the socket is let go.</summary>
    internal void OnSocketDisposing()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            FailAll(() => new ObjectDisposedException(nameof(ZmqSocket), $"the {_socket.Type} socket was disposed while the operation was pending"));
            if (_poller is not null)
            {
                // Before the socket closes: the poller's destructor unhooks its signaler from the socket.
                void* poller = _poller;
                _poller = null;
                LibZmq.zmq_poller_destroy(&poller);
            }

            ReleaseIfIdle();
        }

        _reactor.Wake();
    }

    /// <summary>The operation's token was canceled: if it is still queued nothing was taken, and it ends canceled.</summary>
    internal void Cancel(AsyncOperation op)
    {
        lock (_gate)
        {
            if (op.Queue is not { } queue)
            {
                return; // completed first: its message (or its send) stands
            }

            var token = op.Registration.Token;
            queue.Remove(op);
            ReturnRented(ref op.Args);
            op.Fail(new OperationCanceledException("the operation was canceled before libzmq had a message (or room) for it", token));
            ReleaseIfIdle();
        }
    }

    /// <summary>Puts an op back in the pool once its awaiter has read the result.</summary>
    internal void Return(AsyncOperation op)
    {
        lock (_gate)
        {
            if (!op.Reusable || op.Queue is not null || _pooled >= PoolLimit)
            {
                return;
            }

            op.Reset();
            op.Next = _pool;
            _pool = op;
            _pooled++;
        }
    }

    private AsyncOperation Rent()
    {
        var op = _pool;
        if (op is null)
        {
            return new AsyncOperation(this);
        }

        _pool = op.Next;
        op.Next = null;
        _pooled--;
        return op;
    }

    private void ThrowIfClosed()
    {
        if (_closed || _socket.DisposeRequested)
        {
            throw new ObjectDisposedException(nameof(ZmqSocket), $"the {_socket.Type} socket is disposed");
        }
    }

    /// <summary>Takes the socket's busy flag for the engine, if not held already.</summary>
    private void Hold()
    {
        if (_held)
        {
            return;
        }

        var spinner = default(SpinWait);
        while (!_socket.TryEnterForAsync())
        {
            ThrowIfClosed();

            // Another task's lock-free attempt is inside for one native call (or just left): wait
            // for it. Anything else holding the flag is a synchronous call or a poller's wait.
            int busy = _socket.BusyCount;
            if (busy != 0 && busy != ZmqSocket.AsyncFastPathBusy)
            {
                throw new InvalidOperationException(
                    $"the {_socket.Type} socket is inside a synchronous call on another thread; a ZeroMQ socket must be used by one thread at a time (zmq_socket(3)).");
            }

            TestHoldWaitHook?.Invoke();
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        _held = true;
    }

    /// <summary>Lets the socket go when nothing is queued (closing it if it was disposed meanwhile).</summary>
    private void ReleaseIfIdle()
    {
        if (_held && _sends.IsEmpty && _receives.IsEmpty)
        {
            _held = false;
            _socket.ExitForAsync();
        }
    }

    private void EnsureInReactor()
    {
        if (InReactor)
        {
            return;
        }

        if (Fd == 0 && _poller is null)
        {
            OpenFd();
        }

        _reactor.Add(this);
        InReactor = true;
    }

    private void OpenFd()
    {
        void* socket = _socket.HeldPointer;
        if (!_threadSafe)
        {
            Fd = ZmqSocket.ReadFd(socket);
            return;
        }

        // The thread-safe types have no ZMQ_FD; a zmq_poller holding the socket registers a
        // signaler with it, raised when the socket's mailbox wakes, like ZMQ_FD is.
        void* poller = LibZmq.zmq_poller_new();
        if (poller is null)
        {
            ZmqException.ThrowLast("zmq_poller_new");
        }

        nint fd;
        int rc = LibZmq.zmq_poller_add(poller, socket, null, (short)(ZmqPollEvents.In | ZmqPollEvents.Out));
        if (rc == 0)
        {
            if (OperatingSystem.IsWindows())
            {
                nuint f;
                rc = LibZmq.zmq_poller_fd_windows(poller, &f);
                fd = (nint)f;
            }
            else
            {
                int f;
                rc = LibZmq.zmq_poller_fd(poller, &f);
                fd = f;
            }
        }
        else
        {
            fd = 0;
        }

        if (rc != 0)
        {
            int errno = LibZmq.LastErrno();
            LibZmq.zmq_poller_destroy(&poller);
            throw ZmqException.FromErrno(errno, "zmq_poller_add/zmq_poller_fd");
        }

        _poller = poller;
        Fd = fd;
    }

    /// <summary>
    /// For <see cref="ZmqPoller.WaitAsync(TimeSpan, CancellationToken)"/> on a thread-safe socket
    /// (which has no ZMQ_FD): the fd of the zmq_poller this state keeps for the socket, opened if
    /// needed. The caller holds the socket.
    /// </summary>
    internal nint WaitFd()
    {
        lock (_gate)
        {
            ThrowIfClosed();
            if (Fd == 0 && _poller is null)
            {
                OpenFd();
            }

            return Fd;
        }
    }

    /// <summary>Reads the signal of <see cref="WaitFd"/> so the fd waits for the next one (before a poller's re-check).</summary>
    internal void DrainWaitSignal()
    {
        lock (_gate)
        {
            if (_poller is not null && !_closed)
            {
                DrainPollerSignal();
            }
        }
    }

    /// <summary>Consumes the poller's signal (a zero-timeout wait reads it), so the fd waits for the next one.</summary>
    private void DrainPollerSignal()
    {
        if (OperatingSystem.IsWindows())
        {
            LibZmq.zmq_poller_event_t_windows e;
            LibZmq.zmq_poller_wait_all_windows(_poller, &e, 1, default);
        }
        else
        {
            LibZmq.zmq_poller_event_t e;
            LibZmq.zmq_poller_wait_all(_poller, &e, 1, default);
        }
    }

    /// <summary>
    /// Reads ZMQ_EVENTS and serves the head of each queue while it can: the edge-triggered
    /// rule (after any native call, and before waiting on the fd, ask the socket). Then lets
    /// the socket go if nothing is left.
    /// </summary>
    private void Pump(bool release = true)
    {
        while (_held && !_closed && !(_sends.IsEmpty && _receives.IsEmpty))
        {
            ZmqPollEvents events;
            try
            {
                events = ZmqSocket.ReadEvents(_socket.HeldPointer);
            }
            catch (ZmqException e)
            {
                int errno = e.Errno;
                FailAll(() => ZmqException.FromErrno(errno, "zmq_getsockopt(ZMQ_EVENTS)"));
                break;
            }

            bool progress = false;
            if ((events & ZmqPollEvents.In) != 0 && _receives.Head is { } receive)
            {
                progress |= Serve(receive);
            }

            if ((events & ZmqPollEvents.Out) != 0 && _sends.Head is { } send)
            {
                progress |= Serve(send);
            }

            if (!progress)
            {
                break;
            }
        }

        if (release)
        {
            ReleaseIfIdle();
        }
    }

    /// <summary>Tries a queued op; true when it ended (done or failed), false when it still would block.</summary>
    private bool Serve(AsyncOperation op)
    {
        int result;
        object? payload;
        try
        {
            if (!Execute(op.Args, out result, out payload))
            {
                return false;
            }
        }
        catch (Exception e)
        {
            op.Queue!.Remove(op);
            ReturnRented(ref op.Args);
            op.Fail(e);
            return true;
        }

        op.Queue!.Remove(op);
        ReturnRented(ref op.Args);
        op.Payload = payload;
        op.Succeed(result);
        return true;
    }

    private void FailAll(Func<Exception> error)
    {
        foreach (var queue in (ReadOnlySpan<AsyncQueue>)[_receives, _sends])
        {
            while (queue.Head is { } op)
            {
                queue.Remove(op);
                ReturnRented(ref op.Args);
                op.Fail(error());
            }
        }
    }

    private static void ReturnRented(ref AsyncArgs args)
    {
        if (args.Rented is { } rented)
        {
            args.Rented = null;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>One non-blocking attempt of the operation (under the lock, the socket held): true when done.</summary>
    private bool Execute(in AsyncArgs args, out int result, out object? payload)
    {
        void* socket = _socket.HeldPointer;
        result = 0;
        payload = null;
        switch (args.Kind)
        {
            case AsyncOperationKind.SendBytes:
                return _socket.AttemptSend(socket, args.SendData.Span, args.More);
            case AsyncOperationKind.SendMessage:
                return _socket.AttemptSend(socket, args.Message!, args.More);
            case AsyncOperationKind.SendFrames:
                var frames = args.Frames!;
                if (!_socket.AttemptSend(socket, frames[0], frames.Count > 1))
                {
                    return false;
                }

                // Once a message's first frame is queued, libzmq queues the rest (the HWM counts messages).
                for (int i = 1; i < frames.Count; i++)
                {
                    if (!_socket.AttemptSend(socket, frames[i], i < frames.Count - 1))
                    {
                        throw new InvalidOperationException($"libzmq refused frame {i} of a multipart message after accepting its first frame");
                    }
                }

                return true;
            case AsyncOperationKind.SendMessageFrames:
                var messages = args.MessageFrames!;
                if (!_socket.AttemptSend(socket, messages[0], messages.Count > 1))
                {
                    return false; // nothing sent: every message keeps its content
                }

                for (int i = 1; i < messages.Count; i++)
                {
                    if (!_socket.AttemptSend(socket, messages[i], i < messages.Count - 1))
                    {
                        throw new InvalidOperationException($"libzmq refused frame {i} of a multipart message after accepting its first frame");
                    }
                }

                return true;
            case AsyncOperationKind.ReceiveBytes:
                return _socket.AttemptReceive(socket, args.ReceiveBuffer.Span, out result);
            case AsyncOperationKind.ReceiveMessage:
                return _socket.AttemptReceive(socket, args.Message!);
            case AsyncOperationKind.ReceiveString:
                var text = _scratch ??= new ZmqMessage();
                if (!_socket.AttemptReceive(socket, text))
                {
                    return false;
                }

                payload = text.ToString();
                return true;
            default:
                var scratch = _scratch ??= new ZmqMessage();
                if (!_socket.AttemptReceive(socket, scratch))
                {
                    return false;
                }

                // A multipart message arrives whole: once its first frame is here, so are the others.
                var list = new List<byte[]> { scratch.ToArray() };
                while (scratch.More)
                {
                    if (!_socket.AttemptReceive(socket, scratch))
                    {
                        throw new InvalidOperationException("libzmq had no next frame of a multipart message whose first frame arrived");
                    }

                    list.Add(scratch.ToArray());
                }

                payload = list;
                return true;
        }
    }
}
