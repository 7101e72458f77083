using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ZmqNative.Patterns.BinaryStar;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Pirate;
using ZmqNative.Patterns.Titanic;

namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// The instruments of the package (System.Diagnostics.Metrics), in two meters: <see cref="PatternsMeterName"/>
/// for the Patterns servers and <see cref="CoreMeterName"/> for the binding itself (authenticator decisions,
/// socket monitor events). Meters come from the host's <see cref="IMeterFactory"/> when it has one (so two
/// hosts in one process keep apart), otherwise they are created directly. docs/hosting.md lists every instrument.
/// </summary>
/// <remarks>
/// Nothing is counted per message on a socket: counters move on broker and server events only (a request
/// queued, dispatched, answered), and gauges are read when a listener collects. Thread-safe.
/// </remarks>
public sealed class ZmqNativeMetrics : IDisposable
{
    /// <summary>The meter of the Patterns servers: <c>ZmqNative.Patterns</c>.</summary>
    public const string PatternsMeterName = "ZmqNative.Patterns";

    /// <summary>The meter of the binding: <c>ZmqNative</c>.</summary>
    public const string CoreMeterName = "ZmqNative";

    private readonly bool _ownsMeters;
    private readonly ConcurrentDictionary<string, int> _queueDepth = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _workers = new(StringComparer.Ordinal);
    private readonly Counter<long> _requests;
    private readonly Counter<long> _dispatched;
    private readonly Counter<long> _replies;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _expirations;
    private readonly Counter<long> _pirateExpirations;
    private readonly Counter<long> _binaryStarTransitions;
    private readonly Counter<long> _zapDecisions;
    private readonly Counter<long> _socketEvents;
    private readonly List<Func<int>> _pirateWorkers = [];
    private readonly List<TitanicStore> _titanicStores = [];
    private readonly List<Func<BinaryStarState>> _binaryStarStates = [];

    /// <summary>Creates the meters, from <paramref name="meterFactory"/> when given.</summary>
    /// <param name="meterFactory">The host's meter factory; null to create the meters directly.</param>
    public ZmqNativeMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeters = meterFactory is null;
        PatternsMeter = meterFactory?.Create(PatternsMeterName) ?? new Meter(PatternsMeterName);
        CoreMeter = meterFactory?.Create(CoreMeterName) ?? new Meter(CoreMeterName);

