using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Pirate;

/// <summary>Settings of a <see cref="SimplePirateQueue"/>.</summary>
public sealed class SimplePirateQueueOptions
{
    /// <summary>Called on the queue's thread for each worker READY and each routed request and reply (see <see cref="PirateEvent"/>).</summary>
    public Action<PirateEvent>? Observer { get; set; }

    /// <summary>
    /// Workers the queue keeps track of: 1,000. A READY from a new worker while this many are known is
    /// dropped (the newest is refused): this queue never learns that a worker died, so it cannot tell an
    /// old worker that is gone from one that works, and a flood of READYs must not push out workers that
    /// are serving. A worker found gone when a request is routed to it (ZMQ_ROUTER_MANDATORY) frees its place.
    /// </summary>
    public int MaxWorkers { get; set; } = 1_000;

    /// <inheritdoc cref="ParanoidPirateQueueOptions.MaxMessageSize"/>
    public long? MaxMessageSize { get; set; } = ParanoidPirateProtocol.DefaultMaxMessageSize;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWorkers, 1, nameof(MaxWorkers));
        if (MaxMessageSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 0, nameof(MaxMessageSize));
        }
    }
}

/// <summary>
/// The Simple Pirate queue (Guide chapter 4, "Basic Reliable Queuing"): the load-balancing broker
/// with no reliability of its own. Clients (Lazy Pirate, REQ) talk to the ROUTER frontend, workers
/// (REQ, <see cref="SimplePirateWorker"/>) to the ROUTER backend; a worker says READY (0x01) once and
/// afterwards every reply makes it ready again; each request goes to the worker that has waited
/// longest. The frontend is read only while a worker is idle, so requests wait in ZeroMQ's queues.
/// </summary>
/// <remarks>
/// <para><b>Survives</b> (with Lazy Pirate clients): workers that crash or stall, since the client
/// retries and the retry goes to another idle worker; workers and clients that come and go in any order.</para>
/// <para><b>Does not survive:</b> its own crash and restart, for the workers (they said READY to the old
/// queue and never say it again; use the Paranoid Pirate queue). It never learns that an idle worker
/// died, so it keeps giving requests to it and each costs the client a timeout. It is a single point of failure.</para>
/// <para>Envelopes: the frontend reads <c>[client][""][request...]</c>; the backend sends
/// <c>[worker][""][client][""][request...]</c> and reads <c>[worker][""][0x01]</c> or
/// <c>[worker][""][client][""][reply...]</c>.</para>
/// <para>The constructor binds; <see cref="Run"/> routes on the calling thread until cancelled. One thread at a time.</para>
/// </remarks>
public sealed class SimplePirateQueue : IDisposable
{
    /// <summary>The Guide's frontend endpoint, for clients.</summary>
    public const string DefaultFrontend = "tcp://*:5555";

    /// <summary>The Guide's backend endpoint, for workers.</summary>
    public const string DefaultBackend = "tcp://*:5556";

    private readonly ZmqContext _context;
    private readonly QueueSockets _sockets;
    private readonly ZmqSocket _frontend;
    private readonly ZmqSocket _backend;
    private readonly SimplePirateQueueOptions _options;
    private readonly PirateWorkerPool _workers = new(long.MaxValue);
    private int _workerCount;

    /// <summary>Creates the queue and binds both sockets.</summary>
    /// <param name="context">The context.</param>
    /// <param name="frontend">Where clients connect (<see cref="DefaultFrontend"/>).</param>
    /// <param name="backend">Where workers connect (<see cref="DefaultBackend"/>).</param>
    /// <param name="options">Observer; none when null.</param>
    /// <exception cref="ZmqException">A bind failed (EADDRINUSE, ...).</exception>
    public SimplePirateQueue(ZmqContext context, string frontend = DefaultFrontend, string backend = DefaultBackend, SimplePirateQueueOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _options = options ?? new SimplePirateQueueOptions();
        _options.Validate();
        _sockets = new QueueSockets(context, frontend, backend, configureBackend: b => b.RouterMandatory = true, maxMessageSize: _options.MaxMessageSize);
        _frontend = _sockets.Frontend;
        _backend = _sockets.Backend;
    }

