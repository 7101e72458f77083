using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Pirate;

/// <summary>Settings of a <see cref="ParanoidPirateWorker"/>; the defaults are the Guide's (ppworker).</summary>
public sealed class ParanoidPirateWorkerOptions
{
    /// <summary>How often the worker heartbeats the queue, and how long one silent poll lasts; must match the queue's (HEARTBEAT_INTERVAL, 1000 ms).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = ParanoidPirateProtocol.DefaultHeartbeatInterval;

    /// <summary>How many silent heartbeat intervals before the queue is considered gone (HEARTBEAT_LIVENESS, 3).</summary>
    public int Liveness { get; set; } = ParanoidPirateProtocol.DefaultLiveness;

    /// <summary>The first reconnect delay (INTERVAL_INIT, 1000 ms); it doubles on each failed reconnect.</summary>
    public TimeSpan ReconnectInterval { get; set; } = ParanoidPirateProtocol.DefaultReconnectInterval;

    /// <summary>The longest reconnect delay (INTERVAL_MAX, 32000 ms).</summary>
    public TimeSpan ReconnectIntervalMax { get; set; } = ParanoidPirateProtocol.DefaultReconnectIntervalMax;

    /// <summary>
    /// The worker's identity (ZMQ_ROUTING_ID), kept across reconnects; when null each new socket gets a
    /// random printable one like the Guide's Python worker (<c>"%04X-%04X"</c>).
    /// </summary>
    public byte[]? Identity { get; set; }

    /// <summary>Called on the worker's thread for READY, heartbeats, requests, replies and reconnects (see <see cref="PirateEvent"/>).</summary>
    public Action<PirateEvent>? Observer { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(Liveness, 1, nameof(Liveness));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectInterval, TimeSpan.Zero, nameof(ReconnectInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectIntervalMax, ReconnectInterval, nameof(ReconnectIntervalMax));
    }
}

/// <summary>
/// The Paranoid Pirate worker (Guide chapter 4, ppworker; RFC 6/PPP): a DEALER that connects to the
/// queue's backend, says READY (0x01), heartbeats (0x02) every interval and answers requests with what
/// the handler returns. When the queue has been silent for its liveness, the worker closes the socket,
/// waits (exponential back-off from <see cref="ParanoidPirateWorkerOptions.ReconnectInterval"/> up to
/// <see cref="ParanoidPirateWorkerOptions.ReconnectIntervalMax"/>), opens a new one and says READY again,
/// forever, as RFC 6 asks ("If the worker detects that the client has disconnected, it MUST send READY
/// again").
/// </summary>
/// <remarks>
/// <para><b>Survives:</b> the queue crashing, hanging or restarting, any number of times; the network
/// dropping the connection. Closing the socket on reconnect drops whatever it had queued for the old queue.</para>
/// <para><b>Does not survive:</b> a handler that runs longer than the queue's liveness: the worker is
/// single-threaded, sends no heartbeats while the handler runs, and the queue drops it (its reply is
/// still forwarded when it comes, and the worker is then taken back). A request it holds when it dies
/// is lost; the client's retry recovers it.</para>
/// <para>One run at a time; the handler runs on the thread that called <see cref="Run"/>, or on a
/// thread-pool thread under <see cref="RunAsync"/>.</para>
/// </remarks>
public sealed class ParanoidPirateWorker
{
    /// <summary>The Guide's queue backend, as a worker connects to it.</summary>
    public const string DefaultEndpoint = "tcp://localhost:5556";

    private readonly ZmqContext _context;
    private readonly ParanoidPirateWorkerOptions _options;

    /// <summary>Creates the worker (nothing is connected until <see cref="Run"/>).</summary>
    /// <param name="context">The context.</param>
    /// <param name="endpoint">The queue's backend (<see cref="DefaultEndpoint"/>).</param>
    /// <param name="options">Heartbeat, liveness, back-off, identity and observer; the Guide's values when null.</param>
    public ParanoidPirateWorker(ZmqContext context, string endpoint = DefaultEndpoint, ParanoidPirateWorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        _options = options ?? new ParanoidPirateWorkerOptions();
        _options.Validate();
        _context = context;
        Endpoint = endpoint;
    }

