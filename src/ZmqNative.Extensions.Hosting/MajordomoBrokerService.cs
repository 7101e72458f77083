using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Runs a <see cref="MajordomoBroker"/> in the host (<see cref="ZmqNativeServiceCollectionExtensions.AddMajordomoBroker"/>):
/// binds its endpoints at start, serves until the host stops, and reports its events as logs (event ids 2000-2004) and
/// metrics (<see cref="ZmqNativeMetrics"/>).
/// </summary>
public sealed class MajordomoBrokerService : ZmqServiceBase
{
    private readonly MajordomoBrokerServiceOptions _options;
    private readonly ZmqNativeMetrics _metrics;
    private readonly List<string> _bound = [];
    private MajordomoBroker? _broker;

    /// <summary>Creates the service (the DI container does).</summary>
    /// <param name="context">The host's context.</param>
    /// <param name="options">Endpoints and broker settings.</param>
    /// <param name="metrics">Where events are counted.</param>
    /// <param name="logger">Where events are logged.</param>
    /// <param name="lifetime">Stopped when the broker fails.</param>
    public MajordomoBrokerService(ZmqContext context, IOptions<MajordomoBrokerServiceOptions> options, ZmqNativeMetrics metrics, ILogger<MajordomoBrokerService> logger, IHostApplicationLifetime lifetime)
        : base("Majordomo broker", context, logger, lifetime)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _options = options.Value;
        _metrics = metrics;
    }

    /// <summary>The endpoints bound, with real ports for <c>tcp://...:*</c>; empty before start.</summary>
    public IReadOnlyList<string> Endpoints
    {
        get
        {
            lock (_bound)
            {
                return [.. _bound];
            }
        }
    }

    /// <summary>Requests waiting for a worker, all services together (0 before start).</summary>
    public int QueuedRequests => _broker?.QueuedRequests ?? 0;

    /// <summary>The most requests that may wait (<see cref="MajordomoBrokerServiceOptions.MaxQueuedRequests"/>).</summary>
    public int MaxQueuedRequests => _options.MaxQueuedRequests;

    /// <summary>Requests dropped since start (queue bounds or expiry).</summary>
    public long DroppedRequests => _broker?.DroppedRequests ?? 0;

    /// <inheritdoc/>
    protected override string Open()
    {
        if (_options.Endpoints.Count == 0)
        {
            throw new OptionsValidationException(MajordomoBrokerServiceOptions.SectionName, typeof(MajordomoBrokerServiceOptions), ["the Majordomo broker needs at least one endpoint (Endpoints)"]);
        }

        var broker = new MajordomoBroker(Context, new MajordomoBrokerOptions
        {
            HeartbeatInterval = _options.HeartbeatInterval,
            Liveness = _options.Liveness,
            MaxQueuedRequestsPerService = _options.MaxQueuedRequestsPerService,
            MaxQueuedRequests = _options.MaxQueuedRequests,
            MaxQueuedBytes = _options.MaxQueuedBytes,
            RequestExpiry = _options.RequestExpiry,
            Observer = OnEvent,
        });
        try
        {
            foreach (string endpoint in _options.Endpoints)
            {
                broker.Bind(endpoint);
                lock (_bound)
                {
                    _bound.Add(broker.LastEndpoint);
                }
            }
        }
        catch
        {
            broker.Dispose();
            throw;
        }

        _broker = broker;
        return string.Join(", ", Endpoints);
    }

    /// <inheritdoc/>
    protected override void Run(CancellationToken cancellation) => _broker!.Run(cancellation);

    /// <inheritdoc/>
    protected override void Close() => _broker?.Dispose();

    private void OnEvent(MajordomoEvent e)
    {
        _metrics.Record(e);
        switch (e.Kind)
        {
            case MajordomoEventKind.WorkerRegistered:
                Log.WorkerRegistered(Logger, e.Service, e.Worker);
                break;
            case MajordomoEventKind.WorkerExpired:
                Log.WorkerExpired(Logger, e.Service, e.Worker);
                break;
            case MajordomoEventKind.WorkerRemoved:
                Log.WorkerRemoved(Logger, e.Service, e.Worker, e.Reason);
                break;
            case MajordomoEventKind.RequestDropped:
                Log.RequestDropped(Logger, e.Service, e.Bytes, e.Reason);
                break;
            case MajordomoEventKind.InvalidMessage:
                Log.InvalidMessage(Logger, Name, e.Reason);
                break;
        }
    }
}
