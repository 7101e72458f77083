using System.Threading.Tasks.Sources;

namespace ZmqNative.Async;

/// <summary>
/// One pending <see cref="ZmqPoller.WaitAsync(TimeSpan, CancellationToken)"/>: the descriptors the
/// reactor waits on for it, its deadline, and the awaitable it completes. Reused by its poller for
/// the next wait once its result was read.
/// </summary>
/// <remarks>
/// Everything that ends the wait runs under <see cref="_gate"/>: the reactor's re-check (a
/// zero-timeout poll of the poller, made on the reactor thread while the wait holds the poller and
/// its sockets), the cancellation callback, the poller's and the reactor's disposal. The first to
/// come ends it; it lets the poller and its sockets go before the continuation is scheduled.
/// </remarks>
internal sealed class AsyncPollWait : IValueTaskSource<int>
{
    private static readonly Action<object?> s_cancel = static state => ((AsyncPollWait)state!).Cancel();

    private readonly object _gate = new();
    private readonly ZmqPoller _poller;
    private ManualResetValueTaskSourceCore<int> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private CancellationToken _token;
    private Deadline _deadline;
    private (nint Fd, short Events)[] _fds = [];
    private AsyncSocketState?[] _threadSafe = [];
    private int _fdCount;
    private AsyncReactor? _reactor;
    private volatile bool _pending;

    public AsyncPollWait(ZmqPoller poller) => _poller = poller;

    /// <summary>Whether the result was read (the object may then be reused).</summary>
    public bool Consumed { get; private set; } = true;

    /// <summary>Whether the wait has ended (the reactor then drops it).</summary>
    public bool IsDone => !_pending;

    /// <summary>Whether a thread-safe socket is in the set (its signal may be taken by other threads: the reactor re-checks now and then).</summary>
    public bool HasThreadSafe { get; private set; }

    /// <summary>The descriptors to wait on (read by the reactor thread while the wait is pending).</summary>
    public ReadOnlySpan<(nint Fd, short Events)> Fds => new(_fds, 0, _fdCount);

    /// <summary>Milliseconds until the deadline (0 when passed, -1 when infinite).</summary>
    public int RemainingMilliseconds => _deadline.RemainingMilliseconds();

    /// <summary>The position of this wait's first descriptor in the reactor's poll items, this cycle (the reactor's own).</summary>
    internal int FirstItem;

    public short Version => _core.Version;

    /// <summary>Prepares a new use: the caller holds the poller and its sockets.</summary>
    public void Reset(Deadline deadline, CancellationToken token)
    {
        _core.Reset();
        Consumed = false;
        _deadline = deadline;
        _token = token;
        _fdCount = 0;
        HasThreadSafe = false;
        Array.Clear(_threadSafe);
    }

    /// <summary>Adds a descriptor to wait on; <paramref name="threadSafe"/> is the state whose zmq_poller owns it, for a thread-safe socket.</summary>
    public void AddFd(nint fd, short events, AsyncSocketState? threadSafe)
    {
        if (_fdCount == _fds.Length)
        {
            Array.Resize(ref _fds, Math.Max(4, _fdCount * 2));
            Array.Resize(ref _threadSafe, _fds.Length);
        }

        _fds[_fdCount] = (fd, events);
        _threadSafe[_fdCount] = threadSafe;
        HasThreadSafe |= threadSafe is not null;
        _fdCount++;
    }

    /// <summary>False once a cancellation callback may still run for an earlier use: the poller then makes a new object.</summary>
    public bool Reusable { get; private set; } = true;

    /// <summary>Hands the wait to the reactor and arms the cancellation; throws (nothing armed) when the reactor is stopped.</summary>
    public void Park(AsyncReactor reactor)
    {
        lock (_gate)
        {
            _reactor = reactor;
            _pending = true;
            try
            {
                reactor.AddWait(this);
            }
            catch
            {
                _pending = false;
                throw;
            }

            if (_token.CanBeCanceled)
            {
                // Under the lock, so the reactor cannot end the wait before it is armed. A token
                // canceled already runs the callback here, inline (the lock is re-entered).
                _registration = _token.UnsafeRegister(s_cancel, this);
            }
        }
    }

    /// <summary>
    /// The reactor saw one of the descriptors signal, woke, or reached the deadline: polls the
    /// poller once without waiting. True when the wait ended (ready, timed out, or failed).
    /// </summary>
    public bool Check()
    {
        lock (_gate)
        {
            if (!_pending)
            {
                return true;
            }

            int ready;
            try
            {
                // A thread-safe socket's zmq_poller signal is read first, so the next one re-arms its fd.
                for (int i = 0; i < _fdCount; i++)
                {
                    _threadSafe[i]?.DrainWaitSignal();
                }

                ready = _poller.PollNowForAsync();
            }
            catch (Exception e)
            {
                End(null, e);
                return true;
            }

            if (ready > 0 || _deadline.RemainingMilliseconds() == 0)
            {
                End(ready, null);
                return true;
            }

            return false;
        }
    }

    /// <summary>The poller is being disposed: the wait ends with <see cref="ObjectDisposedException"/>.</summary>
    public void OnPollerDisposed() => EndIfPending(() => new ObjectDisposedException(nameof(ZmqPoller), "the poller was disposed while WaitAsync was pending"));

    /// <summary>The reactor's context is disposed: the wait ends with <see cref="ObjectDisposedException"/>.</summary>
    public void OnReactorStopped() => EndIfPending(() => new ObjectDisposedException(nameof(ZmqContext), "the context of a socket in the poller was disposed while WaitAsync was pending"));

    private void Cancel() =>
        EndIfPending(() => new OperationCanceledException("WaitAsync was canceled before a registered item was ready", _token));

    private void EndIfPending(Func<Exception> error)
    {
        lock (_gate)
        {
            if (!_pending)
            {
                return;
            }

            End(null, error());
        }

        _reactor?.Wake(); // it drops the wait and stops waiting on its descriptors
    }

    /// <summary>Ends the wait (under the lock): lets the poller and its sockets go, then completes.</summary>
    private void End(int? ready, Exception? error)
    {
        _pending = false;
        if (_token.CanBeCanceled && !_registration.Unregister())
        {
            // Never Dispose (a running callback waits for our lock). False: the callback ran, is
            // running, or (armed inline, already canceled) is not assigned yet; it may hold this
            // object, so it must not serve another wait.
            Reusable = false;
        }

        _registration = default;
        try
        {
            _poller.EndAsyncWait();
        }
        catch (Exception e)
        {
            error ??= e;
        }

        if (error is null)
        {
            _core.SetResult(ready!.Value);
        }
        else
        {
            _core.SetException(error);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    public int GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Consumed = true;
        }
    }
}
