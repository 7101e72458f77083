using System.Runtime.CompilerServices;

namespace ZmqNative.Patterns;

/// <summary>
/// The REQ socket of a client that retries the Lazy Pirate way (Lazy Pirate, Binary Star, Freelance
/// model one): a REQ cannot send again before its reply, so a retry closes the socket and opens a new
/// one. Zero linger drops the stale request at once, and a late reply to it can never be taken for the
/// new one's. Also the request check every retrying client shares.
/// </summary>
internal static class LazyReq
{
    /// <summary>Opens a REQ socket with zero linger connected to <paramref name="endpoint"/>.</summary>
    /// <param name="context">The context.</param>
    /// <param name="endpoint">The server.</param>
    /// <param name="connecting">Called just before the connect (for the clients' observers).</param>
    /// <returns>The socket; the caller disposes it.</returns>
    public static ZmqSocket Open(ZmqContext context, string endpoint, Action? connecting)
    {
        var socket = context.CreateSocket(ZmqSocketType.Req);
        try
        {
            socket.Linger = TimeSpan.Zero;
            connecting?.Invoke();
            socket.Connect(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One try: sends <paramref name="request"/> and waits for the reply, each step at most <paramref name="timeout"/>.</summary>
    /// <param name="socket">A REQ socket ready to send.</param>
    /// <param name="request">The request's frames.</param>
    /// <param name="timeout">How long the send, then the receive, may wait.</param>
    /// <returns>The reply, or null when either step timed out (the socket is then stuck: close it).</returns>
    public static List<byte[]>? Exchange(ZmqSocket socket, IReadOnlyList<byte[]> request, TimeSpan timeout) =>
        socket.TrySendMultipart(request, timeout) && socket.TryReceiveMultipart(timeout, out var reply) ? reply : null;

    /// <summary>
    /// The awaitable <see cref="Exchange"/>: the send, then the receive, each within <paramref name="timeout"/>,
    /// on the socket's async operations (no thread blocked while it waits).
    /// </summary>
    /// <param name="socket">A REQ socket ready to send.</param>
    /// <param name="request">The request's frames.</param>
    /// <param name="timeout">How long the send, then the receive, may wait.</param>
    /// <param name="cancellation">The caller's token: when it ends the wait, OperationCanceledException (the socket is then stuck: close it).</param>
    /// <returns>The reply, or null when either step timed out (the socket is then stuck: close it).</returns>
    public static async ValueTask<List<byte[]>?> ExchangeAsync(ZmqSocket socket, IReadOnlyList<byte[]> request, TimeSpan timeout, CancellationToken cancellation)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        try
        {
            step.CancelAfter(timeout);
            await socket.SendMultipartAsync(request, step.Token).ConfigureAwait(false);
            step.CancelAfter(timeout); // the receive gets its own timeout, as in Exchange
            return await socket.ReceiveMultipartAsync(step.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return null; // the step's timeout, not the caller
        }
    }

    /// <summary>Throws unless <paramref name="request"/> has at least one frame (a client's first check).</summary>
    /// <param name="request">The request's frames.</param>
    /// <param name="name">The parameter's name.</param>
    public static void CheckRequest(IReadOnlyList<byte[]> request, [CallerArgumentExpression(nameof(request))] string name = "request")
    {
        ArgumentNullException.ThrowIfNull(request, name);
        if (request.Count == 0)
        {
            throw new ArgumentException("a request has at least one frame", name);
        }
    }
}
