using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Pirate;

/// <summary>Settings of a <see cref="ParanoidPirateQueue"/>; the defaults are the Guide's (ppqueue).</summary>
public sealed class ParanoidPirateQueueOptions
{
    /// <summary>How often the queue heartbeats each worker; must match the workers' (the Guide's HEARTBEAT_INTERVAL, 1000 ms).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = ParanoidPirateProtocol.DefaultHeartbeatInterval;

    /// <summary>How many heartbeat intervals a worker may stay silent before it is dropped (HEARTBEAT_LIVENESS, 3).</summary>
    public int Liveness { get; set; } = ParanoidPirateProtocol.DefaultLiveness;

    /// <summary>Called on the queue's thread for worker arrivals, expiries, heartbeats and routed messages (see <see cref="PirateEvent"/>).</summary>
    public Action<PirateEvent>? Observer { get; set; }

    /// <summary>
    /// ZMQ_MAXMSGSIZE of both sockets, in bytes: a peer (over tcp:// or ipc://) that sends a larger
    /// frame is disconnected and the frame never reaches a worker (zmq_setsockopt(3)). Default
    /// <see cref="ParanoidPirateProtocol.DefaultMaxMessageSize"/> (1 MiB). While no worker is idle, requests wait
    /// in ZeroMQ's pipes, up to ZMQ_RCVHWM messages per connected client, and this is what bounds
    /// their size. Null: no limit (libzmq's -1), for clients you trust.
    /// </summary>
    public long? MaxMessageSize { get; set; } = ParanoidPirateProtocol.DefaultMaxMessageSize;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(Liveness, 1, nameof(Liveness));
        if (MaxMessageSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 0, nameof(MaxMessageSize));
        }
    }
}

/// <summary>
/// The Paranoid Pirate queue (Guide chapter 4, "Robust Reliable Queuing"; RFC 6/PPP): the
/// load-balancing broker with heartbeating both ways. Workers (DEALER, <see cref="ParanoidPirateWorker"/>)
/// say READY (0x01) and heartbeat (0x02); the queue heartbeats every worker it knows each
/// <see cref="ParanoidPirateQueueOptions.HeartbeatInterval"/> and drops a worker that has been silent
/// for <see cref="ParanoidPirateQueueOptions.Liveness"/> intervals. Each request goes to the idle worker
/// that has waited longest; the frontend is read only while a worker is idle.
/// </summary>
/// <remarks>
/// <para><b>Survives</b> (with Lazy Pirate clients): workers that crash, hang or disconnect at any point
/// (an idle one is dropped within its liveness; one holding a request is dropped the same way, and the
/// client's retry goes to another worker); its own crash and restart (workers notice the silence,
/// reconnect with back-off and say READY again; a worker whose heartbeats reach the new queue first is
/// taken as idle at once, as in the Guide).</para>
/// <para><b>Does not survive:</b> the request a worker held when it died, or the requests queued in the
/// queue when it died: they are lost and only the client's retry recovers them. Being one process, it
/// is still a single point of failure for as long as it is down.</para>
/// <para>A worker is given one request at a time: heartbeats keep a busy worker busy until it replies,
/// and heartbeats do not change the order of the idle workers (the Guide's queue re-queues a worker on
/// every message). Requests are routed with ZMQ_ROUTER_MANDATORY, so a worker that has disconnected
/// but not yet expired is skipped instead of swallowing the request; ZMQ_ROUTER_HANDOVER lets a worker
/// that reconnects with a fixed identity take its place at once.</para>
/// <para>Envelopes: the frontend reads <c>[client][""][request...]</c>; the backend sends
/// <c>[worker][client][""][request...]</c> and <c>[worker][0x02]</c>, and reads <c>[worker][0x01]</c>,
/// <c>[worker][0x02]</c> or <c>[worker][client][""][reply...]</c>.</para>
/// <para>The constructor binds; <see cref="Run"/> routes on the calling thread until cancelled. One thread at a time.</para>
/// </remarks>
public sealed class ParanoidPirateQueue : IDisposable
{
    /// <summary>The Guide's frontend endpoint, for clients.</summary>
    public const string DefaultFrontend = "tcp://*:5555";

