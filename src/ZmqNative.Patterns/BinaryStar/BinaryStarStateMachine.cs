namespace ZmqNative.Patterns.BinaryStar;

/// <summary>
/// The state of one Binary Star server (Guide chapter 4, "High-Availability Pair"). The numbers are
/// the wire: each server publishes its state to its peer as this number in text ("1".."4").
/// </summary>
public enum BinaryStarState
{
    /// <summary>Primary, waiting for its peer (or for a client vote once the peer has been silent for two heartbeats).</summary>
    Primary = 1,

    /// <summary>Backup, waiting for its peer; refuses every client request until the primary is heard active.</summary>
    Backup = 2,

    /// <summary>Active: serves client requests. The only way out is death (or a dual-active conflict).</summary>
    Active = 3,

    /// <summary>Passive: refuses client requests, and takes over when a client votes while the peer is silent.</summary>
    Passive = 4,
}

/// <summary>
/// An input of the Binary Star state machine: the state the peer announced (the same numbers as
/// <see cref="BinaryStarState"/>), or a client request (the "vote").
/// </summary>
public enum BinaryStarEvent
{
    /// <summary>The peer said it is a primary waiting for its peer ("1").</summary>
    PeerPrimary = 1,

    /// <summary>The peer said it is a backup waiting for its peer ("2").</summary>
    PeerBackup = 2,

    /// <summary>The peer said it is active ("3").</summary>
    PeerActive = 3,

    /// <summary>The peer said it is passive ("4").</summary>
    PeerPassive = 4,

    /// <summary>A client sent a request.</summary>
    ClientRequest = 5,
}

/// <summary>What applying one event did.</summary>
public enum BinaryStarOutcome
{
    /// <summary>The state changed (see <see cref="BinaryStarTransition.To"/>); a client request that caused it is served.</summary>
    Changed,

    /// <summary>Nothing changed: the event needs no action in this state (a client request in <see cref="BinaryStarState.Active"/> is served).</summary>
    Unchanged,

    /// <summary>A client request that must not be served: the server is a backup, or passive while its peer is alive.</summary>
    Refused,

    /// <summary>Both servers claim the same role (<see cref="BinaryStarTransition.Conflict"/>): fatal, the Guide aborts.</summary>
    Conflict,
}

/// <summary>The fatal situations the state machine detects: both servers in the same role.</summary>
public enum BinaryStarConflict
{
    /// <summary>No conflict.</summary>
    None,

    /// <summary>Both servers are active: split brain. The Guide: "fatal error - dual actives, aborting".</summary>
    DualActive,

    /// <summary>Both servers are passive: the pair would serve nobody. The Guide: "fatal error - dual passives, aborting".</summary>
    DualPassive,

    /// <summary>
    /// Both servers were started as primary (a configuration error the Guide's tables ignore; left alone, neither
    /// would ever serve, or both would once their link broke).
    /// </summary>
    DualPrimary,

    /// <summary>Both servers were started as backup (a configuration error: neither would ever serve).</summary>
    DualBackup,
}

/// <summary>The result of one event applied to the state machine.</summary>
/// <param name="Event">The event.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state after (equal to <paramref name="From"/> unless <paramref name="Outcome"/> is <see cref="BinaryStarOutcome.Changed"/>).</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Conflict">For <see cref="BinaryStarOutcome.Conflict"/>: which one.</param>
/// <param name="Description">The Guide's log line for it without its "I: "/"E: " prefix (e.g. "failover successful, ready as active"), or null when there is nothing to say.</param>
public readonly record struct BinaryStarTransition(
    BinaryStarEvent Event,
    BinaryStarState From,
    BinaryStarState To,
    BinaryStarOutcome Outcome,
    BinaryStarConflict Conflict,
    string? Description)
{
    /// <summary>True for a client request the server must answer (it is, or just became, active).</summary>
    public bool Serve => Event == BinaryStarEvent.ClientRequest && Outcome is BinaryStarOutcome.Changed or BinaryStarOutcome.Unchanged;

    /// <summary>True when the pair is in a fatal conflict.</summary>
    public bool IsConflict => Outcome == BinaryStarOutcome.Conflict;
}

