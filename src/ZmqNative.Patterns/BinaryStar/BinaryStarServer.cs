using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.BinaryStar;

/// <summary>Settings of a <see cref="BinaryStarServer"/>; the defaults are the Guide's (bstar.c).</summary>
public sealed class BinaryStarServerOptions
{
    /// <summary>
    /// How often the server publishes its state to its peer: the Guide's BSTAR_HEARTBEAT, 1000 ms. The peer is
    /// dead after two silent ones, so this also sets the failover time. Must be the same on both servers.
    /// </summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>The clock of the heartbeats and of the state machine's peer expiry; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Called on the server's thread for transitions, conflicts, refused requests and state messages (see <see cref="BinaryStarServerEvent"/>).</summary>
    public Action<BinaryStarServerEvent>? Observer { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Heartbeat, TimeSpan.Zero, nameof(Heartbeat));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}

/// <summary>What a <see cref="BinaryStarServer"/> reports to its observer.</summary>
public enum BinaryStarServerEventKind
{
    /// <summary>The state changed, or a conflict was detected (<see cref="BinaryStarServerEvent.Transition"/>).</summary>
    Transition,

    /// <summary>A client request was dropped unanswered: the server is a backup, or passive while its peer lives (<see cref="BinaryStarServerEvent.Frames"/>).</summary>
    RequestRefused,

    /// <summary>Our state went to the peer (<see cref="BinaryStarServerEvent.State"/>).</summary>
    StateSent,

    /// <summary>The peer's state came in (<see cref="BinaryStarServerEvent.State"/>).</summary>
    StateReceived,

    /// <summary>Something that is not a state ("1".."4") came in on the state socket (<see cref="BinaryStarServerEvent.Frames"/>); ignored.</summary>
    InvalidStateMessage,
}

/// <summary>One thing a <see cref="BinaryStarServer"/> did or saw. Observers run inside the server's loop: keep them short.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Transition">For <see cref="BinaryStarServerEventKind.Transition"/> and <see cref="BinaryStarServerEventKind.RequestRefused"/>: the state machine's verdict.</param>
/// <param name="State">For state messages: the state sent or received.</param>
/// <param name="Frames">The message concerned, if any (do not modify).</param>
public readonly record struct BinaryStarServerEvent(
    BinaryStarServerEventKind Kind,
    BinaryStarTransition Transition = default,
    BinaryStarState State = default,
    IReadOnlyList<byte[]>? Frames = null);

/// <summary>Thrown by <see cref="BinaryStarServer.Run"/> when both servers claim the same role (the Guide aborts there).</summary>
public sealed class BinaryStarConflictException : Exception
{
    /// <summary>Creates the exception for a conflicting transition.</summary>
    /// <param name="transition">The state machine's verdict.</param>
    public BinaryStarConflictException(BinaryStarTransition transition)
        : base($"Binary Star: {transition.Description ?? transition.Conflict.ToString()} (we were {transition.From}, the peer said {transition.Event})")
    {
        Transition = transition;
    }

    /// <summary>Which conflict.</summary>
    public BinaryStarConflict Conflict => Transition.Conflict;

    /// <summary>The transition that found it.</summary>
    public BinaryStarTransition Transition { get; }
}

/// <summary>A client request handler ("voter" in the Guide): answer <paramref name="request"/> on <paramref name="frontend"/> (for a ROUTER, send it back with its envelope).</summary>
/// <param name="frontend">The frontend socket (use it only inside the handler: it belongs to the server's thread).</param>
/// <param name="request">The request, envelope included.</param>
public delegate void BinaryStarVoterHandler(ZmqSocket frontend, List<byte[]> request);