    /// <summary>The frontend's bound endpoint (ZMQ_LAST_ENDPOINT: the real port when bound to <c>:*</c>); safe to read while <see cref="Run"/> runs.</summary>
    public string FrontendEndpoint => _sockets.FrontendEndpoint;

    /// <summary>The backend's bound endpoint; safe to read while <see cref="Run"/> runs.</summary>
    public string BackendEndpoint => _sockets.BackendEndpoint;

    /// <summary>Workers the queue knows (idle and busy), at most <see cref="SimplePirateQueueOptions.MaxWorkers"/>; safe to read from any thread.</summary>
    public int WorkerCount => Volatile.Read(ref _workerCount);

    /// <summary>
    /// Routes requests and replies as <see cref="Run"/> does, on a dedicated thread of its own (not a thread-pool thread), and returns a task for its end:
    /// the loop waits on several sockets with a poller, which has no awaitable form (docs/patterns.md).
    /// </summary>
    /// <param name="cancellationToken">Stops the loop as it stops <see cref="Run"/>; the task then completes normally.</param>
    /// <returns>A task that completes when the loop has stopped (what the run opened is closed), or faults with what
    /// ended it otherwise (<see cref="ContextTerminatedException"/> when the context shut down, or a failure of the loop).</returns>
    public Task RunAsync(CancellationToken cancellationToken = default)
    {
        return LoopThread.RunAsync("SimplePirateQueue", Run, cancellationToken);
    }

    /// <summary>Routes requests and replies until <paramref name="cancellation"/> is cancelled or the context shuts down.</summary>
    /// <param name="cancellation">Stops the loop (it wakes at once, it does not tick).</param>
    /// <exception cref="ContextTerminatedException">The context was shut down.</exception>
    public void Run(CancellationToken cancellation = default)
    {
        using var wake = CancellationWake.Create(_context, cancellation);
        using var poller = _sockets.CreatePoller(wake);

        while (!cancellation.IsCancellationRequested)
        {
            poller.Wait(Timeout.InfiniteTimeSpan);
            // Read both results before changing the poller: they last until the next change.
            bool fromWorker = poller.IsReady(_backend);
            bool fromClient = poller.IsReady(_frontend);
            if (fromWorker)
            {
                OnWorkerMessage(_backend.ReceiveMultipart());
            }

            if (fromClient && _workers.IdleCount > 0)
            {
                _sockets.RouteRequest(_workers, _frontend.ReceiveMultipart(), reqWorkers: true, _options.Observer);
            }

            Volatile.Write(ref _workerCount, _workers.Count);
            poller.Modify(_frontend, _workers.IdleCount > 0 ? ZmqPollEvents.In : ZmqPollEvents.None);
        }
    }

    /// <summary>Closes both sockets. Harmless when called again.</summary>
    public void Dispose() => _sockets.Dispose();

    private void OnWorkerMessage(List<byte[]> message)
    {
        // A REQ worker's messages arrive as [worker][""][payload...].
        if (message.Count < 3 || message[1].Length != 0)
        {
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.InvalidMessage, message.Count > 0 ? PirateIdentity.Describe(message[0]) : null, message));
            return;
        }

        byte[] worker = message[0];
        var payload = message.GetRange(2, message.Count - 2);
        if (!_workers.Contains(worker) && _workers.Count >= _options.MaxWorkers)
        {
            // Full: the newest is refused (see MaxWorkers). Its REQ socket waits for a request that
            // never comes; a real worker is restarted by its operator, a fake one costs nothing more.
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.InvalidMessage, PirateIdentity.Describe(worker), message));
            return;
        }

        _workers.Ready(worker, TimeProvider.System.NowMilliseconds());
        if (ParanoidPirateProtocol.IsCommand(payload, ParanoidPirateProtocol.Ready))
        {
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.WorkerReady, PirateIdentity.Describe(worker)));
            return;
        }

        // [client][""][reply...]: the frontend routes it by its first frame (dropped if the client is
        // gone). Non-blocking: a client that does not read its replies must not stop the queue.
        _frontend.TrySendMultipart(payload);
        _options.Observer?.Invoke(new PirateEvent(PirateEventKind.ReplyRouted, PirateIdentity.Describe(worker), payload));
    }
}
