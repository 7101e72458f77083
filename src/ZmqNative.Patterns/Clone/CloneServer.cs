using System.Text;
using ZmqNative.Patterns.BinaryStar;
using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Clone;

/// <summary>
/// The Clone server (Guide chapter 5; RFC 12/CHP): a key-value map that clients replicate. Three sockets: a ROUTER
/// answering ICANHAZ? with the map (KVSYNC...) and a KTHXBAI carrying the sequence number; a PUB publishing every
/// update (KVPUB) with a new sequence number, and HUGZ when idle; a collector (SUB by default, or PULL) taking clients'
/// updates (KVSET). Keys are filtered by subtree (a key prefix) in snapshots; clients subscribe to theirs. A "ttl"
/// property makes a value ephemeral: it is deleted, and the delete published, when it expires.
/// </summary>
/// <remarks>
/// <para>Pair mode (<see cref="CloneServerPair"/>; the Guide's clonesrv6): two servers run the Binary Star state
/// machine (<see cref="BinaryStarStateMachine"/>) over their state sockets, with snapshot requests as the clients' votes.
/// The passive one follows the active's publisher (fetching its snapshot first) and keeps the clients' updates on a
/// pending list until it sees them, by UUID, from the active. On failover it publishes what is still pending, then serves.</para>
/// <para>Hostile input is normal input: malformed messages are dropped (<see cref="CloneServerEventKind.Dropped"/>), a
/// snapshot goes out without blocking the loop (ZMQ_ROUTER_MANDATORY, resumed when the peer's queue has room), and every
/// queue is bounded (<see cref="CloneServerOptions"/>). The server's sockets are used by the thread that calls
/// <see cref="Run"/> only; create, run and dispose it in that order.</para>
/// </remarks>
public sealed class CloneServer : IDisposable
{
    /// <summary>The Guide's port for a single server's snapshot socket; the publisher is on the next port, the collector on the one after.</summary>
    public const int DefaultPort = 5556;

    /// <summary>The Guide's port of the backup's snapshot socket in a pair (clonesrv6).</summary>
    public const int DefaultBackupPort = 5566;

    private const int DrainBatch = 256; // messages read from one socket per loop turn, so no socket starves the others

    private readonly ZmqContext _context;
    private readonly CloneServerOptions _options;
    private readonly CloneServerPair? _pair;
    private readonly ZmqSocket _snapshot;
    private readonly ZmqSocket _publisher;
    private readonly ZmqSocket _collector;
    private readonly ZmqSocket? _statePub;
    private readonly ZmqSocket? _stateSub;
    private readonly ZmqSocket? _subscriber;
    private readonly BinaryStarStateMachine? _fsm;
    private readonly Queue<SnapshotCursor> _snapshots = new();
    private readonly LinkedList<PendingUpdate> _pending = new();
    private readonly Dictionary<Guid, LinkedListNode<PendingUpdate>> _pendingByUuid = [];
    private Dictionary<string, Entry>? _map;
    private long _sequence;
    private int _ephemeral;
    private bool _active;
    private bool _disposed;

    /// <summary>Creates a single server and binds its three sockets (port, port + 1, port + 2 in the Guide's layout).</summary>
    /// <param name="context">The context.</param>
    /// <param name="snapshotEndpoint">Where to bind the snapshot ROUTER (the Guide: tcp://*:5556).</param>
    /// <param name="publisherEndpoint">Where to bind the update PUB (tcp://*:5557).</param>
    /// <param name="collectorEndpoint">Where to bind the collector (tcp://*:5558).</param>
    /// <param name="options">Settings; the Guide's by default.</param>
    public CloneServer(ZmqContext context, string snapshotEndpoint, string publisherEndpoint, string collectorEndpoint, CloneServerOptions? options = null)
        : this(context, snapshotEndpoint, publisherEndpoint, collectorEndpoint, null, options)
    {
    }