/// <summary>
/// The Binary Star reactor (Guide chapter 4, "Binary Star Reactor", bstar.c): one of a primary/backup
/// high-availability pair. It publishes its state to the peer every heartbeat (PUB, bound to the local state
/// endpoint) and reads the peer's (SUB, connected to the remote one), runs <see cref="BinaryStarStateMachine"/>
/// on those and on every client request that arrives on the frontend ("voter"), and passes a request to the
/// application's handler only while it is (or just became) active. Requests that must not be served are read
/// and dropped, so the client times out and fails over, as in the Guide.
/// </summary>
/// <remarks>
/// <para>Wire (as bstarsrv.c/bstar.c): state messages are one frame, the state number as text ("1" primary,
/// "2" backup, "3" active, "4" passive); default ports 5001 (primary) / 5002 (backup) for clients and 5003 / 5004
/// for the state link. Our servers pair with the Guide's C or Python ones.</para>
/// <para><b>Survives:</b> the active server's crash or disappearance (the passive one takes over on the first client
/// request after two silent heartbeats); a network partition between the clients and one server (clients fail
/// over to the other; the vote rule makes it active only when the peer is also silent); restarts of either server
/// in any order (a restarted server comes back passive while the other is active: recovery to the primary is manual,
/// by stopping the backup, as the Guide wants).</para>
/// <para><b>Does not survive:</b> both servers down; a broken state link while clients still see both servers (each
/// becomes active on its clients' votes: split brain, which the Guide prevents only by network design - a
/// dedicated link between the pair). When the link comes back both report <see cref="BinaryStarConflict.DualActive"/>
/// and stop serving: <see cref="Run"/> throws <see cref="BinaryStarConflictException"/> and the operator must restart
/// one. No state is replicated: a request in flight when the active server dies is lost with it, and only the
/// client's retry on the other server (see <see cref="BinaryStarClient"/>) gets it answered - possibly twice if the
/// reply, not the request, was lost.</para>
/// <para>Beyond the Guide: a change of state is also published at once, not only at the next heartbeat, so the peer
/// learns of it within the network's latency (same frames); two primaries or two backups are reported as conflicts
/// (<see cref="BinaryStarConflict.DualPrimary"/>, <see cref="BinaryStarConflict.DualBackup"/>) instead of waiting forever.</para>
/// <para>Create it, <see cref="RegisterVoter"/> once, subscribe to <see cref="BecameActive"/>/<see cref="BecamePassive"/> if you
/// care, then <see cref="Run"/> on one thread. <see cref="State"/> may be read from any thread.</para>
/// </remarks>
public sealed class BinaryStarServer : IDisposable
{
    /// <summary>The primary's client endpoint in the Guide.</summary>
    public const string DefaultPrimaryFrontend = "tcp://*:5001";

    /// <summary>The backup's client endpoint in the Guide.</summary>
    public const string DefaultBackupFrontend = "tcp://*:5002";

    /// <summary>Where the primary publishes its state in the Guide.</summary>
    public const string DefaultPrimaryLocalState = "tcp://*:5003";

    /// <summary>Where the backup publishes its state in the Guide.</summary>
    public const string DefaultBackupLocalState = "tcp://*:5004";

    /// <summary>Where the primary reads its peer's state in the Guide.</summary>
    public const string DefaultPrimaryRemoteState = "tcp://localhost:5004";

    /// <summary>Where the backup reads its peer's state in the Guide.</summary>
    public const string DefaultBackupRemoteState = "tcp://localhost:5003";

    private readonly ZmqContext _context;
    private readonly BinaryStarServerOptions _options;
    private readonly BinaryStarStateMachine _fsm;
    private readonly ZmqSocket _statePub;
    private readonly ZmqSocket _stateSub;
    private ZmqSocket? _frontend;
    private BinaryStarVoterHandler? _voter;
    private volatile int _state;

