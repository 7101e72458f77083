using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Clone;

/// <summary>One Clone server as the Guide's clone_connect names it: an address and its main port P (snapshot P, publisher P + 1, collector P + 2, as RFC 12 lays them out).</summary>
/// <param name="Address">The address without port, e.g. "tcp://localhost".</param>
/// <param name="Port">The snapshot port P.</param>
public readonly record struct CloneServerAddress(string Address, int Port)
{
    /// <summary>The snapshot (ROUTER) endpoint: port P.</summary>
    public string Snapshot => Endpoint(0);

    /// <summary>The publisher (PUB) endpoint: port P + 1.</summary>
    public string Publisher => Endpoint(1);

    /// <summary>The collector endpoint: port P + 2.</summary>
    public string Collector => Endpoint(2);

    /// <summary>The address and port, as logs print it ("tcp://localhost:5556").</summary>
    public override string ToString() => Snapshot;

    private string Endpoint(int offset) => string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port + offset}");
}

/// <summary>Settings of a <see cref="CloneClient"/>; the defaults are the Guide's (clone.c).</summary>
public sealed class CloneClientOptions
{
    /// <summary>The subtree (key prefix) to replicate, e.g. "/client/"; empty for the whole map.</summary>
    public string Subtree { get; set; } = string.Empty;

    /// <summary>A server silent this long (no update, no HUGZ, no snapshot) is dead: the client fails over. The Guide's SERVER_TTL, 5 s.</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The subscriber's ZMQ_RCVHWM: updates that arrive while a snapshot is read wait here (beyond it the server's PUB drops them).</summary>
    public int SubscriberHighWatermark { get; set; } = 100_000;

    /// <summary>Updates waiting for a collector to connect, at most; <see cref="CloneClient.Set(string, ReadOnlySpan{byte}, TimeSpan?)"/> returns false beyond it.</summary>
    public int MaxQueuedSets { get; set; } = 10_000;

    /// <summary>Called on the client's agent thread for what it does (see <see cref="CloneClientEvent"/>). Keep it short.</summary>
    public Action<CloneClientEvent>? Observer { get; set; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Subtree, nameof(Subtree));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ServerTimeout, TimeSpan.Zero, nameof(ServerTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(SubscriberHighWatermark, nameof(SubscriberHighWatermark));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedSets, 1, nameof(MaxQueuedSets));
    }
}

/// <summary>What a <see cref="CloneClient"/> reports.</summary>
public enum CloneClientEventKind
{
    /// <summary>Subscribing to a server, before asking it for a snapshot (<see cref="CloneClientEvent.Server"/>).</summary>
    Connecting,

    /// <summary>The snapshot was received: <see cref="CloneClientEvent.Sequence"/> is its KTHXBAI's, <see cref="CloneClientEvent.Count"/> its entries.</summary>
    Synced,

    /// <summary>An update was applied (<see cref="CloneClientEvent.Sequence"/>, <see cref="CloneClientEvent.Key"/>; an empty value deleted the key).</summary>
    Updated,

    /// <summary>A sequence number was skipped (the client replicates the whole map, so it sees every one): it asks for a new snapshot.</summary>
    Gap,

    /// <summary>The server was silent for <see cref="CloneClientOptions.ServerTimeout"/>: the client moves to the next server.</summary>
    FailingOver,

    /// <summary>A malformed message from a server was dropped.</summary>
    Dropped,
}

/// <summary>One thing a <see cref="CloneClient"/> did.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Server">The server concerned.</param>
/// <param name="Sequence">The sequence number concerned.</param>
/// <param name="Key">The key concerned.</param>
/// <param name="Count">A count (snapshot entries).</param>
public readonly record struct CloneClientEvent(CloneClientEventKind Kind, CloneServerAddress Server, long Sequence = 0, string? Key = null, int Count = 0);

