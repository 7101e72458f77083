namespace ZmqNative.Patterns.Loop;

/// <summary>The awaitable "receive, or time out" step of the one-socket loops (workers with heartbeats).</summary>
internal static class LoopReceive
{
    /// <summary>
    /// Awaits the socket's next message for at most <paramref name="timeout"/>, with no thread blocked.
    /// A message already taken when the timeout or the token fires is returned, never lost (the engine's rule).
    /// </summary>
    /// <param name="socket">The socket.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellation">The caller's token: when it fires, <see cref="OperationCanceledException"/>.</param>
    /// <returns>The message, or null when the timeout passed first.</returns>
    public static async ValueTask<List<byte[]>?> WithinAsync(ZmqSocket socket, TimeSpan timeout, CancellationToken cancellation)
    {
        // A loop under load finds its next message already there: one attempt first, so that case
        // costs no token source and no timer (the same attempt the awaited receive would make).
        cancellation.ThrowIfCancellationRequested();
        if (socket.TryReceiveMultipart(TimeSpan.Zero, out var ready))
        {
            return ready;
        }

        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        step.CancelAfter(timeout);
        try
        {
            return await socket.ReceiveMultipartAsync(step.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return null; // the timeout, not the caller
        }
    }
}
