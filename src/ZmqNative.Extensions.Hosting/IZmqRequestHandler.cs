namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Answers requests for a hosted worker or server (Majordomo worker, Paranoid Pirate worker, Freelance server,
/// Binary Star server). Resolved from a new DI scope for each request, so it may depend on scoped services.
/// </summary>
/// <remarks>
/// It runs on the service's own thread, one request at a time per worker instance; the service waits for the
/// returned task (the loops are synchronous today). An exception is logged and the request gets no reply: the
/// client's retry covers it, as for a crashed worker. Keep handling shorter than the pattern's liveness
/// (heartbeats stop while it runs), or the broker or queue drops the worker.
/// </remarks>
public interface IZmqRequestHandler
{
    /// <summary>Handles one request and returns the reply's frames (at least one).</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellation">Cancelled when the host stops.</param>
    /// <returns>The reply's frames.</returns>
    ValueTask<IReadOnlyList<byte[]>> HandleAsync(ZmqRequest request, CancellationToken cancellation);
}

/// <summary>A request handed to an <see cref="IZmqRequestHandler"/>.</summary>
/// <param name="Service">The service it was sent to (Majordomo), or the hosted service's name.</param>
/// <param name="Frames">The request's body frames (envelopes removed).</param>
public sealed record ZmqRequest(string Service, IReadOnlyList<byte[]> Frames);
