using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ZmqNative.Patterns.Pirate;

/// <summary>Settings of a <see cref="LazyPirateClient"/>; the defaults are the Guide's (lpclient).</summary>
public sealed class LazyPirateClientOptions
{
    /// <summary>How long one attempt waits for its reply: the Guide's REQUEST_TIMEOUT, 2500 ms.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMilliseconds(2500);

    /// <summary>
    /// How many times a request is sent before it is abandoned, the first send included: the
    /// Guide's REQUEST_RETRIES, 3 (one send and two resends).
    /// </summary>
    public int Attempts { get; set; } = 3;

    /// <summary>Called on the caller's thread for each connect, retry and abandon (see <see cref="PirateEvent"/>).</summary>
    public Action<PirateEvent>? Observer { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(Attempts, 1, nameof(Attempts));
    }
}

/// <summary>The outcome of one <see cref="LazyPirateClient.Request"/>: a reply, or a clear "gave up".</summary>
public sealed class LazyPirateResult
{
    private LazyPirateResult(bool succeeded, IReadOnlyList<byte[]> reply, int attempts)
    {
        Succeeded = succeeded;
        Reply = reply;
        Attempts = attempts;
    }

    /// <summary>True when a reply arrived (and passed the caller's check); false when every attempt timed out.</summary>
    [MemberNotNullWhen(true, nameof(ReplyText))]
    public bool Succeeded { get; }

    /// <summary>The reply's frames; empty when the request was abandoned.</summary>
    public IReadOnlyList<byte[]> Reply { get; }

    /// <summary>The reply's first frame as UTF-8 text; null when the request was abandoned.</summary>
    public string? ReplyText => Succeeded ? Encoding.UTF8.GetString(Reply[0]) : null;

    /// <summary>How many times the request was sent (1 when the first attempt succeeded).</summary>
    public int Attempts { get; }

    internal static LazyPirateResult Replied(IReadOnlyList<byte[]> reply, int attempts) => new(true, reply, attempts);

    internal static LazyPirateResult Abandoned(int attempts) => new(false, [], attempts);
}

/// <summary>
/// The Lazy Pirate client (Guide chapter 4, "Client-Side Reliability"): request-reply over a REQ
/// socket that never blocks forever. Each attempt waits <see cref="LazyPirateClientOptions.RequestTimeout"/>
/// for the reply; on a timeout it closes the socket (the REQ state machine would refuse a second send,
/// EFSM) and sends the request again on a new one, up to <see cref="LazyPirateClientOptions.Attempts"/>
/// times, then gives up with <see cref="LazyPirateResult.Succeeded"/> false. A server that is gone is an
/// answer, not an exception.
/// </summary>
/// <remarks>
/// <para><b>Survives:</b> a server that crashes and restarts (even on the same endpoint), a server that is
/// slow for less than the timeout, a request or reply lost on the way, a reply for an earlier attempt
/// (it went to a socket that is closed, so it can never be taken for the current one). Behind a Simple
/// or Paranoid Pirate queue it also survives dead workers.</para>
/// <para><b>Does not survive:</b> a server that stays down longer than Attempts x RequestTimeout (the
/// request is abandoned), and it never fails over to another server (see the Freelance clients). A
/// request may be processed more than once when a reply is lost or late: use it for idempotent requests,
/// or let the server drop duplicates.</para>
/// <para>Sockets close with zero linger, so a resend never leaves an old copy queued behind. One thread at a time.</para>
/// </remarks>
public sealed class LazyPirateClient : IDisposable
{
    private readonly ZmqContext _context;
    private readonly LazyPirateClientOptions _options;
    private ZmqSocket? _socket;
    private bool _disposed;

    /// <summary>Creates the client and connects its first socket (lazily connected by libzmq: the server need not be up).</summary>
    /// <param name="context">The context its sockets belong to.</param>
    /// <param name="endpoint">The server's endpoint; the Guide's is <c>tcp://localhost:5555</c>.</param>
    /// <param name="options">Timeout, attempts and observer; the Guide's values when null.</param>
    public LazyPirateClient(ZmqContext context, string endpoint, LazyPirateClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        _options = options ?? new LazyPirateClientOptions();
        _options.Validate();
        _context = context;
        Endpoint = endpoint;
        Open();
    }

