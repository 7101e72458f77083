using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Pirate;

/// <summary>Settings of a <see cref="SimplePirateWorker"/>.</summary>
public sealed class SimplePirateWorkerOptions
{
    /// <summary>The worker's identity (ZMQ_ROUTING_ID); a random printable one like the Guide's (<c>"%04X-%04X"</c>) when null.</summary>
    public byte[]? Identity { get; set; }

    /// <summary>Called on the worker's thread for READY, each request and each reply (see <see cref="PirateEvent"/>).</summary>
    public Action<PirateEvent>? Observer { get; set; }
}

/// <summary>
/// The Simple Pirate worker (Guide chapter 4, spworker): a REQ socket that connects to the queue's
/// backend, says READY (0x01), then answers one request at a time with what the handler returns.
/// </summary>
/// <remarks>
/// <para><b>Survives:</b> nothing by itself; the Lazy Pirate client's retries cover a worker that dies.</para>
/// <para><b>Does not survive:</b> a queue restart (it said READY once, to the old queue, and the new one
/// never hears of it; the worker waits forever). Use <see cref="ParanoidPirateWorker"/> for that.</para>
/// <para>One run at a time; the handler runs on the thread that called <see cref="Run"/>, or on a
/// thread-pool thread under <see cref="RunAsync"/>.</para>
/// </remarks>
public sealed class SimplePirateWorker
{
    /// <summary>The Guide's queue backend, as a worker connects to it.</summary>
    public const string DefaultEndpoint = "tcp://localhost:5556";

    private readonly ZmqContext _context;
    private readonly SimplePirateWorkerOptions _options;

    /// <summary>Creates the worker (nothing is connected until <see cref="Run"/>).</summary>
    /// <param name="context">The context.</param>
    /// <param name="endpoint">The queue's backend (<see cref="DefaultEndpoint"/>).</param>
    /// <param name="options">Identity and observer.</param>
    public SimplePirateWorker(ZmqContext context, string endpoint = DefaultEndpoint, SimplePirateWorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        _context = context;
        _options = options ?? new SimplePirateWorkerOptions();
        Endpoint = endpoint;
        IdentityBytes = _options.Identity ?? PirateIdentity.NewRandom();
        Identity = PirateIdentity.Describe(IdentityBytes);
    }

    /// <summary>The queue's backend endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>The worker's identity as text (hex when it is binary).</summary>
    public string Identity { get; }

    private byte[] IdentityBytes { get; }

    /// <summary>
    /// Connects, says READY and serves requests until <paramref name="cancellation"/> is cancelled or
    /// the context shuts down. An exception from the handler ends the worker (its socket closes).
    /// </summary>
    /// <param name="handler">Gets a request's body (the frames after the envelope) and returns the reply's body (at least one frame).</param>
    /// <param name="cancellation">Stops the worker between requests.</param>
    /// <exception cref="ContextTerminatedException">The context was shut down.</exception>
    public void Run(Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> handler, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        using var wake = CancellationWake.Create(_context, cancellation);
        using var worker = Open();
        using var poller = new ZmqPoller();
        poller.Add(worker, ZmqPollEvents.In);
        if (wake is not null)
        {
            poller.Add(wake.Socket, ZmqPollEvents.In);
        }

        while (!cancellation.IsCancellationRequested)
        {
            poller.Wait(Timeout.InfiniteTimeSpan);
            if (!poller.IsReady(worker))
            {
                continue;
            }

            var reply = Answer(worker.ReceiveMultipart(), handler);
            worker.SendMultipart(reply);
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.ReplySent, Identity, reply));
        }
    }

    /// <summary>
    /// <see cref="Run"/> awaitable: the same worker over its one REQ socket, each request awaited, so no
    /// thread is held while it waits (the handler runs on a thread-pool thread).
    /// </summary>
    /// <param name="handler">As in <see cref="Run"/>.</param>
    /// <param name="cancellationToken">Stops the worker at once; the task then completes normally and the socket is closed.
    /// A request already taken is answered first.</param>
    /// <returns>A task that completes when the token stops the worker, or faults with the handler's exception or
    /// <see cref="ContextTerminatedException"/>.</returns>
    public async Task RunAsync(Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        using var worker = Open();
        while (true)
        {
            List<byte[]> request;
            try
            {
                request = await worker.ReceiveMultipartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // stopped as asked, as Run returns
            }

            var reply = Answer(request, handler);
            // Not cancellable: REQ has room for the one reply it owes, so this does not wait.
            await worker.SendMultipartAsync(reply, CancellationToken.None).ConfigureAwait(false);
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.ReplySent, Identity, reply));
        }
    }

    /// <summary>Connects a REQ socket to the queue and says READY.</summary>
    private ZmqSocket Open()
    {
        var worker = _context.CreateSocket(ZmqSocketType.Req);
        try
        {
            worker.Linger = TimeSpan.Zero;
            worker.RoutingId = IdentityBytes;
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.Connecting, Endpoint));
            worker.Connect(Endpoint);
            worker.Send(ParanoidPirateProtocol.ReadyFrame());
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.ReadySent, Identity));
            return worker;
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    /// <summary>One request's step, shared by both forms: the reply to send (REQ must answer before it can receive again).</summary>
    private List<byte[]> Answer(List<byte[]> request, Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> handler)
    {
        // The queue sends [worker][""][client][""][body...]; REQ strips the first two frames.
        _options.Observer?.Invoke(new PirateEvent(PirateEventKind.RequestReceived, Identity, request));
        if (!ParanoidPirateProtocol.TrySplitEnvelope(request, out int envelope))
        {
            // Hand the odd message back unchanged.
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.InvalidMessage, Identity, request));
            return request;
        }

        var body = handler(request.GetRange(envelope, request.Count - envelope));
        if (body is null || body.Count == 0)
        {
            throw new InvalidOperationException("the handler returned no reply frames");
        }

        return [.. request.Take(envelope), .. body];
    }
}