    /// <summary>Creates the server: binds the state publisher and connects the state subscriber.</summary>
    /// <param name="context">The context.</param>
    /// <param name="primary">True for the primary, false for the backup.</param>
    /// <param name="localState">Where to publish our state (bind), e.g. <see cref="DefaultPrimaryLocalState"/>.</param>
    /// <param name="remoteState">
    /// Where the peer publishes its state (connect), e.g. <see cref="DefaultPrimaryRemoteState"/>; null to connect
    /// later with <see cref="ConnectPeer"/> (when both servers bind to ports the OS picks).
    /// </param>
    /// <param name="options">Heartbeat, clock and observer; the Guide's values when null.</param>
    /// <exception cref="ZmqException">The bind or connect failed.</exception>
    public BinaryStarServer(ZmqContext context, bool primary, string localState, string? remoteState, BinaryStarServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(localState);
        _options = options ?? new BinaryStarServerOptions();
        _options.Validate();
        _context = context;
        _fsm = new BinaryStarStateMachine(primary, _options.Heartbeat, _options.TimeProvider);
        _state = (int)_fsm.State;
        _statePub = context.CreateSocket(ZmqSocketType.Pub);
        _stateSub = context.CreateSocket(ZmqSocketType.Sub);
        try
        {
            // Nothing queued is worth keeping once we stop: the peer judges us by fresh heartbeats.
            _statePub.Linger = TimeSpan.Zero;
            _stateSub.Linger = TimeSpan.Zero;
            _statePub.Bind(localState);
            StateEndpoint = _statePub.LastEndpoint;
            _stateSub.Subscribe(string.Empty);
            if (remoteState is not null)
            {
                _stateSub.Connect(remoteState);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Raised on the server's thread each time it becomes active (the Guide's bstar_new_active).</summary>
    public event Action? BecameActive;

    /// <summary>Raised on the server's thread each time it becomes passive (the Guide's bstar_new_passive).</summary>
    public event Action? BecamePassive;

    /// <summary>The current state; safe to read from any thread.</summary>
    public BinaryStarState State => (BinaryStarState)_state;

    /// <summary>The state publisher's bound endpoint (ZMQ_LAST_ENDPOINT: the real port when bound to <c>:*</c>).</summary>
    public string StateEndpoint { get; } = string.Empty;

    /// <summary>The frontend's bound endpoint once <see cref="RegisterVoter"/> was called, else null.</summary>
    public string? FrontendEndpoint { get; private set; }

    /// <summary>Connects the state subscriber to the peer's state publisher (when the constructor was given none). Call before <see cref="Run"/>.</summary>
    /// <param name="remoteState">The peer's <see cref="StateEndpoint"/>.</param>
    public void ConnectPeer(string remoteState)
    {
        ArgumentException.ThrowIfNullOrEmpty(remoteState);
        _stateSub.Connect(remoteState);
    }

    /// <summary>
    /// Binds the client-facing socket ("voter") and sets the handler for the requests the state machine lets
    /// through. Each request is a vote: it can make a passive server active (the failover rule). Exactly one per server.
    /// </summary>
    /// <param name="endpoint">Where clients connect, e.g. <see cref="DefaultPrimaryFrontend"/>.</param>
    /// <param name="handler">Answers a request.</param>
    /// <param name="type">The socket type; ROUTER as in the Guide.</param>
    /// <exception cref="InvalidOperationException">A voter is already registered.</exception>
    public void RegisterVoter(string endpoint, BinaryStarVoterHandler handler, ZmqSocketType type = ZmqSocketType.Router)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentNullException.ThrowIfNull(handler);
        if (_frontend is not null)
        {
            throw new InvalidOperationException("a Binary Star server has exactly one voter");
        }

        var socket = _context.CreateSocket(type);
        try
        {
            socket.Linger = TimeSpan.Zero;
            socket.Bind(endpoint);
            FrontendEndpoint = socket.LastEndpoint;
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _frontend = socket;
        _voter = handler;
    }

    /// <summary>
    /// Runs the pair's protocol and serves clients as <see cref="Run"/> does, on a dedicated thread of its own (not a thread-pool thread), and returns a task for its end:
    /// the loop waits on several sockets with a poller, which has no awaitable form (docs/patterns.md).
    /// </summary>
    /// <param name="cancellationToken">Stops the loop as it stops <see cref="Run"/>; the task then completes normally.</param>
    /// <returns>A task that completes when the loop has stopped (what the run opened is closed), or faults with what
    /// ended it otherwise (<see cref="ContextTerminatedException"/> when the context shut down, or a failure of the loop).</returns>
    /// <exception cref="InvalidOperationException">No voter registered (thrown at once, nothing started).</exception>
    public Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (_voter is null)
        {
            throw new InvalidOperationException("register a voter before running the server");
        }

        return LoopThread.RunAsync("BinaryStarServer", Run, cancellationToken);
    }

    /// <summary>
    /// Runs the pair's protocol and serves clients until <paramref name="cancellation"/> is cancelled or the
    /// context shuts down.
    /// </summary>
    /// <param name="cancellation">Stops the loop (it wakes at once).</param>
    /// <exception cref="InvalidOperationException">No voter registered.</exception>
    /// <exception cref="BinaryStarConflictException">The peer claims our role (dual actives, passives, primaries or backups): the server has stopped serving.</exception>
    /// <exception cref="ContextTerminatedException">The context was shut down.</exception>
    public void Run(CancellationToken cancellation = default)
    {
        var frontend = _frontend ?? throw new InvalidOperationException("register a voter before Run");
        using var wake = CancellationWake.Create(_context, cancellation);
        using var poller = new ZmqPoller();
        poller.Add(_stateSub, ZmqPollEvents.In);
        poller.Add(frontend, ZmqPollEvents.In);
        if (wake is not null)
        {
            poller.Add(wake.Socket, ZmqPollEvents.In);
        }

        var time = _options.TimeProvider;
        long interval = LoopClock.Milliseconds(_options.Heartbeat);
        _fsm.ResetPeerExpiry();
        long sendAt = time.NowMilliseconds() + interval;
        while (!cancellation.IsCancellationRequested)
        {
            poller.Wait(LoopClock.Until(sendAt, time.NowMilliseconds()));

            // The peer's state first: when both are waiting, a peer that just became active must win
            // over a client vote that would make us active too.
            if (poller.IsReady(_stateSub))
            {
                while (_stateSub.TryReceiveMultipart(TimeSpan.Zero, out var message))
                {
                    OnPeerMessage(message!);
                }
            }

            if (poller.IsReady(frontend))
            {
                OnClientRequest(frontend, frontend.ReceiveMultipart());
            }

            if (time.NowMilliseconds() >= sendAt)
            {
                Publish();
                sendAt = time.NowMilliseconds() + interval;
            }
        }
    }

    /// <summary>Closes the sockets. Harmless when called again.</summary>
    public void Dispose()
    {
        _frontend?.Dispose();
        _statePub.Dispose();
        _stateSub.Dispose();
    }

    private void OnPeerMessage(List<byte[]> message)
    {
        if (message.Count != 1 || !BinaryStarStateMachine.TryParseState(message[0], out var peer))
        {
            _options.Observer?.Invoke(new BinaryStarServerEvent(BinaryStarServerEventKind.InvalidStateMessage, Frames: message));
            return;
        }

        _options.Observer?.Invoke(new BinaryStarServerEvent(BinaryStarServerEventKind.StateReceived, State: (BinaryStarState)peer));
        var transition = _fsm.Apply(peer);
        if (transition.IsConflict)
        {
            _options.Observer?.Invoke(new BinaryStarServerEvent(BinaryStarServerEventKind.Transition, transition));
            // Say our state once more before we stop: the peer may have missed it (PUB drops what it sends
            // before a subscriber is connected), and it should see the conflict too.
            Publish();
            throw new BinaryStarConflictException(transition);
        }

        if (transition.Outcome == BinaryStarOutcome.Changed)
        {
            Changed(transition);
        }
    }

    private void OnClientRequest(ZmqSocket frontend, List<byte[]> request)
    {
        var transition = _fsm.Apply(BinaryStarEvent.ClientRequest);
        if (!transition.Serve)
        {
            // Dropped unanswered: the client times out and tries the other server.
            _options.Observer?.Invoke(new BinaryStarServerEvent(BinaryStarServerEventKind.RequestRefused, transition, Frames: request));
            return;
        }

        if (transition.Outcome == BinaryStarOutcome.Changed)
        {
            Changed(transition);
        }

        _voter!(frontend, request);
    }

    private void Changed(BinaryStarTransition transition)
    {
        _state = (int)transition.To;
        _options.Observer?.Invoke(new BinaryStarServerEvent(BinaryStarServerEventKind.Transition, transition));
        // Tell the peer now rather than at the next heartbeat: the shorter the time both could
        // think themselves active, the fewer clients a split brain can reach.
        Publish();
        if (transition.To == BinaryStarState.Active)
        {
            BecameActive?.Invoke();
        }
        else if (transition.To == BinaryStarState.Passive)
        {
            BecamePassive?.Invoke();
        }
    }

    private void Publish()
    {
        var state = _fsm.State;
        _statePub.TrySend(BinaryStarStateMachine.FormatState(state));
        _options.Observer?.Invoke(new BinaryStarServerEvent(BinaryStarServerEventKind.StateSent, State: state));
    }
}