    /// <summary>The server's endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>
    /// Sends a request and waits for its reply, retrying on new sockets as the pattern says.
    /// </summary>
    /// <param name="request">The request's frames (at least one).</param>
    /// <param name="accept">
    /// Optional check of a reply (the Guide's client checks that the server echoed its sequence number);
    /// a refused reply counts as a failed attempt.
    /// </param>
    /// <returns>The reply, or a result that says the request was abandoned after every attempt.</returns>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public LazyPirateResult Request(IReadOnlyList<byte[]> request, Func<IReadOnlyList<byte[]>, bool>? accept = null)
    {
        LazyReq.CheckRequest(request);

        ObjectDisposedException.ThrowIf(_disposed, this);
        for (int attempt = 1; attempt <= _options.Attempts; attempt++)
        {
            var reply = LazyReq.Exchange(_socket ?? Open(), request, _options.RequestTimeout);
            if (Accepted(reply, accept, attempt) is { } result)
            {
                return result;
            }
        }

        return Abandon();
    }

    /// <summary>
    /// <see cref="Request"/> awaitable: the same attempts, timeouts, resends and result, with no thread
    /// blocked while it waits. Completes with the reply or the abandoned result.
    /// </summary>
    /// <param name="request">The request's frames (at least one).</param>
    /// <param name="accept">Optional check of a reply; a refused reply counts as a failed attempt.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>; the socket is closed
    /// (a request already sent may still reach the server, as with any abandoned request).</param>
    /// <returns>The reply, or a result that says the request was abandoned after every attempt.</returns>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async ValueTask<LazyPirateResult> RequestAsync(
        IReadOnlyList<byte[]> request, Func<IReadOnlyList<byte[]>, bool>? accept = null, CancellationToken cancellationToken = default)
    {
        LazyReq.CheckRequest(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (int attempt = 1; attempt <= _options.Attempts; attempt++)
        {
            List<byte[]>? reply;
            try
            {
                reply = await LazyReq.ExchangeAsync(_socket ?? Open(), request, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Close(); // stuck waiting for the reply: the next request starts on a fresh socket
                throw;
            }

            if (Accepted(reply, accept, attempt) is { } result)
            {
                return result;
            }
        }

        return Abandon();
    }

    /// <summary>Sends a one-frame text request and waits for the reply's first frame as text.</summary>
    /// <param name="request">The request.</param>
    /// <param name="reply">The reply, or null when the request was abandoned.</param>
    /// <returns>False when every attempt timed out.</returns>
    public bool TryRequest(string request, [NotNullWhen(true)] out string? reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = Request([Encoding.UTF8.GetBytes(request)]);
        reply = result.ReplyText;
        return result.Succeeded;
    }

    /// <summary>Closes the socket. Harmless when called again.</summary>
    public void Dispose()
    {
        _disposed = true;
        Close();
    }

    /// <summary>One attempt's end: the result when its reply is accepted, else null after closing the stuck socket.</summary>
    private LazyPirateResult? Accepted(List<byte[]>? reply, Func<IReadOnlyList<byte[]>, bool>? accept, int attempt)
    {
        if (reply is not null)
        {
            if (accept is null || accept(reply))
            {
                return LazyPirateResult.Replied(reply, attempt);
            }

            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.RejectedReply, Endpoint, reply));
        }

        // The REQ socket is stuck waiting for a reply that may never come: close it (zero linger
        // drops the queued request) and resend on a fresh one.
        Close();
        int left = _options.Attempts - attempt;
        if (left > 0)
        {
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.NoResponse, Endpoint, Count: left));
        }

        return null;
    }

    private LazyPirateResult Abandon()
    {
        _options.Observer?.Invoke(new PirateEvent(PirateEventKind.Abandoned, Endpoint));
        return LazyPirateResult.Abandoned(_options.Attempts);
    }

    private ZmqSocket Open() => _socket = LazyReq.Open(_context, Endpoint, () => _options.Observer?.Invoke(new PirateEvent(PirateEventKind.Connecting, Endpoint)));

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