/// <summary>
/// The Binary Star finite-state machine (Guide chapter 4, bstar.c), with no sockets: feed it the
/// peer's announced states and the clients' requests, and it says what to do. Time comes from an
/// injectable <see cref="TimeProvider"/>, so every transition can be tested without sleeping.
/// </summary>
/// <remarks>
/// <para>The table (the Guide's, with its reactor's rule for a primary that gets a client first):</para>
/// <list type="bullet">
/// <item><b>Primary</b>: peer backup → Active; peer active → Passive; peer passive → wait; client request → Active (and
/// served) only when the peer has been silent for two heartbeats, else refused (the backup may be active after a
/// failover); peer primary → conflict (two primaries).</item>
/// <item><b>Backup</b>: peer active → Passive; peer primary or passive → wait; client request → refused; peer backup →
/// conflict (two backups).</item>
/// <item><b>Active</b>: client request → served; peer primary, backup or passive → stay active (a restarting peer goes
/// passive when it hears us); peer active → conflict (dual actives, split brain).</item>
/// <item><b>Passive</b>: peer primary or backup → Active (the peer is restarting and will go passive); peer active → stay;
/// client request → Active and served when the peer has been silent for two heartbeats (the failover rule: the client's
/// vote plus the peer's silence), else refused; peer passive → conflict (dual passives).</item>
/// </list>
/// <para>"Silent for two heartbeats" is measured from the last <see cref="Apply"/> of a peer event (or the start, see
/// <see cref="ResetPeerExpiry"/>): the peer is dead once 2 x heartbeat has passed since.</para>
/// <para>Not thread-safe: the server loop owns it.</para>
/// </remarks>
public sealed class BinaryStarStateMachine
{
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly TimeSpan _peerTimeout;
    private TimeSpan _peerExpiry;