    /// <summary>Creates one server of a Binary Star pair (or a single server when <paramref name="pair"/> is null) and binds its sockets.</summary>
    /// <param name="context">The context.</param>
    /// <param name="snapshotEndpoint">Where to bind the snapshot ROUTER (the Guide: tcp://*:5556 primary, tcp://*:5566 backup).</param>
    /// <param name="publisherEndpoint">Where to bind the update PUB (5557 / 5567).</param>
    /// <param name="collectorEndpoint">Where to bind the collector (5558 / 5568).</param>
    /// <param name="pair">The pair's settings, or null for a single server.</param>
    /// <param name="options">Settings; the Guide's by default.</param>
    public CloneServer(ZmqContext context, string snapshotEndpoint, string publisherEndpoint, string collectorEndpoint, CloneServerPair? pair, CloneServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = options ?? new CloneServerOptions();
        _options.Validate();
        _context = context;
        _pair = pair;
        var sockets = new List<ZmqSocket>();
        try
        {
            _snapshot = Track(sockets, context.CreateSocket(ZmqSocketType.Router));
            // A snapshot is sent without blocking: EAGAIN (not a silent drop) when the client's queue is full.
            _snapshot.RouterMandatory = true;
            _snapshot.Bind(snapshotEndpoint);
            _publisher = Track(sockets, context.CreateSocket(ZmqSocketType.Pub));
            _publisher.SendHighWatermark = _options.PublisherHighWatermark;
            _publisher.Bind(publisherEndpoint);
            _collector = Track(sockets, context.CreateSocket(_options.Collector == CloneCollectorType.Sub ? ZmqSocketType.Sub : ZmqSocketType.Pull));
            // ZMQ_MAXMSGSIZE: a peer sending a larger frame is disconnected before we buffer it (zmq_setsockopt(3)).
            _collector.MaxMessageSize = _options.MaxValueBytes + KvMessage.MaxPropertiesBytes;
            if (_options.Collector == CloneCollectorType.Sub)
            {
                _collector.Subscribe(string.Empty);
            }

            _collector.Bind(collectorEndpoint);
            if (pair is null)
            {
                _active = true;
                _map = new Dictionary<string, Entry>(StringComparer.Ordinal);
            }
            else
            {
                _statePub = Track(sockets, context.CreateSocket(ZmqSocketType.Pub));
                _statePub.Bind(pair.LocalState);
                _stateSub = Track(sockets, context.CreateSocket(ZmqSocketType.Sub));
                _stateSub.Subscribe(string.Empty);
                _stateSub.Connect(pair.RemoteState);
                _subscriber = Track(sockets, context.CreateSocket(ZmqSocketType.Sub));
                _subscriber.ReceiveHighWatermark = _options.PublisherHighWatermark;
                _subscriber.Subscribe(string.Empty);
                _subscriber.Connect(pair.PeerPublisher);
                _fsm = new BinaryStarStateMachine(pair.Primary, _options.PairHeartbeat, _options.TimeProvider);
                // The primary starts with a map and serves first; the backup gets its map from the active (Guide, clonesrv6).
                _map = pair.Primary ? new Dictionary<string, Entry>(StringComparer.Ordinal) : null;
            }
        }
        catch
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            throw;
        }

