using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ZmqNative.Patterns.Pirate;

namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Runs a <see cref="ParanoidPirateQueue"/> (RFC 6/PPP) in the host (<see cref="ZmqNativeServiceCollectionExtensions.AddParanoidPirateQueue"/>);
/// worker arrivals and expiries are logged (events 4000-4003) and counted.
/// </summary>
public sealed class ParanoidPirateQueueService : ZmqServiceBase
{
    private readonly ParanoidPirateQueueServiceOptions _options;
    private readonly ZmqNativeMetrics _metrics;
    private ParanoidPirateQueue? _queue;
    private IDisposable? _tracking;

    /// <summary>Creates the service (the DI container does).</summary>
    /// <param name="context">The host's context.</param>
    /// <param name="options">Endpoints and heartbeat settings.</param>
    /// <param name="metrics">Where events are counted.</param>
    /// <param name="logger">Where events are logged.</param>
    /// <param name="lifetime">Stopped when the queue fails.</param>
    public ParanoidPirateQueueService(ZmqContext context, IOptions<ParanoidPirateQueueServiceOptions> options, ZmqNativeMetrics metrics, ILogger<ParanoidPirateQueueService> logger, IHostApplicationLifetime lifetime)
        : base("Paranoid Pirate queue", context, logger, lifetime)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _options = options.Value;
        _metrics = metrics;
    }

    /// <summary>The frontend's bound endpoint, once started.</summary>
    public string? FrontendEndpoint { get; private set; }

    /// <summary>The backend's bound endpoint, once started.</summary>
    public string? BackendEndpoint { get; private set; }

    /// <summary>Workers the queue knows (0 before start).</summary>
    public int WorkerCount => _queue?.WorkerCount ?? 0;

    /// <inheritdoc/>
    protected override string Open()
    {
        _queue = new ParanoidPirateQueue(Context, _options.Frontend, _options.Backend, new ParanoidPirateQueueOptions
        {
            HeartbeatInterval = _options.HeartbeatInterval,
            Liveness = _options.Liveness,
            MaxMessageSize = _options.MaxMessageSize,
            Observer = OnEvent,
        });
        FrontendEndpoint = _queue.FrontendEndpoint;
        BackendEndpoint = _queue.BackendEndpoint;
        var queue = _queue;
        _tracking = _metrics.Track(() => queue.WorkerCount);
        return $"{FrontendEndpoint} (clients), {BackendEndpoint} (workers)";
    }

    /// <inheritdoc/>
    protected override void Run(CancellationToken cancellation) => _queue!.Run(cancellation);

    /// <inheritdoc/>
    protected override void Close()
    {
        _tracking?.Dispose();
        _queue?.Dispose();
    }

    private void OnEvent(PirateEvent e)
    {
        _metrics.Record(e);
        switch (e.Kind)
        {
            case PirateEventKind.WorkerReady:
                Log.PirateWorkerReady(Logger, e.Peer);
                break;
            case PirateEventKind.IdleWorkerExpired:
                Log.PirateIdleWorkerExpired(Logger, e.Peer);
                break;
            case PirateEventKind.BusyWorkerExpired:
                Log.PirateBusyWorkerExpired(Logger, e.Peer);
                break;
            case PirateEventKind.WorkerUnreachable:
                Log.PirateWorkerUnreachable(Logger, e.Peer);
                break;
            case PirateEventKind.InvalidMessage:
                Log.InvalidMessage(Logger, Name, e.Peer);
                break;
        }
    }
}

/// <summary>
/// Runs a <see cref="ParanoidPirateWorker"/> in the host (<see cref="ZmqNativeServiceCollectionExtensions.AddParanoidPirateWorker{THandler}"/>),
/// passing each request to an <see cref="IZmqRequestHandler"/> resolved from a new DI scope. Lost queues and reconnects
/// are logged (events 4004, 4005). A handler that throws ends the worker and stops the host (PPP has no error reply;
/// as with a crashed worker the client retries elsewhere), like a failing <see cref="BackgroundService"/>.
/// </summary>
public sealed class ParanoidPirateWorkerService : ZmqServiceBase
{
    private readonly ParanoidPirateWorkerServiceOptions _options;
    private readonly RequestDispatcher _dispatcher;
    private ParanoidPirateWorker? _worker;

    internal ParanoidPirateWorkerService(ZmqContext context, ParanoidPirateWorkerServiceOptions options, RequestDispatcher dispatcher, ILogger logger, IHostApplicationLifetime lifetime)
        : base("Paranoid Pirate worker", context, logger, lifetime)
    {
        _options = options;
        _dispatcher = dispatcher;
    }

    /// <inheritdoc/>
    protected override string Open()
    {
        _worker = new ParanoidPirateWorker(Context, _options.Endpoint, new ParanoidPirateWorkerOptions
        {
            HeartbeatInterval = _options.HeartbeatInterval,
            Liveness = _options.Liveness,
            ReconnectInterval = _options.ReconnectInterval,
            ReconnectIntervalMax = _options.ReconnectIntervalMax,
            Observer = OnEvent,
        });
        return _options.Endpoint;
    }

    /// <inheritdoc/>
    protected override void Run(CancellationToken cancellation) => _worker!.Run(frames => _dispatcher.Handle(frames, cancellation), cancellation);

    /// <inheritdoc/>
    protected override void Close()
    {
        // The worker owns its sockets inside Run and closes them when Run returns.
    }

    private void OnEvent(PirateEvent e)
    {
        switch (e.Kind)
        {
            case PirateEventKind.QueueLost:
                Log.PirateQueueLost(Logger, e.Peer);
                break;
            case PirateEventKind.Reconnecting:
                Log.PirateReconnecting(Logger, e.Peer, e.Delay);
                break;
            case PirateEventKind.InvalidMessage:
                Log.InvalidMessage(Logger, Name, e.Peer);
                break;
        }
    }
}