    /// <summary>The Guide's backend endpoint, for workers.</summary>
    public const string DefaultBackend = "tcp://*:5556";

    private readonly ZmqContext _context;
    private readonly QueueSockets _sockets;
    private readonly ZmqSocket _frontend;
    private readonly ZmqSocket _backend;
    private readonly ParanoidPirateQueueOptions _options;
    private readonly long _interval;
    private readonly PirateWorkerPool _workers;
    private int _workerCount;

    /// <summary>Creates the queue and binds both sockets.</summary>
    /// <param name="context">The context.</param>
    /// <param name="frontend">Where clients connect (<see cref="DefaultFrontend"/>).</param>
    /// <param name="backend">Where workers connect (<see cref="DefaultBackend"/>).</param>
    /// <param name="options">Heartbeat interval, liveness and observer; the Guide's values when null.</param>
    /// <exception cref="ZmqException">A bind failed (EADDRINUSE, ...).</exception>
    public ParanoidPirateQueue(ZmqContext context, string frontend = DefaultFrontend, string backend = DefaultBackend, ParanoidPirateQueueOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = options ?? new ParanoidPirateQueueOptions();
        _options.Validate();
        _context = context;
        _interval = LoopClock.Milliseconds(_options.HeartbeatInterval);
        _workers = new PirateWorkerPool(_interval * _options.Liveness);
        _sockets = new QueueSockets(context, frontend, backend, configureBackend: b =>
        {
            b.RouterMandatory = true;
            b.RouterHandover = true;
        }, maxMessageSize: _options.MaxMessageSize);
        _frontend = _sockets.Frontend;
        _backend = _sockets.Backend;
    }

    /// <summary>The frontend's bound endpoint (ZMQ_LAST_ENDPOINT: the real port when bound to <c>:*</c>); safe to read while <see cref="Run"/> runs.</summary>
    public string FrontendEndpoint => _sockets.FrontendEndpoint;

    /// <summary>The backend's bound endpoint; safe to read while <see cref="Run"/> runs.</summary>
    public string BackendEndpoint => _sockets.BackendEndpoint;

    /// <summary>Workers the queue knows (idle and busy); safe to read from any thread. Bounded by time: a silent worker is dropped after its liveness.</summary>
    public int WorkerCount => Volatile.Read(ref _workerCount);

    /// <summary>
    /// Routes, heartbeats and expires workers as <see cref="Run"/> does, on a dedicated thread of its own (not a thread-pool thread), and returns a task for its end:
    /// the loop waits on several sockets with a poller, which has no awaitable form (docs/patterns.md).
    /// </summary>
    /// <param name="cancellationToken">Stops the loop as it stops <see cref="Run"/>; the task then completes normally.</param>
    /// <returns>A task that completes when the loop has stopped (what the run opened is closed), or faults with what
    /// ended it otherwise (<see cref="ContextTerminatedException"/> when the context shut down, or a failure of the loop).</returns>
    public Task RunAsync(CancellationToken cancellationToken = default)
    {
        return LoopThread.RunAsync("ParanoidPirateQueue", Run, cancellationToken);
    }