    /// <summary>The queue's backend endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>
    /// Connects, says READY and serves requests, heartbeating and reconnecting as the protocol says,
    /// until <paramref name="cancellation"/> is cancelled or the context shuts down. An exception from
    /// the handler ends the worker (its socket closes).
    /// </summary>
    /// <param name="handler">Gets a request's body (the frames after the envelope) and returns the reply's body (at least one frame).</param>
    /// <param name="cancellation">Stops the worker, also during a back-off wait.</param>
    /// <exception cref="ContextTerminatedException">The context was shut down.</exception>
    public void Run(Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> handler, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var liveness = new HeartbeatLiveness(_options.Liveness);
        var backoff = new ReconnectBackoff(_options.ReconnectInterval, _options.ReconnectIntervalMax);
        long interval = LoopClock.Milliseconds(_options.HeartbeatInterval);

        using var wake = CancellationWake.Create(_context, cancellation);
        using var poller = new ZmqPoller();
        if (wake is not null)
        {
            poller.Add(wake.Socket, ZmqPollEvents.In);
        }

        var (worker, name) = Open(poller);
        try
        {
            long heartbeatAt = TimeProvider.System.NowMilliseconds() + interval;
            while (!cancellation.IsCancellationRequested)
            {
                // One poll per heartbeat interval: a silent one counts against the queue's liveness.
                poller.Wait(_options.HeartbeatInterval);
                if (cancellation.IsCancellationRequested)
                {
                    break;
                }

                if (poller.IsReady(worker))
                {
                    if (OnQueueMessage(name, worker.ReceiveMultipart(), handler, liveness) is { } reply)
                    {
                        worker.SendMultipart(reply);
                        Replied(name, reply, liveness);
                    }

                    backoff.Reset();
                }
                else if (liveness.Miss())
                {
                    var delay = QueueLost(name, backoff);
                    if (cancellation.WaitHandle.WaitOne(delay))
                    {
                        break;
                    }

                    // Brutal but simple (the Guide's words): a new socket discards whatever was queued for the old queue.
                    poller.Remove(worker);
                    worker.Dispose();
                    (worker, name) = Open(poller);
                    liveness.Reset();
                }

                Heartbeat(worker, name, interval, ref heartbeatAt);
            }
        }
        finally
        {
            worker.Dispose();
        }
    }

