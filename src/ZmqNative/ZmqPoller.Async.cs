using ZmqNative.Async;

namespace ZmqNative;

// The awaitable wait (docs/async.md): checks at once on the caller's thread; otherwise the
// context's async reactor waits on the registered sockets' ZMQ_FDs (and raw descriptors) and
// re-checks the poller when one signals. No thread is blocked for it.
public sealed unsafe partial class ZmqPoller
{
    private AsyncPollWait? _asyncWait;

    /// <summary>
    /// Waits, without blocking a thread, until at least one registered item is ready for what it
    /// is registered for, or <paramref name="timeout"/> passes: the awaitable form of
    /// <see cref="Wait(TimeSpan)"/>, with the same result and the same <see cref="Ready"/>,
    /// <see cref="ReadyEvents(ZmqSocket)"/> and <see cref="IsReady(ZmqSocket, ZmqPollEvents)"/> afterwards.
    /// </summary>
    /// <remarks>
    /// <para><b>What completes it.</b> The poller is checked at once (a zero-timeout
    /// <see cref="Wait(TimeSpan)"/>): when something is ready, the returned task is already
    /// complete. Otherwise the context's async thread waits on the sockets' ZMQ_FD (the
    /// thread-safe types: a zmq_poller's fd; raw descriptors: themselves) and checks the poller
    /// again whenever one signals, so readiness that came before the wait began is never missed
    /// (ZMQ_FD only signals changes). The result is the number of ready items, 0 when the timeout
    /// passed. Continuations run on the thread pool. A thread-safe socket can have its signal taken
    /// by a call on another thread: such pollers are also re-checked every 100 ms.</para>
    /// <para><b>While it is pending</b> the poller and its sockets are in use, as during
    /// <see cref="Wait(TimeSpan)"/>: another wait (sync or async), a change of the poller, or a
    /// call on one of its sockets (except the thread-safe types) throws
    /// <see cref="InvalidOperationException"/>. Everything is let go before the task completes.</para>
    /// <para><b>What ends it otherwise.</b> <paramref name="cancellationToken"/>:
    /// <see cref="OperationCanceledException"/>. <see cref="Dispose"/> of the poller, or of the context
    /// of its first socket: <see cref="ObjectDisposedException"/>. A registered socket disposed
    /// meanwhile: <see cref="ObjectDisposedException"/> naming it (at once when it shares the first
    /// socket's context, else at the next signal or deadline); its context shut down:
    /// <see cref="ContextTerminatedException"/>.</para>
    /// <para><b>What it allocates.</b> Nothing when it completes at once. The first wait that has to
    /// wait makes one reusable object per poller (a new one only if a cancellation callback of an
    /// earlier wait may still run), and a thread-safe socket's first wait opens a zmq_poller for it.
    /// A poller with no socket waits on a process-wide async thread; an empty poller completes with
    /// 0 after the timeout (a timer).</para>
    /// </remarks>
    /// <param name="timeout">
    /// How long to wait: <see cref="TimeSpan.Zero"/> only checks, <see cref="Timeout.InfiniteTimeSpan"/>
    /// waits until something is ready.
    /// </param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The number of ready sockets and descriptors (the length of <see cref="Ready"/>); 0 when the timeout passed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative (other than infinite) or too large.</exception>
    public ValueTask<int> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        int timeoutMs = ZmqSocket.ToMilliseconds(timeout, nameof(timeout));
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        var deadline = Deadline.FromMilliseconds(timeoutMs);
        try
        {
            BeginAsyncWait();
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }

        bool parked = false;
        try
        {
            if (_count == 0)
            {
                if (timeoutMs < 0)
                {
                    throw new InvalidOperationException("the poller is empty: an infinite wait would never end");
                }

                _readyCount = 0;
                _generation++;
                return new ValueTask<int>(Task.Delay(timeoutMs, cancellationToken).ContinueWith(
                    static t => t.IsCanceled ? throw new OperationCanceledException("WaitAsync was canceled") : 0,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default));
            }

            int ready = PollNowForAsync();
            if (ready > 0 || timeoutMs == 0)
            {
                return new ValueTask<int>(ready);
            }

            var wait = _asyncWait;
            if (wait is null || !wait.Consumed || !wait.Reusable)
            {
                wait = new AsyncPollWait(this);
                Volatile.Write(ref _asyncWait, wait);
            }

            wait.Reset(deadline, cancellationToken);
            AsyncReactor? reactor = null;
            for (int i = 0; i < _count; i++)
            {
                ref var entry = ref _entries[i];
                if (entry.Socket is not { } socket)
                {
                    wait.AddFd(entry.Fd, (short)entry.Events, null);
                    continue;
                }

                // The socket's async state: its Dispose wakes the reactor, which re-checks this wait.
                var state = socket.AsyncState;
                reactor ??= socket.Context.AsyncReactor;
                if (socket.IsThreadSafe)
                {
                    wait.AddFd(state.WaitFd(), (short)ZmqPollEvents.In, state);
                }
                else
                {
                    wait.AddFd(ZmqSocket.ReadFd((void*)entry.Pointer), (short)ZmqPollEvents.In, null);
                }
            }

            // Opening a thread-safe socket's fd, or reading ZMQ_FD, may have processed commands
            // after the check above: check again before anyone waits on the fds.
            ready = PollNowForAsync();
            if (ready > 0)
            {
                return new ValueTask<int>(ready);
            }

            wait.Park(reactor ?? AsyncReactor.Shared);
            parked = true;
            return new ValueTask<int>(wait, wait.Version);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }
        finally
        {
            if (!parked)
            {
                EndAsyncWait();
            }
        }
    }

    /// <summary>
    /// Waits, without blocking a thread, until at least one registered item is ready: as
    /// <see cref="WaitAsync(TimeSpan, CancellationToken)"/> with an infinite timeout.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The number of ready sockets and descriptors (the length of <see cref="Ready"/>).</returns>
    public ValueTask<int> WaitAsync(CancellationToken cancellationToken = default) =>
        WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Takes the poller and marks its sockets busy for a WaitAsync (as <see cref="Wait(TimeSpan)"/> does for its call).</summary>
    private void BeginAsyncWait()
    {
        Enter();
        int marked = 0;
        try
        {
            MarkSocketsBusy(ref marked);
        }
        catch
        {
            UnmarkSocketsBusy(marked);
            Exit();
            throw;
        }
    }

    /// <summary>Lets the sockets and the poller go at the end of a WaitAsync (whichever thread ends it).</summary>
    internal void EndAsyncWait()
    {
        UnmarkSocketsBusy(_count);
        Exit();
    }

    /// <summary>One zero-timeout wait while a WaitAsync holds the poller and its sockets: the number ready, with <see cref="Ready"/> filled.</summary>
    internal int PollNowForAsync()
    {
        _readyCount = 0;
        _generation++;
        for (int i = 0; i < _count; i++)
        {
            if (_entries[i].Socket is { DisposeRequested: true } socket)
            {
                ThrowRegisteredSocketDisposed(socket);
            }
        }

        int hits = _set.Wait(_count, Deadline.FromMilliseconds(0), _hits);
        for (int i = 0; i < hits; i++)
        {
            var hit = _hits[i];
            int index = hit.Index >= 0 ? hit.Index : hit.Socket != 0 ? _socketIndex[hit.Socket] : _fdIndex[hit.Fd];
            MarkReady(index, hit.Events);
        }

        return _readyCount;
    }
}