/// <summary>
/// The Clone client (Guide chapter 5, clone.c; RFC 12/CHP): a replica of a Clone server's map (or one subtree of it),
/// kept by an agent thread. The agent subscribes first, waits until its subscription delivers (any update or HUGZ, so
/// nothing published after the snapshot can be missed), then asks for the snapshot and drops updates at or below the
/// snapshot's sequence number. A server silent for <see cref="CloneClientOptions.ServerTimeout"/> is abandoned for the next
/// one, where the client takes a fresh snapshot. Updates (<see cref="Set(string, string, TimeSpan?)"/>) go to every
/// server's collector (PUB to SUB) with a new UUID, so the backup of a pair can hold them on its pending list.
/// </summary>
/// <remarks>
/// A value set here shows in <see cref="Get"/> once the server has published it back (read-your-writes after one
/// round trip): a set the server never received (a crash in the failover window) is then never seen, and every replica
/// converges to the server's map. The public methods may be called from any thread.
/// </remarks>
public sealed class CloneClient : IDisposable
{
    private static long s_pipes;

    private readonly ZmqContext _context;
    private readonly IReadOnlyList<CloneServerAddress> _servers;
    private readonly CloneClientOptions _options;
    private readonly string _pipeEndpoint;
    private readonly ZmqSocket _wake;
    private readonly ZmqSocket _agentPipe;
    private readonly Thread _agent;
    private readonly ConcurrentQueue<KvMessage> _sets = new();
    private readonly ManualResetEventSlim _synced = new(false);
    private readonly object _mapLock = new();
    private Dictionary<string, byte[]> _map = new(StringComparer.Ordinal);
    private int _queued;
    private long _sequence;
    private int _current;
    private volatile bool _stopping;
    private bool _disposed;

    /// <summary>Creates the client and starts its agent, which connects to <paramref name="servers"/>[0] first.</summary>
    /// <param name="context">The context.</param>
    /// <param name="servers">The servers, in failover order (the Guide: a primary and a backup).</param>
    /// <param name="options">Settings; the Guide's by default.</param>
    public CloneClient(ZmqContext context, IReadOnlyList<CloneServerAddress> servers, CloneClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.Count == 0)
        {
            throw new ArgumentException("at least one server", nameof(servers));
        }

