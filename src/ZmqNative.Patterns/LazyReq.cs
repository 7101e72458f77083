namespace ZmqNative.Patterns;

/// <summary>
/// The REQ socket of a client that retries the Lazy Pirate way (Lazy Pirate, Binary Star): a REQ
/// cannot send again before its reply, so a retry closes the socket and opens a new one. Zero linger
/// drops the stale request at once, and a late reply to it can never be taken for the new one's.
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
}