    /// <summary>
    /// <see cref="Run"/> awaitable: the same protocol over the worker's one socket, each wait for the queue
    /// awaited for at most a heartbeat interval, so no thread is held while the worker waits (the handler
    /// runs on a thread-pool thread).
    /// </summary>
    /// <param name="handler">As in <see cref="Run"/>.</param>
    /// <param name="cancellationToken">Stops the worker at once, also during a back-off wait; the task then completes normally.
    /// A request already taken is answered first unless its reply has to wait for room.</param>
    /// <returns>A task that completes when the token stops the worker (its socket closed), or faults with the
    /// handler's exception or <see cref="ContextTerminatedException"/>.</returns>
    public async Task RunAsync(Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var liveness = new HeartbeatLiveness(_options.Liveness);
        var backoff = new ReconnectBackoff(_options.ReconnectInterval, _options.ReconnectIntervalMax);
        long interval = LoopClock.Milliseconds(_options.HeartbeatInterval);
        var (worker, name) = Open(null);
        try
        {
            long heartbeatAt = TimeProvider.System.NowMilliseconds() + interval;
            while (!cancellationToken.IsCancellationRequested)
            {
                // One wait per heartbeat interval, as Run's poll: a silent one counts against the queue's liveness.
                if (await LoopReceive.WithinAsync(worker, _options.HeartbeatInterval, cancellationToken).ConfigureAwait(false) is { } message)
                {
                    if (OnQueueMessage(name, message, handler, liveness) is { } reply)
                    {
                        await worker.SendMultipartAsync(reply, cancellationToken).ConfigureAwait(false);
                        Replied(name, reply, liveness);
                    }

                    backoff.Reset();
                }
                else if (liveness.Miss())
                {
                    await Task.Delay(QueueLost(name, backoff), cancellationToken).ConfigureAwait(false);
                    worker.Dispose();
                    (worker, name) = Open(null);
                    liveness.Reset();
                }

                Heartbeat(worker, name, interval, ref heartbeatAt);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped as asked, as Run returns.
        }
        finally
        {
            worker.Dispose();
        }
    }

    /// <summary>The queue went silent for its liveness: reports it and returns the back-off delay before reconnecting.</summary>
    private TimeSpan QueueLost(string name, ReconnectBackoff backoff)
    {
        _options.Observer?.Invoke(new PirateEvent(PirateEventKind.QueueLost, name));
        var delay = backoff.Next();
        _options.Observer?.Invoke(new PirateEvent(PirateEventKind.Reconnecting, name, Delay: delay));
        return delay;
    }

    /// <summary>Sends a heartbeat when one is due (never blocks: a full pipe only drops it).</summary>
    private void Heartbeat(ZmqSocket worker, string name, long interval, ref long heartbeatAt)
    {
        long now = TimeProvider.System.NowMilliseconds();
        if (now > heartbeatAt)
        {
            heartbeatAt = now + interval;
            if (worker.TrySend(ParanoidPirateProtocol.HeartbeatFrame()))
            {
                _options.Observer?.Invoke(new PirateEvent(PirateEventKind.HeartbeatSent, name));
            }
        }
    }

    private (ZmqSocket Socket, string Name) Open(ZmqPoller? poller)
    {
        var socket = _context.CreateSocket(ZmqSocketType.Dealer);
        try
        {
            byte[] identity = _options.Identity ?? PirateIdentity.NewRandom();
            string name = PirateIdentity.Describe(identity);
            socket.Linger = TimeSpan.Zero;
            socket.RoutingId = identity;
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.Connecting, Endpoint));
            socket.Connect(Endpoint);
            // A DEALER queues this for the connection libzmq makes in the background (RFC 6: READY comes first).
            socket.Send(ParanoidPirateProtocol.ReadyFrame());
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.ReadySent, name));
            poller?.Add(socket, ZmqPollEvents.In);
            return (socket, name);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One message from the queue, shared by <see cref="Run"/> and <see cref="RunAsync"/>: the reply to send, or null when there is none.</summary>
    private List<byte[]>? OnQueueMessage(string name, List<byte[]> message, Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> handler, HeartbeatLiveness liveness)
    {
        if (ParanoidPirateProtocol.IsCommand(message, ParanoidPirateProtocol.Heartbeat))
        {
            liveness.Reset();
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.HeartbeatReceived, name));
            return null;
        }

        if (!ParanoidPirateProtocol.TrySplitEnvelope(message, out int envelope))
        {
            _options.Observer?.Invoke(new PirateEvent(PirateEventKind.InvalidMessage, name, message));
            return null;
        }

        // [client][""][body...]: the queue's envelope goes back unchanged in front of the reply.
        _options.Observer?.Invoke(new PirateEvent(PirateEventKind.RequestReceived, name, message));
        var body = handler(message.GetRange(envelope, message.Count - envelope));
        if (body is null || body.Count == 0)
        {
            throw new InvalidOperationException("the handler returned no reply frames");
        }

        return [.. message.Take(envelope), .. body];
    }

    private void Replied(string name, List<byte[]> reply, HeartbeatLiveness liveness)
    {
        _options.Observer?.Invoke(new PirateEvent(PirateEventKind.ReplySent, name, reply));
        liveness.Reset();
    }
}