        _requests = PatternsMeter.CreateCounter<long>("zmqnative.majordomo.requests", "{request}", "Requests the Majordomo broker queued for a service.");
        _dispatched = PatternsMeter.CreateCounter<long>("zmqnative.majordomo.dispatched", "{request}", "Requests the Majordomo broker sent to a worker.");
        _replies = PatternsMeter.CreateCounter<long>("zmqnative.majordomo.replies", "{reply}", "Replies the Majordomo broker routed back to clients.");
        _dropped = PatternsMeter.CreateCounter<long>("zmqnative.majordomo.dropped", "{request}", "Requests the Majordomo broker dropped (a queue bound or their expiry).");
        _expirations = PatternsMeter.CreateCounter<long>("zmqnative.majordomo.worker.expirations", "{worker}", "Majordomo workers dropped for missing heartbeats.");
        PatternsMeter.CreateObservableGauge("zmqnative.majordomo.queue.depth", () => Snapshot(_queueDepth, "service"), "{request}", "Requests waiting for a worker, per service.");
        PatternsMeter.CreateObservableGauge("zmqnative.majordomo.workers", () => Snapshot(_workers, "service"), "{worker}", "Majordomo workers registered, per service.");
        _pirateExpirations = PatternsMeter.CreateCounter<long>("zmqnative.pirate.worker.expirations", "{worker}", "Paranoid Pirate workers dropped for missing heartbeats (tag busy: whether a request was lost with it).");
        PatternsMeter.CreateObservableGauge("zmqnative.pirate.workers", () => Read(_pirateWorkers), "{worker}", "Workers the Paranoid Pirate queue knows.");
        PatternsMeter.CreateObservableGauge("zmqnative.titanic.pending", () => ReadStores(pending: true), "{request}", "Titanic requests stored without a reply yet.");
        PatternsMeter.CreateObservableGauge("zmqnative.titanic.stored", () => ReadStores(pending: false), "{request}", "Titanic requests stored and not closed (pending or answered).");
        _binaryStarTransitions = PatternsMeter.CreateCounter<long>("zmqnative.binarystar.transitions", "{transition}", "Binary Star state changes (tags from, to).");
        PatternsMeter.CreateObservableGauge("zmqnative.binarystar.state", ReadBinaryStar, "{state}", "The Binary Star server's state: 1 primary, 2 backup, 3 active, 4 passive.");
        _zapDecisions = CoreMeter.CreateCounter<long>("zmqnative.zap.decisions", "{decision}", "ZAP authenticator decisions (tag result: allowed, denied).");
        _socketEvents = CoreMeter.CreateCounter<long>("zmqnative.socket.events", "{event}", "Socket monitor events (tags socket, event: connected, disconnected, handshake_failed, ...).");
    }

    /// <summary>The <c>ZmqNative.Patterns</c> meter.</summary>
    public Meter PatternsMeter { get; }

    /// <summary>The <c>ZmqNative</c> meter.</summary>
    public Meter CoreMeter { get; }

    /// <summary>Disposes the meters when this instance created them (a factory's meters are the factory's).</summary>
    public void Dispose()
    {
        if (_ownsMeters)
        {
            PatternsMeter.Dispose();
            CoreMeter.Dispose();
        }
    }

    /// <summary>Counts one socket monitor event (see <see cref="ZmqSocketMetrics"/>, which calls it).</summary>
    /// <param name="socket">The name the application gave the socket.</param>
    /// <param name="kind">The event.</param>
    public void RecordSocketEvent(string socket, ZmqMonitorEvents kind) =>
        _socketEvents.Add(1, new KeyValuePair<string, object?>("socket", socket), new KeyValuePair<string, object?>("event", EventName(kind)));

    internal void RecordZap(bool allowed) => _zapDecisions.Add(1, new KeyValuePair<string, object?>("result", allowed ? "allowed" : "denied"));

    internal void Record(MajordomoEvent e)
    {
        var service = new KeyValuePair<string, object?>("service", e.Service);
        switch (e.Kind)
        {
            case MajordomoEventKind.RequestQueued:
                _requests.Add(1, service);
                break;
            case MajordomoEventKind.RequestDispatched:
                _dispatched.Add(1, service);
                break;
            case MajordomoEventKind.ReplyRouted:
                _replies.Add(1, service);
                break;
            case MajordomoEventKind.RequestDropped:
                _dropped.Add(1, service, new KeyValuePair<string, object?>("reason", e.Reason));
                break;
            case MajordomoEventKind.WorkerExpired:
                _expirations.Add(1, service);
                break;
        }

        if (e.Service is { } name)
        {
            if (e.QueueDepth >= 0)
            {
                _queueDepth[name] = e.QueueDepth;
            }

            if (e.ServiceWorkers >= 0)
            {
                _workers[name] = e.ServiceWorkers;
            }
        }
    }

    internal void Record(PirateEvent e)
    {
        if (e.Kind is PirateEventKind.IdleWorkerExpired or PirateEventKind.BusyWorkerExpired)
        {
            _pirateExpirations.Add(1, new KeyValuePair<string, object?>("busy", e.Kind == PirateEventKind.BusyWorkerExpired));
        }
    }

    internal void Record(BinaryStarTransition t) =>
        _binaryStarTransitions.Add(1, new KeyValuePair<string, object?>("from", t.From.ToString()), new KeyValuePair<string, object?>("to", t.To.ToString()));

    internal IDisposable Track(Func<int> pirateWorkers) => Add(_pirateWorkers, pirateWorkers);

    internal IDisposable Track(TitanicStore store) => Add(_titanicStores, store);

    internal IDisposable Track(Func<BinaryStarState> state) => Add(_binaryStarStates, state);

    private static IDisposable Add<T>(List<T> list, T item)
    {
        lock (list)
        {
            list.Add(item);
        }

        return new Removal(() =>
        {
            lock (list)
            {
                list.Remove(item);
            }
        });
    }

    private static IEnumerable<Measurement<int>> Snapshot(ConcurrentDictionary<string, int> values, string tag)
    {
        foreach (var pair in values)
        {
            yield return new Measurement<int>(pair.Value, new KeyValuePair<string, object?>(tag, pair.Key));
        }
    }

    private static IEnumerable<Measurement<int>> Read(List<Func<int>> sources)
    {
        lock (sources)
        {
            return sources.Select(read => new Measurement<int>(read())).ToList();
        }
    }

    private IEnumerable<Measurement<int>> ReadStores(bool pending)
    {
        lock (_titanicStores)
        {
            return _titanicStores.Select(s => new Measurement<int>(pending ? s.PendingCount : s.StoredCount, new KeyValuePair<string, object?>("directory", s.Directory))).ToList();
        }
    }

    private IEnumerable<Measurement<int>> ReadBinaryStar()
    {
        lock (_binaryStarStates)
        {
            return _binaryStarStates.Select(read => new Measurement<int>((int)read())).ToList();
        }
    }

    private static string EventName(ZmqMonitorEvents kind) => kind switch
    {
        ZmqMonitorEvents.Connected => "connected",
        ZmqMonitorEvents.ConnectDelayed => "connect_delayed",
        ZmqMonitorEvents.ConnectRetried => "connect_retried",
        ZmqMonitorEvents.Listening => "listening",
        ZmqMonitorEvents.BindFailed => "bind_failed",
        ZmqMonitorEvents.Accepted => "accepted",
        ZmqMonitorEvents.AcceptFailed => "accept_failed",
        ZmqMonitorEvents.Closed => "closed",
        ZmqMonitorEvents.CloseFailed => "close_failed",
        ZmqMonitorEvents.Disconnected => "disconnected",
        ZmqMonitorEvents.MonitorStopped => "monitor_stopped",
        ZmqMonitorEvents.HandshakeSucceeded => "handshake_succeeded",
        ZmqMonitorEvents.HandshakeFailedNoDetail or ZmqMonitorEvents.HandshakeFailedProtocol or ZmqMonitorEvents.HandshakeFailedAuth => "handshake_failed",
        _ => "other",
    };

    private sealed class Removal(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