        SnapshotEndpoint = _snapshot.LastEndpoint;
        PublisherEndpoint = _publisher.LastEndpoint;
        CollectorEndpoint = _collector.LastEndpoint;
    }

    /// <summary>The snapshot socket's bound endpoint (the port libzmq chose, for a "*" port).</summary>
    public string SnapshotEndpoint { get; }

    /// <summary>The publisher's bound endpoint.</summary>
    public string PublisherEndpoint { get; }

    /// <summary>The collector's bound endpoint.</summary>
    public string CollectorEndpoint { get; }

    /// <summary>The last sequence number published or seen (read from another thread it may be a little behind).</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    /// <summary>Whether this server is serving: always for a single server, only when active for one of a pair.</summary>
    public bool IsActive => Volatile.Read(ref _active);

    /// <summary>
    /// Serves as <see cref="Run"/> does (once per server), on a dedicated thread of its own (not a thread-pool thread), and returns a task for its end:
    /// the loop waits on several sockets with a poller, which has no awaitable form (docs/patterns.md).
    /// </summary>
    /// <param name="cancellationToken">Stops the loop as it stops <see cref="Run"/>; the task then completes normally.</param>
    /// <returns>A task that completes when the loop has stopped (what the run opened is closed), or faults with what
    /// ended it otherwise (<see cref="ContextTerminatedException"/> when the context shut down, or a failure of the loop).</returns>
    public Task RunAsync(CancellationToken cancellationToken = default)
    {
        return LoopThread.RunAsync("CloneServer", Run, cancellationToken);
    }

    /// <summary>
    /// Serves until <paramref name="cancellation"/> is cancelled (checked at least every 100 ms). Call once, on the thread
    /// that owns the server. In pair mode a conflict (dual actives, two primaries...) ends it with a
    /// <see cref="BinaryStarConflictException"/>, as the Guide aborts.
    /// </summary>
    /// <param name="cancellation">Stops the server.</param>
    public void Run(CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var poller = new ZmqPoller();
        poller.Add(_snapshot, ZmqPollEvents.In);
        poller.Add(_collector, ZmqPollEvents.In);
        if (_stateSub is not null)
        {
            poller.Add(_stateSub, ZmqPollEvents.In);
            _fsm!.ResetPeerExpiry();
            SendState();
        }

        long hugzAt = Now() + Ms(_options.HeartbeatInterval);
        long flushAt = Now() + Ms(_options.FlushInterval);
        long stateAt = Now() + Ms(_options.PairHeartbeat);
        bool following = false;
        while (!cancellation.IsCancellationRequested)
        {
            bool shouldFollow = _pair is not null && !_active && _fsm!.State == BinaryStarState.Passive;
            if (shouldFollow != following)
            {
                if (shouldFollow)
                {
                    poller.Add(_subscriber!, ZmqPollEvents.In);
                }
                else
                {
                    poller.Remove(_subscriber!);
                }

                following = shouldFollow;
            }

            long next = Math.Min(hugzAt, flushAt);
            if (_pair is not null)
            {
                next = Math.Min(next, stateAt);
            }

            long wait = Math.Clamp(next - Now(), 0, 100);
            if (_snapshots.Count > 0)
            {
                wait = Math.Min(wait, 5); // a snapshot waits for room in a client's queue: look again soon
            }

            poller.Wait(TimeSpan.FromMilliseconds(wait));

            // The peer's state first: if it just went active its word must count before a client's vote (Guide, bstar.c).
            if (_stateSub is not null && poller.IsReady(_stateSub))
            {
                Drain(_stateSub, OnPeerState);
            }

            if (poller.IsReady(_snapshot))
            {
                Drain(_snapshot, OnSnapshotRequest);
            }

            if (poller.IsReady(_collector))
            {
                Drain(_collector, OnClientUpdate);
            }

            if (following && poller.IsReady(_subscriber!))
            {
                Drain(_subscriber!, OnPeerUpdate);
            }

            PumpSnapshots();
            long now = Now();
            if (_pair is not null && now >= stateAt)
            {
                SendState();
                stateAt = now + Ms(_options.PairHeartbeat);
            }

            if (now >= hugzAt)
            {
                // HUGZ carries the current sequence number, as the Guide's servers send it: a client that subscribes to
                // everything can tell from it that it missed an update. A passive server sends them too (clonesrv6 does):
                // a failing-over client waits for its subscription to deliver before it asks for the snapshot that is
                // its vote, so silence here would leave the pair without an active server.
                _publisher.TrySendMultipart(KvMessage.ControlFrames(KvMessage.HeartbeatKey, _sequence, string.Empty));

                hugzAt = now + Ms(_options.HeartbeatInterval);
            }

            if (now >= flushAt)
            {
                FlushExpired();
                flushAt = now + Ms(_options.FlushInterval);
            }
        }
    }

    /// <summary>Closes the sockets (after <see cref="Run"/> has returned).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _snapshot.Dispose();
        _publisher.Dispose();
        _collector.Dispose();
        _statePub?.Dispose();
        _stateSub?.Dispose();
        _subscriber?.Dispose();
    }

    private static ZmqSocket Track(List<ZmqSocket> sockets, ZmqSocket socket)
    {
        sockets.Add(socket);
        return socket;
    }

    private static long Ms(TimeSpan span) => Math.Max(1, (long)span.TotalMilliseconds);

    private static bool InSubtree(string key, string subtree) => key.StartsWith(subtree, StringComparison.Ordinal);

    private long Now() => _options.TimeProvider.NowMilliseconds();

    private void Report(CloneServerEventKind kind, long sequence = 0, string? key = null, int count = 0, string? detail = null) =>
        _options.Observer?.Invoke(new CloneServerEvent(kind, sequence, key, count, detail));

    private static void Drain(ZmqSocket socket, Action<List<byte[]>> handle)
    {
        for (int i = 0; i < DrainBatch && socket.TryReceiveMultipart(TimeSpan.Zero, out var frames); i++)
        {
            handle(frames);
        }
    }

    private void SendState() => _statePub!.TrySend(BinaryStarStateMachine.FormatState(_fsm!.State));

    private void OnPeerState(List<byte[]> frames)
    {
        if (frames.Count != 1 || !BinaryStarStateMachine.TryParseState(frames[0], out var peer))
        {
            Report(CloneServerEventKind.Dropped, detail: "state socket: not a Binary Star state");
            return;
        }

        Transition(_fsm!.Apply(peer));
    }

    private void Transition(BinaryStarTransition t)
    {
        if (t.Description is not null)
        {
            Report(CloneServerEventKind.Transition, _sequence, detail: t.Description);
        }

        if (t.IsConflict)
        {
            throw new BinaryStarConflictException(t);
        }

        if (t.Outcome != BinaryStarOutcome.Changed)
        {
            return;
        }

        SendState();
        if (t.To == BinaryStarState.Active)
        {
            BecomeActive();
        }
        else if (t.To == BinaryStarState.Passive)
        {
            BecomePassive();
        }
    }

    private void BecomeActive()
    {
        Volatile.Write(ref _active, true);
        _map ??= new Dictionary<string, Entry>(StringComparer.Ordinal);
        // Publish what clients sent us that the old active never published (as far as we saw). The active's own updates
        // we kept only to recognise the clients' copies: they are in the map already and must not be replayed, or an
        // older value could overwrite a newer one.
        foreach (var held in _pending)
        {
            if (!held.FromActive)
            {
                var published = Apply(held.Message);
                Report(CloneServerEventKind.PublishedPending, published.Sequence, published.Key);
            }
        }

        _pending.Clear();
        _pendingByUuid.Clear();
    }

    private void BecomePassive()
    {
        Volatile.Write(ref _active, false);
        _map = null; // the active's snapshot replaces it on its first update or HUGZ (Guide, clonesrv6)
        _ephemeral = 0;
    }

    private void OnSnapshotRequest(List<byte[]> frames)
    {
        // [identity]["ICANHAZ?"][subtree]; models 2 and 3 of the Guide send no subtree frame.
        if (frames.Count is < 2 or > 3 || frames[1].AsSpan().SequenceEqual("ICANHAZ?"u8) is false || (frames.Count == 3 && frames[2].Length > KvMessage.MaxKeyBytes))
        {
            Report(CloneServerEventKind.SnapshotRefused, detail: "malformed request");
            return;
        }

        string subtree;
        try
        {
            subtree = frames.Count == 3 ? new UTF8Encoding(false, true).GetString(frames[2]) : string.Empty;
        }
        catch (DecoderFallbackException)
        {
            Report(CloneServerEventKind.SnapshotRefused, detail: "subtree is not UTF-8");
            return;
        }

        if (_fsm is not null)
        {
            var t = _fsm.Apply(BinaryStarEvent.ClientRequest);
            Transition(t);
            if (!t.Serve)
            {
                Report(CloneServerEventKind.SnapshotRefused, detail: "refused while " + _fsm.State);
                return;
            }
        }

        if (_snapshots.Count >= _options.MaxSnapshotsInFlight || _map is null)
        {
            Report(CloneServerEventKind.SnapshotRefused, detail: _map is null ? "no map yet" : "too many snapshots in flight");
            return;
        }

        // The entries as they are now, with the sequence number they add up to: later updates reach the client through
        // its subscription, which it opened before asking (RFC 12), and it drops those at or below this number.
        var entries = _map.Values.Where(e => InSubtree(e.Message.Key, subtree)).Select(e => e.Frames).ToArray();
        _snapshots.Enqueue(new SnapshotCursor(frames[0], entries, _sequence, subtree));
    }

    private void PumpSnapshots()
    {
        int count = _snapshots.Count;
        for (int i = 0; i < count; i++)
        {
            var cursor = _snapshots.Dequeue();
            bool keep;
            try
            {
                keep = !Pump(cursor);
            }
            catch (ZmqException e) when (e.Error == ZmqErrorCode.EHOSTUNREACH)
            {
                keep = false; // the client went away: forget its snapshot
            }

            if (keep)
            {
                _snapshots.Enqueue(cursor);
            }
        }
    }

    private bool Pump(SnapshotCursor cursor)
    {
        while (cursor.Next < cursor.Entries.Length)
        {
            if (!_snapshot.TrySendMultipart(Routed(cursor.Identity, cursor.Entries[cursor.Next])))
            {
                return false;
            }

            cursor.Next++;
        }

        if (!_snapshot.TrySendMultipart(Routed(cursor.Identity, KvMessage.ControlFrames(KvMessage.SnapshotEndKey, cursor.Sequence, cursor.Subtree))))
        {
            return false;
        }

        Report(CloneServerEventKind.SnapshotSent, cursor.Sequence, count: cursor.Entries.Length);
        return true;
    }

    private static List<byte[]> Routed(byte[] identity, List<byte[]> frames)
    {
        var routed = new List<byte[]>(frames.Count + 1) { identity };
        routed.AddRange(frames);
        return routed;
    }

    private void OnClientUpdate(List<byte[]> frames)
    {
        if (!KvMessage.TryParse(frames, out var update) || update!.Body.Length > _options.MaxValueBytes
            || update.Key is KvMessage.HeartbeatKey or KvMessage.SnapshotEndKey)
        {
            Report(CloneServerEventKind.Dropped, detail: "collector: malformed update");
            return;
        }

        if (_active)
        {
            var published = Apply(update);
            Report(CloneServerEventKind.Published, published.Sequence, published.Key);
            return;
        }

        // Passive (or not yet active): if the active already published it, we are done; else hold it for a failover.
        if (!RemovePending(update.Uuid, heldFromActive: true))
        {
            AddPending(new PendingUpdate(update, FromActive: false));
            Report(CloneServerEventKind.Pending, key: update.Key, count: _pending.Count);
        }
    }

    private void OnPeerUpdate(List<byte[]> frames)
    {
        if (!KvMessage.TryParse(frames, out var update))
        {
            Report(CloneServerEventKind.Dropped, detail: "subscriber: malformed update");
            return;
        }

        if (_map is null && !FetchPeerSnapshot())
        {
            return; // asked again on the next update or HUGZ
        }

        if (update!.Key == KvMessage.HeartbeatKey)
        {
            return;
        }

        // If the client's copy has not arrived yet, keep the active's, to recognise the client's when it comes.
        if (!RemovePending(update.Uuid, heldFromActive: false) && update.Uuid.Length == 16)
        {
            AddPending(new PendingUpdate(update, FromActive: true));
        }

        if (update.Sequence > _sequence)
        {
            Store(update);
            Interlocked.Exchange(ref _sequence, update.Sequence);
            Report(CloneServerEventKind.ReceivedPeerUpdate, update.Sequence, update.Key);
        }
    }

    private bool FetchPeerSnapshot()
    {
        // The Guide asks synchronously; we do too, but never wait longer than PeerSnapshotTimeout.
        Report(CloneServerEventKind.AskingPeerSnapshot, detail: _pair!.PeerSnapshot);
        using var dealer = _context.CreateSocket(ZmqSocketType.Dealer);
        dealer.Linger = TimeSpan.Zero;
        dealer.ReceiveHighWatermark = 0; // a whole snapshot is expected here, and nothing else reads this socket
        dealer.Connect(_pair.PeerSnapshot);
        dealer.SendMultipart([Encoding.UTF8.GetBytes(KvMessage.SnapshotRequest), []]);
        var map = new Dictionary<string, Entry>(StringComparer.Ordinal);
        long deadline = Now() + Ms(_options.PeerSnapshotTimeout);
        while (true)
        {
            long left = deadline - Now();
            if (left <= 0 || !dealer.TryReceiveMultipart(TimeSpan.FromMilliseconds(left), out var frames))
            {
                Report(CloneServerEventKind.ReceivedPeerSnapshot, count: -1, detail: "no snapshot from the active in time");
                return false;
            }

            if (!KvMessage.TryParse(frames, out var entry))
            {
                continue;
            }

            if (entry!.Key == KvMessage.SnapshotEndKey)
            {
                _map = map;
                _ephemeral = map.Values.Count(e => e.Expiry != 0);
                Interlocked.Exchange(ref _sequence, entry.Sequence);
                Report(CloneServerEventKind.ReceivedPeerSnapshot, entry.Sequence, count: map.Count);
                return true;
            }

            if (!entry.IsDelete)
            {
                map[entry.Key] = NewEntry(entry);
            }
        }
    }

    private KvMessage Apply(KvMessage update)
    {
        long sequence = Interlocked.Increment(ref _sequence);
        var published = update.WithSequence(sequence);
        var entry = NewEntry(published);
        // PUB never blocks: a subscriber whose queue is full loses this update (zmq_socket(3)); see PublisherHighWatermark.
        _publisher.TrySendMultipart(entry.Frames);
        Store(published, entry);
        return published;
    }

    private Entry NewEntry(KvMessage message)
    {
        // Wall-clock time only to read a Guide server's absolute expiry in a peer snapshot; expiry runs on Now().
        var ttl = message.TimeToLive(_options.TimeProvider.GetUtcNow());
        long expiry = ttl is null ? 0 : Now() + Ms(ttl.Value);
        return new Entry(message, message.ToFrames(), expiry);
    }

    private void Store(KvMessage message, Entry? entry = null)
    {
        var map = _map!;
        if (map.Remove(message.Key, out var old) && old.Expiry != 0)
        {
            _ephemeral--;
        }

        if (!message.IsDelete)
        {
            entry ??= NewEntry(message);
            map[message.Key] = entry;
            if (entry.Expiry != 0)
            {
                _ephemeral++;
            }
        }
    }

    private void FlushExpired()
    {
        if (!_active || _map is null || _ephemeral == 0)
        {
            return;
        }

        long now = Now();
        var expired = _map.Values.Where(e => e.Expiry != 0 && e.Expiry <= now).Select(e => e.Message).ToList();
        foreach (var message in expired)
        {
            var published = Apply(message.AsDelete(0));
            Report(CloneServerEventKind.Expired, published.Sequence, published.Key);
        }
    }

    private bool RemovePending(byte[] uuid, bool heldFromActive)
    {
        // Only the other side's copy matches: a client's update cancels the active's copy and the other way round.
        if (uuid.Length != 16 || !_pendingByUuid.TryGetValue(new Guid(uuid), out var node) || node.Value.FromActive != heldFromActive)
        {
            return false;
        }

        _pendingByUuid.Remove(new Guid(uuid));
        _pending.Remove(node);
        return true;
    }

    private void AddPending(PendingUpdate update)
    {
        if (_pending.Count >= _options.MaxPending)
        {
            // Drop the oldest: most likely an active's update whose client copy never reached us (a client that only
            // talks to the active), which is in our map already. See docs/clone.md for what a dropped client update costs.
            var oldest = _pending.First!;
            _pending.RemoveFirst();
            if (oldest.Value.Message.Uuid.Length == 16)
            {
                _pendingByUuid.Remove(new Guid(oldest.Value.Message.Uuid));
            }

            Report(CloneServerEventKind.PendingDropped, key: oldest.Value.Message.Key, count: _pending.Count);
        }

        var node = _pending.AddLast(update);
        if (update.Message.Uuid.Length == 16)
        {
            var id = new Guid(update.Message.Uuid);
            if (_pendingByUuid.Remove(id, out var duplicate))
            {
                _pending.Remove(duplicate); // the same UUID twice: keep the newest only
            }

            _pendingByUuid[id] = node;
        }
    }

    private sealed record Entry(KvMessage Message, List<byte[]> Frames, long Expiry);

    private sealed record PendingUpdate(KvMessage Message, bool FromActive);

    private sealed class SnapshotCursor(byte[] identity, List<byte[]>[] entries, long sequence, string subtree)
    {
        public byte[] Identity { get; } = identity;

        public List<byte[]>[] Entries { get; } = entries;

        public long Sequence { get; } = sequence;

        public string Subtree { get; } = subtree;

        public int Next { get; set; }
    }
}