        _options = options ?? new CloneClientOptions();
        _options.Validate();
        _context = context;
        _servers = [.. servers];
        _pipeEndpoint = "inproc://zmqnative-clone-" + Interlocked.Increment(ref s_pipes).ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
        _agentPipe = context.CreateSocket(ZmqSocketType.Pair);
        _agentPipe.Bind(_pipeEndpoint);
        _wake = context.CreateSocket(ZmqSocketType.Pair);
        _wake.Linger = TimeSpan.Zero;
        _wake.SendHighWatermark = 1; // one pending wake-up is enough; more would only wake the agent for nothing
        _wake.Connect(_pipeEndpoint);
        _agent = new Thread(AgentLoop) { IsBackground = true, Name = "clone-agent" };
        _agent.Start();
    }

    /// <summary>The sequence number of the last update applied (or of the last snapshot).</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    /// <summary>The server the client follows now.</summary>
    public CloneServerAddress CurrentServer => _servers[Volatile.Read(ref _current)];

    /// <summary>Whether the client holds a snapshot from its current server (false while it fails over).</summary>
    public bool IsSynced => _synced.IsSet;

    /// <summary>Waits until the client holds a snapshot from a server.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>False when the timeout passed first.</returns>
    public bool WaitForSync(TimeSpan timeout) => _synced.Wait(timeout);

    /// <summary>Sends an update: the value for <paramref name="key"/>, optionally ephemeral (RFC 12's "ttl" property, in seconds).</summary>
    /// <param name="key">The key (1 to 255 UTF-8 bytes; within the subtree to see it come back).</param>
    /// <param name="value">The value, as UTF-8; empty deletes the key.</param>
    /// <param name="ttl">How long the value lives, or null for ever.</param>
    /// <returns>False when <see cref="CloneClientOptions.MaxQueuedSets"/> updates already wait for a collector.</returns>
    public bool Set(string key, string value, TimeSpan? ttl = null) => Set(key, Encoding.UTF8.GetBytes(value ?? throw new ArgumentNullException(nameof(value))), ttl);

    /// <summary>Sends an update with a binary value (see <see cref="Set(string, string, TimeSpan?)"/>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value; empty deletes the key.</param>
    /// <param name="ttl">How long the value lives, or null for ever.</param>
    /// <returns>False when too many updates wait for a collector.</returns>
    public bool Set(string key, ReadOnlySpan<byte> value, TimeSpan? ttl = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Dictionary<string, string>? properties = null;
        if (ttl is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t, TimeSpan.Zero, nameof(ttl));
            properties = new(StringComparer.Ordinal) { ["ttl"] = t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) };
        }

        var message = KvMessage.Create(key, value, 0, KvMessage.NewUuid(), properties);
        if (Interlocked.Increment(ref _queued) > _options.MaxQueuedSets)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }

        _sets.Enqueue(message);
        Wake();
        return true;
    }

    /// <summary>Deletes <paramref name="key"/> (an update with an empty value).</summary>
    /// <param name="key">The key.</param>
    /// <returns>False when too many updates wait for a collector.</returns>
    public bool Delete(string key) => Set(key, ReadOnlySpan<byte>.Empty);

    /// <summary>The value of <paramref name="key"/> in the replica, as UTF-8 text, or null.</summary>
    /// <param name="key">The key.</param>
    public string? Get(string key) => GetBytes(key) is { } value ? Encoding.UTF8.GetString(value) : null;

    /// <summary>The value of <paramref name="key"/> in the replica, or null.</summary>
    /// <param name="key">The key.</param>
    public byte[]? GetBytes(string key)
    {
        lock (_mapLock)
        {
            return _map.TryGetValue(key, out var value) ? value : null;
        }
    }

    /// <summary>A copy of the whole replica.</summary>
    public Dictionary<string, byte[]> Snapshot()
    {
        lock (_mapLock)
        {
            return new Dictionary<string, byte[]>(_map, StringComparer.Ordinal);
        }
    }

    /// <summary>Stops the agent and closes its sockets.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping = true;
        Wake();
        _agent.Join();
        _wake.Dispose();
        _synced.Dispose();
    }

    private void Wake()
    {
        lock (_wake)
        {
            if (!_wake.IsDisposed)
            {
                _wake.TrySend(ReadOnlySpan<byte>.Empty);
            }
        }
    }

    private void Report(CloneClientEventKind kind, long sequence = 0, string? key = null, int count = 0) =>
        _options.Observer?.Invoke(new CloneClientEvent(kind, _servers[_current], sequence, key, count));

    private static long Now() => TimeProvider.System.NowMilliseconds();

    private void AgentLoop()
    {
        using var agent = new Agent(this);
        try
        {
            agent.Run();
        }
        finally
        {
            _agentPipe.Dispose();
        }
    }

    /// <summary>The agent's state and sockets; lives on the agent thread only.</summary>
    private sealed class Agent(CloneClient owner) : IDisposable
    {
        private readonly CloneClient _owner = owner;
        private readonly ZmqSocket _publisher = owner._context.CreateSocket(ZmqSocketType.XPub);
        private ZmqSocket? _subscriber;
        private ZmqSocket? _snapshot;
        private Dictionary<string, byte[]>? _incoming;
        private Stage _stage;
        private long _expiry;
        private bool _collectorUp;

        private enum Stage
        {
            Subscribing,
            Syncing,
            Active,
        }

        private CloneClientOptions Options => _owner._options;

        private bool WholeMap => Options.Subtree.Length == 0;

        public void Run()
        {
            // An XPUB is a PUB on the wire; it also tells us when a collector has subscribed (XPUB_VERBOSE: every one), so
            // updates set before any server is connected wait here instead of being dropped by a PUB with no subscriber.
            _publisher.XPubVerbose = true;
            // ZMQ_XPUB_NODROP: when a collector's queue is full the send fails with EAGAIN instead of dropping the update,
            // which then waits in our bounded queue (MaxQueuedSets) and goes out when there is room.
            _publisher.XPubNoDrop = true;
            _publisher.Linger = TimeSpan.FromSeconds(1);
            foreach (var server in _owner._servers)
            {
                _publisher.Connect(server.Collector);
            }

            using var poller = new ZmqPoller();
            poller.Add(_owner._agentPipe, ZmqPollEvents.In);
            poller.Add(_publisher, ZmqPollEvents.In);
            Connect();
            while (!_owner._stopping)
            {
                if (_stage == Stage.Syncing && _snapshot is null)
                {
                    AskSnapshot(); // after a gap: the same server again
                }

                // Watch one of the two: while the snapshot comes in, updates wait in the subscriber's queue.
                var watched = _stage == Stage.Syncing ? _snapshot! : _subscriber!;
                var idle = _stage == Stage.Syncing ? _subscriber : _snapshot;
                if (idle is not null && poller.Contains(idle))
                {
                    poller.Remove(idle);
                }

                if (!poller.Contains(watched))
                {
                    poller.Add(watched, ZmqPollEvents.In);
                }

                long wait = Math.Clamp(_expiry - Now(), 0, _collectorUp && !_owner._sets.IsEmpty ? 5 : 100);
                poller.Wait(TimeSpan.FromMilliseconds(wait));
                if (poller.IsReady(_owner._agentPipe))
                {
                    while (_owner._agentPipe.TryReceive(Span<byte>.Empty, out _))
                    {
                    }
                }

                if (poller.IsReady(_publisher))
                {
                    while (_publisher.TryReceiveMultipart(TimeSpan.Zero, out var subscription))
                    {
                        // XPUB_VERBOSE passes every collector's subscribe (1); the unsubscribe (0) comes only when the last
                        // collector holding the subscription is gone (zmq_setsockopt(3), ZMQ_XPUB_VERBOSER unset): so the
                        // latest of them says whether any collector is connected now.
                        if (subscription.Count == 1 && subscription[0].Length > 0)
                        {
                            _collectorUp = subscription[0][0] == 1;
                        }
                    }
                }

                FlushSets();
                if (poller.IsReady(watched))
                {
                    if (watched == _snapshot)
                    {
                        ReadSnapshot();
                    }
                    else
                    {
                        ReadUpdates();
                    }
                }

                if (Now() >= _expiry)
                {
                    FailOver(poller);
                }

                if (_stage != Stage.Syncing && _snapshot is not null && poller.Contains(_snapshot))
                {
                    poller.Remove(_snapshot);
                    _snapshot.Dispose();
                    _snapshot = null;
                }
            }
        }

        public void Dispose()
        {
            _subscriber?.Dispose();
            _snapshot?.Dispose();
            _publisher.Dispose();
        }

        private void FlushSets()
        {
            while (_collectorUp && _owner._sets.TryPeek(out var set))
            {
                if (!_publisher.TrySendMultipart(set.ToFrames()))
                {
                    return; // a collector's queue is full: try again on the next turn of the loop
                }

                _owner._sets.TryDequeue(out _);
                Interlocked.Decrement(ref _owner._queued);
            }
        }

        private void Connect()
        {
            var server = _owner._servers[_owner._current];
            _owner.Report(CloneClientEventKind.Connecting);
            _subscriber = _owner._context.CreateSocket(ZmqSocketType.Sub);
            _subscriber.Linger = TimeSpan.Zero;
            _subscriber.ReceiveHighWatermark = Options.SubscriberHighWatermark;
            _subscriber.Subscribe(Options.Subtree);
            if (!WholeMap)
            {
                _subscriber.Subscribe(KvMessage.HeartbeatKey);
            }

            _subscriber.Connect(server.Publisher);
            _stage = Stage.Subscribing;
            _expiry = Now() + (long)Options.ServerTimeout.TotalMilliseconds;
        }

        private void AskSnapshot()
        {
            _snapshot = _owner._context.CreateSocket(ZmqSocketType.Dealer);
            _snapshot.Linger = TimeSpan.Zero;
            _snapshot.ReceiveHighWatermark = 0; // the snapshot is as large as the map, and we asked for it
            _snapshot.Connect(_owner._servers[_owner._current].Snapshot);
            _snapshot.SendMultipart([Encoding.UTF8.GetBytes(KvMessage.SnapshotRequest), Encoding.UTF8.GetBytes(Options.Subtree)]);
            _incoming = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            _stage = Stage.Syncing;
            _expiry = Now() + (long)Options.ServerTimeout.TotalMilliseconds;
        }

        private void ReadSnapshot()
        {
            for (int i = 0; i < 1024 && _snapshot!.TryReceiveMultipart(TimeSpan.Zero, out var frames); i++)
            {
                _expiry = Now() + (long)Options.ServerTimeout.TotalMilliseconds;
                if (!KvMessage.TryParse(frames, out var entry))
                {
                    _owner.Report(CloneClientEventKind.Dropped);
                    continue;
                }

                if (entry!.Key != KvMessage.SnapshotEndKey)
                {
                    if (!entry.IsDelete && entry.Key.StartsWith(Options.Subtree, StringComparison.Ordinal))
                    {
                        _incoming![entry.Key] = entry.Body;
                    }

                    continue;
                }

                lock (_owner._mapLock)
                {
                    _owner._map = _incoming!;
                    Interlocked.Exchange(ref _owner._sequence, entry.Sequence);
                }

                _stage = Stage.Active;
                _owner.Report(CloneClientEventKind.Synced, entry.Sequence, count: _incoming!.Count);
                _incoming = null;
                _owner._synced.Set();
                return;
            }
        }

        private void ReadUpdates()
        {
            for (int i = 0; i < 1024 && _subscriber!.TryReceiveMultipart(TimeSpan.Zero, out var frames); i++)
            {
                _expiry = Now() + (long)Options.ServerTimeout.TotalMilliseconds;
                if (_stage == Stage.Subscribing)
                {
                    // Our subscription delivers: whatever the server publishes from now on reaches us, so a snapshot taken
                    // after this cannot miss an update. This message itself is older than the snapshot.
                    AskSnapshot();
                    return;
                }

                if (!KvMessage.TryParse(frames, out var update))
                {
                    _owner.Report(CloneClientEventKind.Dropped);
                    continue;
                }

                long sequence = _owner.Sequence;
                if (update!.Key == KvMessage.HeartbeatKey)
                {
                    if (WholeMap && update.Sequence > sequence)
                    {
                        Resync(update.Sequence);
                        return;
                    }

                    continue;
                }

                if (update.Sequence <= sequence || !update.Key.StartsWith(Options.Subtree, StringComparison.Ordinal))
                {
                    continue; // at or below the snapshot, or already applied (RFC 12: strictly greater only)
                }

                if (WholeMap && update.Sequence != sequence + 1)
                {
                    Resync(update.Sequence);
                    return;
                }

                lock (_owner._mapLock)
                {
                    if (update.IsDelete)
                    {
                        _owner._map.Remove(update.Key);
                    }
                    else
                    {
                        _owner._map[update.Key] = update.Body;
                    }

                    Interlocked.Exchange(ref _owner._sequence, update.Sequence);
                }

                _owner.Report(CloneClientEventKind.Updated, update.Sequence, update.Key);
            }
        }

        private void Resync(long seen)
        {
            _owner.Report(CloneClientEventKind.Gap, seen);
            _stage = Stage.Syncing; // the loop asks the same server for a new snapshot
        }

        private void FailOver(ZmqPoller poller)
        {
            _owner.Report(CloneClientEventKind.FailingOver);
            _owner._synced.Reset();
            foreach (var socket in new[] { _subscriber, _snapshot })
            {
                if (socket is not null)
                {
                    if (poller.Contains(socket))
                    {
                        poller.Remove(socket);
                    }

                    socket.Dispose();
                }
            }

            _subscriber = null;
            _snapshot = null;
            Volatile.Write(ref _owner._current, (_owner._current + 1) % _owner._servers.Count);
            Connect();
        }
    }
}
