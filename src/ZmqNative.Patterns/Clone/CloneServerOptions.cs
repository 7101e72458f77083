namespace ZmqNative.Patterns.Clone;

/// <summary>How a <see cref="CloneServer"/> collects updates from clients.</summary>
public enum CloneCollectorType
{
    /// <summary>A SUB socket that clients PUB to (RFC 12/CHP, the Guide's model 6): a client can send to both servers of a pair at once.</summary>
    Sub,

    /// <summary>A PULL socket that clients PUSH to (the Guide's models 3 to 5).</summary>
    Pull,
}

/// <summary>Settings of a <see cref="CloneServer"/>; the defaults are the Guide's (clonesrv5/clonesrv6).</summary>
public sealed class CloneServerOptions
{
    /// <summary>How clients send updates: <see cref="CloneCollectorType.Sub"/> (RFC 12) by default.</summary>
    public CloneCollectorType Collector { get; set; } = CloneCollectorType.Sub;

    /// <summary>How often the active server publishes HUGZ (RFC 12: "e.g. once per second"); clients fail over on silence.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often expired ephemeral values (the "ttl" property) are deleted and the delete published: the Guide's 1 s.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The publisher's high-water mark per subscriber (ZMQ_SNDHWM). A PUB socket drops updates for a subscriber whose
    /// queue is full (zmq_socket(3)), which a client sees as a gap; this is larger than libzmq's 1000 so a client reading
    /// a large snapshot does not lose the updates published meanwhile. Bounds the memory a slow subscriber can cost.
    /// </summary>
    public int PublisherHighWatermark { get; set; } = 100_000;

    /// <summary>
    /// At most this many snapshots are being sent at once (each holds references to the map's entries at the time of its
    /// request). A snapshot request beyond it is dropped, and the client asks again after its timeout.
    /// </summary>
    public int MaxSnapshotsInFlight { get; set; } = 64;

    /// <summary>The largest value accepted from a client, in bytes; larger updates are dropped (ZMQ_MAXMSGSIZE bounds each frame too).</summary>
    public int MaxValueBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Pair mode: the backup's pending list (updates from clients not yet seen from the active, and the active's updates
    /// whose client copy has not arrived yet) holds at most this many; when full the oldest is dropped. See docs/clone.md.
    /// </summary>
    public int MaxPending { get; set; } = 10_000;

    /// <summary>Pair mode: the Binary Star heartbeat (the peer is dead after two silent ones): the Guide's 1000 ms. Same on both servers.</summary>
    public TimeSpan PairHeartbeat { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Pair mode: how long a passive server waits for the active's snapshot before giving up (it asks again on the next update).</summary>
    public TimeSpan PeerSnapshotTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock of TTLs, heartbeats and the Binary Star state machine; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Called on the server's thread for everything it does (see <see cref="CloneServerEvent"/>). Keep it short.</summary>
    public Action<CloneServerEvent>? Observer { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FlushInterval, TimeSpan.Zero, nameof(FlushInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PairHeartbeat, TimeSpan.Zero, nameof(PairHeartbeat));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PeerSnapshotTimeout, TimeSpan.Zero, nameof(PeerSnapshotTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(PublisherHighWatermark, nameof(PublisherHighWatermark));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSnapshotsInFlight, 1, nameof(MaxSnapshotsInFlight));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxValueBytes, 1, nameof(MaxValueBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPending, 1, nameof(MaxPending));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}

/// <summary>The Binary Star side of a <see cref="CloneServer"/> pair (Guide chapter 5, model 6).</summary>
/// <param name="Primary">True for the primary, false for the backup.</param>
/// <param name="LocalState">Where this server publishes its Binary Star state (the Guide: tcp://*:5003 primary, tcp://*:5004 backup).</param>
/// <param name="RemoteState">Where the peer publishes its state (tcp://localhost:5004 / 5003).</param>
/// <param name="PeerSnapshot">The peer's snapshot endpoint, asked for the map on becoming passive (tcp://localhost:5566 / 5556).</param>
/// <param name="PeerPublisher">The peer's publisher, whose updates a passive server follows (tcp://localhost:5567 / 5557).</param>
public sealed record CloneServerPair(bool Primary, string LocalState, string RemoteState, string PeerSnapshot, string PeerPublisher);

/// <summary>What a <see cref="CloneServer"/> reports.</summary>
public enum CloneServerEventKind
{
    /// <summary>A snapshot request was answered: <see cref="CloneServerEvent.Sequence"/> is the KTHXBAI's, <see cref="CloneServerEvent.Count"/> the entries sent.</summary>
    SnapshotSent,

    /// <summary>A snapshot request was dropped: malformed, too many in flight, or refused by the Binary Star state machine (<see cref="CloneServerEvent.Detail"/>).</summary>
    SnapshotRefused,

    /// <summary>An update from a client was sequenced and published (<see cref="CloneServerEvent.Sequence"/>, <see cref="CloneServerEvent.Key"/>).</summary>
    Published,

    /// <summary>An ephemeral value expired; its delete was published.</summary>
    Expired,

    /// <summary>On becoming active, an update from the pending list was published.</summary>
    PublishedPending,

    /// <summary>A malformed or oversized message was dropped (<see cref="CloneServerEvent.Detail"/> says from where).</summary>
    Dropped,

    /// <summary>The pending list was full; its oldest entry was dropped.</summary>
    PendingDropped,

    /// <summary>A passive server held a client's update on its pending list.</summary>
    Pending,

    /// <summary>A passive server asked the active for its snapshot (<see cref="CloneServerEvent.Detail"/>: the endpoint).</summary>
    AskingPeerSnapshot,

    /// <summary>A passive server received the active's snapshot (<see cref="CloneServerEvent.Sequence"/>), or gave up waiting (<see cref="CloneServerEvent.Count"/> -1).</summary>
    ReceivedPeerSnapshot,

    /// <summary>A passive server applied an update from the active (<see cref="CloneServerEvent.Sequence"/>).</summary>
    ReceivedPeerUpdate,

    /// <summary>A Binary Star transition (<see cref="CloneServerEvent.Detail"/>: the Guide's log line).</summary>
    Transition,
}

/// <summary>One thing a <see cref="CloneServer"/> did.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Sequence">The sequence number concerned.</param>
/// <param name="Key">The key concerned, if any.</param>
/// <param name="Count">A count (entries in a snapshot, size of the pending list).</param>
/// <param name="Detail">Text for logs.</param>
public readonly record struct CloneServerEvent(CloneServerEventKind Kind, long Sequence = 0, string? Key = null, int Count = 0, string? Detail = null);
