using System.Text;

namespace ZmqNative.Patterns.Majordomo;

/// <summary>Settings of the Majordomo clients; the defaults are the Guide's (mdcliapi.c, mdcliapi2.c).</summary>
public sealed class MajordomoClientOptions
{
    /// <summary>How long one attempt waits for its reply: 2500 ms.</summary>
    public TimeSpan Timeout { get; set; } = MajordomoProtocol.DefaultRequestTimeout;

    /// <summary>How many times the synchronous client sends a request before giving up: 3 (unused by the asynchronous client).</summary>
    public int Retries { get; set; } = MajordomoProtocol.DefaultRetries;

    /// <summary>Receives one line per event and, when <see cref="TraceFrames"/> is set, each message (the Guide's -v).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Whether every message sent and received is passed to <see cref="Log"/>.</summary>
    public bool TraceFrames { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(Retries, 1, nameof(Retries));
    }

    internal void Trace(string title, List<byte[]> frames)
    {
        if (TraceFrames && Log is { } log)
        {
            log(title + "\n" + MajordomoProtocol.Dump(frames));
        }
    }
}

/// <summary>
/// The synchronous Majordomo client API (RFC 7 MDP/Client, the Guide's mdcliapi): a REQ socket; each
/// <see cref="Send(string, IEnumerable{byte[]})"/> waits Timeout for the reply, and on silence closes
/// the socket, reconnects and resends, up to Retries attempts.
/// </summary>
/// <remarks>
/// Survives: a broker restart or a worker dying with the request (the resend reaches a live worker) as
/// long as it happens within the attempts. Does not survive: a service that stays away longer than
/// Retries × Timeout (the request is abandoned, null is returned). A resend can run the request twice,
/// so requests should be idempotent. Not thread-safe.
/// </remarks>
public sealed class MajordomoClient : IDisposable
{
    private readonly ZmqContext _context;
    private readonly string _broker;
    private readonly MajordomoClientOptions _options;
    private ZmqSocket? _socket;

    /// <summary>Connects to the broker.</summary>
    /// <param name="context">The context to create sockets in.</param>
    /// <param name="broker">The broker's endpoint, e.g. <see cref="MajordomoProtocol.DefaultEndpoint"/>.</param>
    /// <param name="options">Settings; null for the Guide's defaults.</param>
    public MajordomoClient(ZmqContext context, string broker, MajordomoClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(broker);
        _context = context;
        _broker = broker;
        _options = options ?? new MajordomoClientOptions();
        _options.Validate();
        Connect();
    }

    /// <summary>Sends a request to a service and waits for its reply, retrying as configured.</summary>
    /// <param name="service">The service name (mmi.* asks the broker itself, RFC 8).</param>
    /// <param name="request">The request's body frames.</param>
    /// <returns>The reply's body frames, or null when every attempt timed out.</returns>
    public List<byte[]>? Send(string service, IEnumerable<byte[]> request)
    {
        var frames = Frames(service, request);
        for (int attempt = 1; attempt <= _options.Retries; attempt++)
        {
            _options.Trace($"I: send request to '{service}' service:", frames);
            _socket!.SendMultipart(frames);
            if (_socket.TryReceiveMultipart(_options.Timeout, out List<byte[]>? reply))
            {
                _options.Trace("I: received reply:", reply!);
                return MajordomoProtocol.UnwrapClientReply(reply!, 0, service, _options.Log);
            }

            NoReply(attempt);
        }

        return null;
    }

    /// <summary>Sends a one-frame text request and waits for its reply.</summary>
    /// <param name="service">The service name.</param>
    /// <param name="request">The request text (UTF-8, no terminating NUL, as the Guide's C clients send it).</param>
    /// <returns>The reply's body frames, or null when every attempt timed out.</returns>
    public List<byte[]>? Send(string service, string request) => Send(service, [Encoding.UTF8.GetBytes(request)]);

    /// <summary>
    /// <see cref="Send(string, IEnumerable{byte[]})"/> awaitable: the same retries, each waiting
    /// <see cref="MajordomoClientOptions.Timeout"/> for the reply, with no thread blocked while it waits.
    /// </summary>
    /// <param name="service">The service name (mmi.* asks the broker itself, RFC 8).</param>
    /// <param name="request">The request's body frames.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>; the socket is
    /// replaced by a fresh one (the request may still reach the service).</param>
    /// <returns>The reply's body frames, or null when every attempt timed out.</returns>
    public async ValueTask<List<byte[]>?> SendAsync(string service, IEnumerable<byte[]> request, CancellationToken cancellationToken = default)
    {
        var frames = Frames(service, request);
        for (int attempt = 1; attempt <= _options.Retries; attempt++)
        {
            _options.Trace($"I: send request to '{service}' service:", frames);
            List<byte[]>? reply;
            try
            {
                reply = await LazyReq.ExchangeAsync(_socket!, frames, _options.Timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Connect(); // the REQ socket is stuck waiting for this reply
                throw;
            }

            if (reply is not null)
            {
                _options.Trace("I: received reply:", reply);
                return MajordomoProtocol.UnwrapClientReply(reply, 0, service, _options.Log);
            }

            NoReply(attempt);
        }

        return null;
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose()
    {
        _socket?.Dispose();
        _socket = null;
    }

    private static List<byte[]> Frames(string service, IEnumerable<byte[]> request)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentNullException.ThrowIfNull(request);
        var frames = new List<byte[]> { MajordomoProtocol.ClientHeaderBytes, Encoding.UTF8.GetBytes(service) };
        frames.AddRange(request);
        return frames;
    }

    private void NoReply(int attempt)
    {
        // REQ cannot send again before a reply: a new socket is the only way to resend (the Guide's Lazy Pirate).
        _options.Log?.Invoke(attempt < _options.Retries ? "W: no reply, reconnecting..." : "W: permanent error, abandoning");
        Connect();
    }

    private void Connect()
    {
        _socket?.Dispose();
        _socket = _context.CreateSocket(ZmqSocketType.Req);
        _socket.Linger = TimeSpan.Zero;
        _socket.Connect(_broker);
        _options.Log?.Invoke($"I: connecting to broker at {_broker}...");
    }
}

/// <summary>
/// The asynchronous Majordomo client API (the Guide's mdcliapi2): a DEALER socket, so any number of
/// requests can be sent before replies are read; <see cref="Receive"/> waits Timeout for the next reply.
/// </summary>
/// <remarks>
/// Survives: broker and worker restarts for requests sent afterwards (DEALER reconnects by itself).
/// Does not retry: a request lost with a dying worker or broker never gets a reply, and the caller
/// sees Receive time out (null). Not thread-safe.
/// </remarks>
public sealed class MajordomoAsyncClient : IDisposable
{
    private readonly ZmqSocket _socket;
    private readonly MajordomoClientOptions _options;

