using System.Text;
using ZmqNative.Patterns.Loop;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Patterns.Freelance;

/// <summary>Settings of a <see cref="FreelanceServer"/>.</summary>
public sealed class FreelanceServerOptions
{
    /// <summary>Called on the server's thread for each request, reply and pong (the Guide's <c>-v</c> trace).</summary>
    public Action<FreelanceEvent>? Observer { get; set; }
}

/// <summary>
/// A Freelance model-three server (Guide chapter 4, flserver3; RFC 10/FLP): a ROUTER whose identity is
/// its public endpoint, so clients' ROUTERs can address it by the endpoint they connected. It answers
/// <c>"PING"</c> with <c>"PONG"</c>, and a request <c>[control][body...]</c> with
/// <c>[control][reply...]</c>, the control frame returned unchanged as FLP requires.
/// </summary>
/// <remarks>
/// <para>Stateless: it survives anything a client does and restarts with nothing to recover; clients
/// fail over to other servers while it is down. A request it holds when it dies is lost (the client
/// resends it elsewhere).</para>
/// <para>The constructor binds; <see cref="Run"/> serves on the calling thread, <see cref="RunAsync"/> awaits each request on the socket. One run at a time.</para>
/// </remarks>
public sealed class FreelanceServer : IDisposable
{
    /// <summary>The Guide's bind endpoint.</summary>
    public const string DefaultBind = "tcp://*:5555";

    private readonly ZmqContext _context;
    private readonly ZmqSocket _socket;
    private readonly FreelanceServerOptions _options;

    /// <summary>Creates the server: sets its identity, then binds.</summary>
    /// <param name="context">The context.</param>
    /// <param name="bindEndpoint">Where to bind (<see cref="DefaultBind"/>).</param>
    /// <param name="publicEndpoint">
    /// The endpoint clients connect to, which is the server's identity; when null, the bind endpoint with
    /// <c>*</c> as host replaced by <c>localhost</c> (the Guide's pair: bind <c>tcp://*:5555</c>, identity
    /// <c>tcp://localhost:5555</c>).
    /// </param>
    /// <param name="options">Observer.</param>
    /// <exception cref="ArgumentException">No public endpoint and the bind endpoint has a wildcard port.</exception>
    /// <exception cref="ZmqException">The bind failed.</exception>
    public FreelanceServer(ZmqContext context, string bindEndpoint = DefaultBind, string? publicEndpoint = null, FreelanceServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(bindEndpoint);
        _context = context;
        _options = options ?? new FreelanceServerOptions();
        PublicEndpoint = publicEndpoint ?? PublicFromBind(bindEndpoint);
        _socket = context.CreateSocket(ZmqSocketType.Router);
        try
        {
            // zmq_setsockopt(3): ZMQ_ROUTING_ID applies to later connections, so set it before binding.
            _socket.RoutingId = Encoding.UTF8.GetBytes(PublicEndpoint);
            _socket.Bind(bindEndpoint);
            BoundEndpoint = _socket.LastEndpoint; // read once: Run owns the socket afterwards
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>The server's identity: the endpoint clients connect to.</summary>
    public string PublicEndpoint { get; }

    /// <summary>The bound endpoint (ZMQ_LAST_ENDPOINT); safe to read while <see cref="Run"/> runs.</summary>
    public string BoundEndpoint { get; } = string.Empty;

    /// <summary>Serves pings and requests until <paramref name="cancellation"/> is cancelled or the context shuts down; an exception from the handler ends it.</summary>
    /// <param name="handler">Gets a request's body (after the control frame) and returns the reply's body (at least one frame); the Guide's server returns <c>"OK"</c>.</param>
    /// <param name="cancellation">Stops the loop.</param>
    /// <exception cref="ContextTerminatedException">The context was shut down.</exception>
    public void Run(Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> handler, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        using var wake = CancellationWake.Create(_context, cancellation);
        using var poller = new ZmqPoller();
        poller.Add(_socket, ZmqPollEvents.In);
        if (wake is not null)
        {
            poller.Add(wake.Socket, ZmqPollEvents.In);
        }

        while (!cancellation.IsCancellationRequested)
        {
            poller.Wait(Timeout.InfiniteTimeSpan);
            if (poller.IsReady(_socket) && Serve(_socket.ReceiveMultipart(), handler) is { } reply)
            {
                _socket.SendMultipart(reply);
            }
        }
    }

    /// <summary>
    /// <see cref="Run"/> awaitable: the same loop over the server's one socket, each receive and send
    /// awaited, so no thread is held while it waits for a request (the handler runs on a thread-pool thread).
    /// </summary>
    /// <param name="handler">As in <see cref="Run"/>.</param>
    /// <param name="cancellationToken">Stops the loop at once (a pending receive is cancelled; a request already taken is answered first).</param>
    /// <returns>A task that completes when the token stops the loop, or faults with the handler's exception or
    /// <see cref="ContextTerminatedException"/>. The server's socket stays open (for another run) until <see cref="Dispose"/>.</returns>
    public async Task RunAsync(Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        while (true)
        {
            List<byte[]> request;
            try
            {
                request = await _socket.ReceiveMultipartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // stopped as asked, as Run returns
            }

            if (Serve(request, handler) is { } reply)
            {
                // Not cancellable: a request taken is answered (ROUTER drops rather than blocks, so this does not wait).
                await _socket.SendMultipartAsync(reply, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Closes the socket. Harmless when called again.</summary>
    public void Dispose() => _socket.Dispose();

    private static string PublicFromBind(string bind)
    {
        if (bind.EndsWith(":*", StringComparison.Ordinal) || bind.EndsWith(":0", StringComparison.Ordinal))
        {
            throw new ArgumentException("a wildcard port cannot be a server's identity: bind a fixed port or give the public endpoint", nameof(bind));
        }

        return bind.Replace("://*:", "://localhost:", StringComparison.Ordinal);
    }

    /// <summary>One request's step, shared by <see cref="Run"/> and <see cref="RunAsync"/>: the reply to send, or null when there is none.</summary>
    private List<byte[]>? Serve(List<byte[]> request, Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> handler)
    {
        _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.RequestReceived, Frames: request));
        // [client][PING] or [client][control][body...]
        List<byte[]> reply;
        if (request.Count == 2 && request[1].AsSpan().SequenceEqual(FreelanceProtocol.PingBytes))
        {
            reply = [request[0], FreelanceProtocol.PongBytes.ToArray()];
        }
        else if (request.Count >= 3)
        {
            var body = handler(request.GetRange(2, request.Count - 2));
            if (body is null || body.Count == 0)
            {
                throw new InvalidOperationException("the handler returned no reply frames");
            }

            reply = [request[0], request[1], .. body];
        }
        else
        {
            _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.InvalidMessage, Frames: request));
            return null;
        }

        _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.ReplySent, Frames: reply));
        return reply;
    }
}
