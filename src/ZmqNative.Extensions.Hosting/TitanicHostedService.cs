using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ZmqNative.Patterns.Titanic;

namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Runs a <see cref="TitanicService"/> (RFC 9/TSP over Majordomo) in the host
/// (<see cref="ZmqNativeServiceCollectionExtensions.AddTitanic"/>). Its store's repairs at start (unfinished writes
/// removed, unparsable files set aside) and its errors are logged (events 3000-3002); pending and stored requests
/// are gauges of <see cref="ZmqNativeMetrics"/>.
/// </summary>
public sealed class TitanicHostedService : ZmqServiceBase
{
    private readonly TitanicServiceOptions _options;
    private readonly ZmqNativeMetrics _metrics;
    private readonly IServiceProvider _services;
    private TitanicService? _titanic;
    private IDisposable? _tracking;

    /// <summary>Creates the service (the DI container does).</summary>
    /// <param name="context">The host's context.</param>
    /// <param name="options">Broker, directory and TSP settings.</param>
    /// <param name="metrics">Where the store's counts are read from.</param>
    /// <param name="services">Used to find the host's own broker when no endpoint is configured.</param>
    /// <param name="logger">Where the service's lines go.</param>
    /// <param name="lifetime">Stopped when the service fails.</param>
    public TitanicHostedService(ZmqContext context, IOptions<TitanicServiceOptions> options, ZmqNativeMetrics metrics, IServiceProvider services, ILogger<TitanicHostedService> logger, IHostApplicationLifetime lifetime)
        : base("Titanic", context, logger, lifetime)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _options = options.Value;
        _metrics = metrics;
        _services = services;
    }

    /// <summary>The store, once started.</summary>
    public TitanicStore? Store => _titanic?.Store;

    /// <inheritdoc/>
    protected override string Open()
    {
        string broker = InHostBroker.Resolve(_options.Broker, _services, Name);
        var store = new TitanicStore(_options.Directory, Line);
        _titanic = new TitanicService(Context, broker, store, new TitanicOptions
        {
            HeartbeatInterval = _options.HeartbeatInterval,
            Liveness = _options.Liveness,
            ReconnectInterval = _options.ReconnectInterval,
            DispatchTimeout = _options.DispatchTimeout,
            DispatchInterval = _options.DispatchInterval,
            MaxStoredRequests = _options.MaxStoredRequests,
            PendingRetention = _options.PendingRetention,
            ReplyRetention = _options.ReplyRetention,
            Log = Line,
        });
        _tracking = _metrics.Track(store);
        return $"{broker}, store {store.Directory}";
    }

    /// <inheritdoc/>
    protected override void Run(CancellationToken cancellation) => _titanic!.Run(cancellation);

    /// <inheritdoc/>
    protected override void Close() => _tracking?.Dispose();

    /// <summary>The Titanic and store text hooks become log events: the line's "E: "/"W: "/"I: " prefix gives the level.</summary>
    private void Line(string line)
    {
        if (line.StartsWith("E: ", StringComparison.Ordinal))
        {
            Log.TitanicError(Logger, line[3..]);
        }
        else if (line.StartsWith("W: ", StringComparison.Ordinal))
        {
            Log.TitanicWarning(Logger, line[3..]);
        }
        else
        {
            Log.TitanicInformation(Logger, line.StartsWith("I: ", StringComparison.Ordinal) ? line[3..] : line);
        }
    }
}