    /// <summary>Connects to the broker.</summary>
    /// <param name="context">The context to create the socket in.</param>
    /// <param name="broker">The broker's endpoint.</param>
    /// <param name="options">Settings (Retries is ignored); null for the Guide's defaults.</param>
    public MajordomoAsyncClient(ZmqContext context, string broker, MajordomoClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(broker);
        _options = options ?? new MajordomoClientOptions();
        _options.Validate();
        _socket = context.CreateSocket(ZmqSocketType.Dealer);
        _socket.Linger = TimeSpan.Zero;
        _socket.Connect(broker);
        _options.Log?.Invoke($"I: connecting to broker at {broker}...");
    }

    /// <summary>Sends a request without waiting for the reply.</summary>
    /// <param name="service">The service name.</param>
    /// <param name="request">The request's body frames.</param>
    public void Send(string service, IEnumerable<byte[]> request)
    {
        _socket.SendMultipart(Frames(service, request));
    }

    /// <summary>Sends a request without waiting for the reply; completes when libzmq has queued it.</summary>
    /// <param name="service">The service name.</param>
    /// <param name="request">The request's body frames.</param>
    /// <param name="cancellationToken">Ends a wait for room (a full high-water mark) with <see cref="OperationCanceledException"/>; nothing is sent then.</param>
    /// <returns>Completes when the request is queued.</returns>
    public ValueTask SendAsync(string service, IEnumerable<byte[]> request, CancellationToken cancellationToken = default) =>
        _socket.SendMultipartAsync(Frames(service, request), cancellationToken);

    /// <summary>Sends a one-frame text request without waiting for the reply.</summary>
    /// <param name="service">The service name.</param>
    /// <param name="request">The request text.</param>
    public void Send(string service, string request) => Send(service, [Encoding.UTF8.GetBytes(request)]);

    /// <summary>Waits up to Timeout for the next reply.</summary>
    /// <param name="service">The service name of the reply (as the broker echoes it), or null to accept any.</param>
    /// <returns>The reply's body frames, or null on timeout or an invalid reply.</returns>
    public List<byte[]>? Receive(string? service = null) =>
        Unwrap(_socket.TryReceiveMultipart(_options.Timeout, out List<byte[]>? reply) ? reply : null, service);

    /// <summary>Waits up to Timeout for the next reply, with no thread blocked while it waits.</summary>
    /// <param name="service">The service name of the reply (as the broker echoes it), or null to accept any.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>; a reply already taken is returned, never lost.</param>
    /// <returns>The reply's body frames, or null on timeout or an invalid reply.</returns>
    public async ValueTask<List<byte[]>?> ReceiveAsync(string? service = null, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        List<byte[]>? reply;
        try
        {
            reply = await _socket.ReceiveMultipartAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reply = null;
        }

        return Unwrap(reply, service);
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _socket.Dispose();

    private List<byte[]> Frames(string service, IEnumerable<byte[]> request)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentNullException.ThrowIfNull(request);

        // The empty frame stands in for the delimiter a REQ socket would add (mdcliapi2).
        var frames = new List<byte[]> { Array.Empty<byte>(), MajordomoProtocol.ClientHeaderBytes, Encoding.UTF8.GetBytes(service) };
        frames.AddRange(request);
        _options.Trace($"I: send request to '{service}' service:", frames);
        return frames;
    }

    private List<byte[]>? Unwrap(List<byte[]>? reply, string? service)
    {
        if (reply is null)
        {
            _options.Log?.Invoke("W: permanent error, abandoning request");
            return null;
        }

        _options.Trace("I: received reply:", reply);
        if (reply.Count < 1 || reply[0].Length != 0)
        {
            _options.Log?.Invoke("E: invalid reply from broker, dropped");
            return null;
        }

        string echoed = reply.Count > 2 ? Encoding.UTF8.GetString(reply[2]) : string.Empty;
        return MajordomoProtocol.UnwrapClientReply(reply, 1, service ?? echoed, _options.Log);
    }
}
