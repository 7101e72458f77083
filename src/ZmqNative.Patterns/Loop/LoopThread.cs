namespace ZmqNative.Patterns.Loop;

/// <summary>
/// The awaitable form of a server loop that waits on several sockets: the synchronous loop runs on a
/// dedicated thread of its own (never a thread-pool thread, which it would block in zmq_poll for its
/// whole life), and a task reports its end. The loop already wakes on its token (a
/// <see cref="CancellationWake"/> in its poller, or a 100 ms slice where its docs say so), so the
/// token stops it as it stops the synchronous form.
/// </summary>
/// <remarks>
/// Why a thread and not an async loop: the loops wait on several sockets at once (frontend, backend,
/// state sockets, timers), and an awaitable wait exists only for one socket's operations; polling
/// them in turn would either spin or add latency. One thread per running server, as the synchronous
/// form uses when the caller gives it one.
/// </remarks>
internal static class LoopThread
{
    /// <summary>Starts <paramref name="loop"/> on a new background thread; the task ends when it returns.</summary>
    /// <param name="name">The thread's name (shown by debuggers and dumps).</param>
    /// <param name="loop">The synchronous loop, given <paramref name="cancellation"/>.</param>
    /// <param name="cancellation">Stops the loop.</param>
    /// <returns>
    /// A task that completes when the loop returns (the token stopped it), or faults with what the loop
    /// threw (a handler's exception, a conflict, <see cref="ContextTerminatedException"/>). An
    /// <see cref="OperationCanceledException"/> for <paramref name="cancellation"/> counts as a normal stop.
    /// Continuations run on the thread pool, never on the loop's thread.
    /// </returns>
    public static Task RunAsync(string name, Action<CancellationToken> loop, CancellationToken cancellation)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                loop(cancellation);
                done.SetResult();
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                done.SetResult();
            }
            catch (Exception error)
            {
                done.SetException(error);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }
}