    /// <summary>Creates the machine in <see cref="BinaryStarState.Primary"/> or <see cref="BinaryStarState.Backup"/>; the peer clock starts now.</summary>
    /// <param name="primary">True for the primary server, false for the backup.</param>
    /// <param name="heartbeat">The heartbeat interval (the Guide's 1000 ms); the peer is dead after two silent ones. Must be the same on both servers.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public BinaryStarStateMachine(bool primary, TimeSpan heartbeat, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(heartbeat, TimeSpan.Zero);
        _time = time ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
        Heartbeat = heartbeat;
        _peerTimeout = heartbeat * 2;
        State = primary ? BinaryStarState.Primary : BinaryStarState.Backup;
        ResetPeerExpiry();
    }

    /// <summary>The current state.</summary>
    public BinaryStarState State { get; private set; }

    /// <summary>The heartbeat interval.</summary>
    public TimeSpan Heartbeat { get; }

    /// <summary>Whether the peer has been silent for two heartbeats (it is considered dead).</summary>
    public bool PeerExpired => Now() >= _peerExpiry;

    /// <summary>How long until the peer is considered dead, if it stays silent (zero when it already is).</summary>
    public TimeSpan PeerExpiresIn
    {
        get
        {
            var left = _peerExpiry - Now();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Restarts the peer clock as if the peer had just been heard (the Guide does this when the server starts).</summary>
    public void ResetPeerExpiry() => _peerExpiry = Now() + _peerTimeout;

    /// <summary>Turns a state message from the peer (the state number as text, "1".."4") into an event.</summary>
    /// <param name="frame">The message's one frame.</param>
    /// <param name="peerEvent">The event, when the frame is a valid state.</param>
    /// <returns>False for anything else (it must not count as a sign of life).</returns>
    public static bool TryParseState(ReadOnlySpan<byte> frame, out BinaryStarEvent peerEvent)
    {
        peerEvent = default;
        if (frame.Length != 1 || frame[0] < (byte)'1' || frame[0] > (byte)'4')
        {
            return false;
        }

        peerEvent = (BinaryStarEvent)(frame[0] - '0');
        return true;
    }

    /// <summary>The state as the one-frame message the Guide's servers publish ("1".."4").</summary>
    /// <param name="state">The state.</param>
    public static string FormatState(BinaryStarState state) => ((int)state).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Applies one event. A peer event also counts as a sign of life (the peer clock restarts), whatever
    /// the outcome. After a <see cref="BinaryStarOutcome.Conflict"/> the state does not change; the server
    /// must stop serving (the Guide aborts).
    /// </summary>
    /// <param name="e">The event.</param>
    /// <returns>What happened, with the Guide's log line.</returns>
    public BinaryStarTransition Apply(BinaryStarEvent e)
    {
        if (e is < BinaryStarEvent.PeerPrimary or > BinaryStarEvent.ClientRequest)
        {
            throw new ArgumentOutOfRangeException(nameof(e), e, "not a Binary Star event");
        }

        if (e != BinaryStarEvent.ClientRequest)
        {
            ResetPeerExpiry();
        }

        var from = State;
        var result = (from, e) switch
        {
            (BinaryStarState.Primary, BinaryStarEvent.PeerBackup) => To(BinaryStarState.Active, "connected to backup (passive), ready as active"),
            (BinaryStarState.Primary, BinaryStarEvent.PeerActive) => To(BinaryStarState.Passive, "connected to backup (active), ready as passive"),
            (BinaryStarState.Primary, BinaryStarEvent.PeerPrimary) => Fatal(BinaryStarConflict.DualPrimary, "fatal error - dual primaries, aborting"),
            (BinaryStarState.Primary, BinaryStarEvent.ClientRequest) => Vote("request from client, ready as active"),

            (BinaryStarState.Backup, BinaryStarEvent.PeerActive) => To(BinaryStarState.Passive, "connected to primary (active), ready as passive"),
            (BinaryStarState.Backup, BinaryStarEvent.PeerBackup) => Fatal(BinaryStarConflict.DualBackup, "fatal error - dual backups, aborting"),
            (BinaryStarState.Backup, BinaryStarEvent.ClientRequest) => Refuse(),

            (BinaryStarState.Active, BinaryStarEvent.PeerActive) => Fatal(BinaryStarConflict.DualActive, "fatal error - dual actives, aborting"),

            (BinaryStarState.Passive, BinaryStarEvent.PeerPrimary) => To(BinaryStarState.Active, "primary (passive) is restarting, ready as active"),
            (BinaryStarState.Passive, BinaryStarEvent.PeerBackup) => To(BinaryStarState.Active, "backup (passive) is restarting, ready as active"),
            (BinaryStarState.Passive, BinaryStarEvent.PeerPassive) => Fatal(BinaryStarConflict.DualPassive, "fatal error - dual passives, aborting"),
            (BinaryStarState.Passive, BinaryStarEvent.ClientRequest) => Vote("failover successful, ready as active"),

            // Everything else (a client request while active included) changes nothing.
            _ => (from, BinaryStarOutcome.Unchanged, BinaryStarConflict.None, (string?)null),
        };

        State = result.Item1;
        return new BinaryStarTransition(e, from, State, result.Item2, result.Item3, result.Item4);

        (BinaryStarState, BinaryStarOutcome, BinaryStarConflict, string?) To(BinaryStarState to, string text) =>
            (to, BinaryStarOutcome.Changed, BinaryStarConflict.None, text);

        (BinaryStarState, BinaryStarOutcome, BinaryStarConflict, string?) Fatal(BinaryStarConflict conflict, string text) =>
            (from, BinaryStarOutcome.Conflict, conflict, text);

        (BinaryStarState, BinaryStarOutcome, BinaryStarConflict, string?) Refuse() =>
            (from, BinaryStarOutcome.Refused, BinaryStarConflict.None, null);

        // The failover rule: a client's vote makes us active only when the peer has been silent for
        // two heartbeats; while it is alive it may be (or be about to become) the active one.
        (BinaryStarState, BinaryStarOutcome, BinaryStarConflict, string?) Vote(string text) =>
            PeerExpired ? To(BinaryStarState.Active, text) : Refuse();
    }

    private TimeSpan Now() => _time.GetElapsedTime(_origin);
}