    /// <summary>Routes, heartbeats and expires workers until <paramref name="cancellation"/> is cancelled or the context shuts down.</summary>
    /// <param name="cancellation">Stops the loop (it wakes at once).</param>
    /// <exception cref="ContextTerminatedException">The context was shut down.</exception>
    public void Run(CancellationToken cancellation = default)
    {
        using var wake = CancellationWake.Create(_context, cancellation);
        using var poller = _sockets.CreatePoller(wake);

        long heartbeatAt = TimeProvider.System.NowMilliseconds() + _interval;
        while (!cancellation.IsCancellationRequested)
        {
            // Wake for the next heartbeat or the next expiry, whichever is first.
            long now = TimeProvider.System.NowMilliseconds();
            long until = Math.Min(heartbeatAt, _workers.NextExpiry() ?? long.MaxValue);
            poller.Wait(LoopClock.Until(until, now));
            bool fromWorker = poller.IsReady(_backend);
            bool fromClient = poller.IsReady(_frontend);
            if (fromWorker)
            {
                OnWorkerMessage(_backend.ReceiveMultipart());
            }

            if (fromClient && _workers.IdleCount > 0)
            {
                _sockets.RouteRequest(_workers, _frontend.ReceiveMultipart(), reqWorkers: false, _options.Observer);
            }

            now = TimeProvider.System.NowMilliseconds();
            if (now >= heartbeatAt)
            {
                SendHeartbeats();
                heartbeatAt = now + _interval;
            }

            foreach (var (worker, busy) in _workers.Purge(now))
            {
                var kind = busy ? PirateEventKind.BusyWorkerExpired : PirateEventKind.IdleWorkerExpired;
                _options.Observer?.Invoke(new PirateEvent(kind, PirateIdentity.Describe(worker)));
            }

            Volatile.Write(ref _workerCount, _workers.Count);
            poller.Modify(_frontend, _workers.IdleCount > 0 ? ZmqPollEvents.In : ZmqPollEvents.None);
        }
    }

    /// <summary>Closes both sockets. Harmless when called again.</summary>
    public void Dispose() => _sockets.Dispose();

    private void OnWorkerMessage(List<byte[]> message)
    {
        if (message.Count < 2)
        {
            // A ROUTER always prepends the sender's identity, so this cannot come from a peer; checked
            // anyway so that no message shape can throw out of the loop.
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.InvalidMessage, null, message));
            return;
        }

        byte[] worker = message[0];
        string name = PirateIdentity.Describe(worker);
        var payload = message.GetRange(1, message.Count - 1);
        long now = TimeProvider.System.NowMilliseconds();
        if (ParanoidPirateProtocol.IsCommand(payload, ParanoidPirateProtocol.Ready))
        {
            // A READY from a worker we thought busy means it restarted: its request is gone.
            _workers.Ready(worker, now);
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.WorkerReady, name));
        }
        else if (ParanoidPirateProtocol.IsCommand(payload, ParanoidPirateProtocol.Heartbeat))
        {
            _workers.Heartbeat(worker, now);
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.HeartbeatReceived, name));
        }
        else if (ParanoidPirateProtocol.TrySplitEnvelope(payload, out _))
        {
            // [client][""][reply...]: back to the client (dropped by the ROUTER if it is gone), and the worker is free.
            _workers.Ready(worker, now);
            _frontend.SendMultipart(payload);
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.ReplyRouted, name, payload));
        }
        else if (_workers.IsBusy(worker))
        {
            // A busy worker's answer that is no reply (RFC 6: REPLY is an envelope, a delimiter and a
            // body) cannot be routed, so it is dropped; but the worker has answered, so it is free
            // again. Left busy, it would heartbeat for ever and never be given work (RFC 6 lets a
            // queue treat any message as a sign of life, not as a reason to keep a worker).
            _workers.Ready(worker, now);
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.InvalidMessage, name, message));
        }
        else
        {
            // Still a sign of life (the Guide's queue counts any message), but nothing to forward.
            _workers.Heartbeat(worker, now);
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.InvalidMessage, name, message));
        }
    }

    private void SendHeartbeats()
    {
        foreach (var worker in _workers.Identities())
        {
            try
            {
                if (_backend.TrySendMultipart([worker, ParanoidPirateProtocol.HeartbeatFrame()]))
                {
                    _options.Observer?.Invoke(new PirateEvent(PirateEventKind.HeartbeatSent, PirateIdentity.Describe(worker)));
                }
            }
            catch (ZmqException e) when (e.Error == ZmqErrorCode.EHOSTUNREACH)
            {
                // Disconnected for now; libzmq may reconnect it. Its silence will expire it if not.
            }
        }
    }
}
