namespace ZmqNative.Patterns.Loop;

/// <summary>
/// Lets a poll loop wake up when a <see cref="CancellationToken"/> is cancelled, without ticking:
/// a PAIR socket bound to a unique inproc endpoint sits in the loop's poller, and the token's
/// callback connects a PAIR of its own (created and used only on the cancelling thread, as
/// zmq_socket(3) requires) and sends one byte to it.
/// </summary>
internal sealed class CancellationWake : IDisposable
{
    private readonly ZmqContext _context;
    private readonly string _endpoint = "inproc://zmqnative-patterns-wake-" + Guid.NewGuid().ToString("N");
    private readonly CancellationTokenRegistration _registration;

    private CancellationWake(ZmqContext context, CancellationToken cancellation)
    {
        _context = context;
        Socket = context.CreateSocket(ZmqSocketType.Pair);
        try
        {
            Socket.Bind(_endpoint);
            _registration = cancellation.Register(Signal);
        }
        catch
        {
            Socket.Dispose();
            throw;
        }
    }

    /// <summary>The socket to poll for input: readable once the token is cancelled.</summary>
    public ZmqSocket Socket { get; }

    /// <summary>A wake for <paramref name="cancellation"/>, or null when it can never be cancelled.</summary>
    public static CancellationWake? Create(ZmqContext context, CancellationToken cancellation) =>
        cancellation.CanBeCanceled ? new CancellationWake(context, cancellation) : null;

    /// <summary>Stops listening (waits for a callback that is running) and closes the socket.</summary>
    public void Dispose()
    {
        _registration.Dispose();
        Socket.Dispose();
    }

    private void Signal()
    {
        try
        {
            // Default linger: inproc delivers at once, and the context keeps the byte until it is read.
            using var signal = _context.CreateSocket(ZmqSocketType.Pair);
            signal.Connect(_endpoint);
            signal.TrySend([1]);
        }
        catch (ZmqException)
        {
            // The context is shutting down: the loop ends with ETERM anyway.
        }
        catch (ObjectDisposedException)
        {
            // The context is gone, and with it the loop.
        }
    }
}
