using System.Text;
using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Majordomo;

/// <summary>Settings of a <see cref="MajordomoWorker"/>; the defaults are the Guide's (mdwrkapi.c).</summary>
public sealed class MajordomoWorkerOptions
{
    /// <summary>How often the worker sends HEARTBEAT while waiting: 2500 ms (must match the broker's, RFC 7).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = MajordomoProtocol.DefaultHeartbeatInterval;

    /// <summary>Silent heartbeat intervals after which the broker is considered dead: 3.</summary>
    public int Liveness { get; set; } = MajordomoProtocol.DefaultLiveness;

    /// <summary>How long to wait before reconnecting after the broker is lost: 2500 ms.</summary>
    public TimeSpan ReconnectInterval { get; set; } = MajordomoProtocol.DefaultReconnectInterval;

    /// <summary>Receives one line per event and, when <see cref="TraceFrames"/> is set, each message (the Guide's -v).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Whether every message received and sent is passed to <see cref="Log"/>.</summary>
    public bool TraceFrames { get; set; }

    /// <summary>Called on the worker's thread for connects, a lost broker, DISCONNECT and invalid messages (see <see cref="MajordomoEvent"/>).</summary>
    public Action<MajordomoEvent>? Observer { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(Liveness, 1, nameof(Liveness));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectInterval, TimeSpan.Zero, nameof(ReconnectInterval));
    }
}

/// <summary>
/// The Majordomo worker API (RFC 7 MDP/Worker, the Guide's mdwrkapi): a DEALER that registers a service
/// with READY, heartbeats the broker while it waits, and answers each REQUEST with one REPLY.
/// </summary>
/// <remarks>
/// Survives: a broker crash or restart and network loss (after Liveness silent intervals, or on a
/// DISCONNECT, it closes its socket, waits ReconnectInterval and registers again on a new socket, as
/// RFC 7 requires). Does not survive: a request it holds when its own process dies is lost (the broker
/// does not resend it). While the application handles a request no heartbeats are sent, so handling
/// must take less than Liveness × HeartbeatInterval or the broker drops the worker. Not thread-safe.
/// </remarks>
public sealed class MajordomoWorker : IDisposable
{
    private readonly ZmqContext _context;
    private readonly string _broker;
    private readonly byte[] _service;
    private readonly string _serviceName;
    private readonly MajordomoWorkerOptions _options;
    private ZmqSocket? _socket;
    private byte[]? _replyTo;
    private int _liveness;
    private long _heartbeatAt;

    /// <summary>Connects to the broker and registers <paramref name="service"/>.</summary>
    /// <param name="context">The context to create sockets in.</param>
    /// <param name="broker">The broker's endpoint, e.g. <see cref="MajordomoProtocol.DefaultEndpoint"/>.</param>
    /// <param name="service">The service name (not mmi.*, which RFC 8 reserves for the broker).</param>
    /// <param name="options">Settings; null for the Guide's defaults.</param>
    public MajordomoWorker(ZmqContext context, string broker, string service, MajordomoWorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(broker);
        ArgumentException.ThrowIfNullOrEmpty(service);
        _context = context;
        _broker = broker;
        _service = Encoding.UTF8.GetBytes(service);
        _serviceName = service;
        _options = options ?? new MajordomoWorkerOptions();
        _options.Validate();
        Connect();
    }

    /// <summary>How many times the worker has (re)connected to the broker, the first connect included.</summary>
    public int Connections { get; private set; }

    /// <summary>
    /// Waits for the next request, heartbeating and reconnecting as needed; returns its body frames,
    /// or null when <paramref name="cancellation"/> is cancelled. Answer it with <see cref="Reply"/>.
    /// </summary>
    /// <param name="cancellation">Ends the wait (checked at least every 100 ms).</param>
    /// <returns>The request's body frames, or null when cancelled.</returns>
    public List<byte[]>? Receive(CancellationToken cancellation)
    {
        const long Slice = 100;
        long interval = LoopClock.Milliseconds(_options.HeartbeatInterval);
        long silenceCheck = Now() + interval;
        while (!cancellation.IsCancellationRequested)
        {
            long now = Now();
            TimeSpan wait = LoopClock.Until(Math.Min(Math.Min(_heartbeatAt, silenceCheck), now + Slice), now);
            if (_socket!.TryReceiveMultipart(wait, out List<byte[]>? frames))
            {
                if (OnBrokerMessage(frames!, ref silenceCheck, interval) is { } request)
                {
                    return request;
                }
            }
            else if (OnSilence(ref silenceCheck, interval))
            {
                if (cancellation.WaitHandle.WaitOne(_options.ReconnectInterval))
                {
                    return null;
                }

                Connect();
            }

            HeartbeatIfDue(interval);
        }

        return null;
    }

    /// <summary>
    /// <see cref="Receive"/> awaitable: the same heartbeats, liveness and reconnects, each wait on the
    /// worker's one socket awaited until the next heartbeat or liveness check is due, so no thread is held
    /// while the worker waits. Answer the request with <see cref="Reply"/>.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait at once (also a reconnect delay): the result is then null, as with <see cref="Receive"/>.
    /// A request already taken from the socket is returned, never lost.</param>
    /// <returns>The request's body frames, or null when cancelled.</returns>
    public async ValueTask<List<byte[]>?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        long interval = LoopClock.Milliseconds(_options.HeartbeatInterval);
        long silenceCheck = Now() + interval;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                long now = Now();
                TimeSpan wait = LoopClock.Until(Math.Min(_heartbeatAt, silenceCheck), now);
                if (await LoopReceive.WithinAsync(_socket!, wait, cancellationToken).ConfigureAwait(false) is { } frames)
                {
                    if (OnBrokerMessage(frames, ref silenceCheck, interval) is { } request)
                    {
                        return request;
                    }
                }
                else if (OnSilence(ref silenceCheck, interval))
                {
                    await Task.Delay(_options.ReconnectInterval, cancellationToken).ConfigureAwait(false);
                    Connect();
                }

                HeartbeatIfDue(interval);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled: null, as Receive returns.
        }

        return null;
    }

    /// <summary>
    /// Serves requests until <paramref name="cancellation"/> is cancelled: <see cref="Receive"/>, the
    /// handler, <see cref="Reply"/>, in a loop on the calling thread. An exception from the handler ends it
    /// (the request stays unanswered; the worker can run again).
    /// </summary>
    /// <param name="handler">Gets a request's body and returns the reply's body.</param>
    /// <param name="cancellation">Stops the loop (checked at least every 100 ms).</param>
    public void Run(Func<IReadOnlyList<byte[]>, IEnumerable<byte[]>> handler, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        while (Receive(cancellation) is { } request)
        {
            Reply(handler(request));
        }
    }

    /// <summary>
    /// <see cref="Run"/> awaitable: <see cref="ReceiveAsync"/>, the handler (on a thread-pool thread),
    /// <see cref="Reply"/>, in a loop, with no thread held while it waits.
    /// </summary>
    /// <param name="handler">Gets a request's body and returns the reply's body.</param>
    /// <param name="cancellationToken">Stops the loop at once; the task then completes normally. The worker keeps its
    /// registration and socket until <see cref="Dispose"/>, so it can run again.</param>
    /// <returns>A task that completes when the token stops the loop, or faults with the handler's exception or
    /// <see cref="ContextTerminatedException"/>.</returns>
    public async Task RunAsync(Func<IReadOnlyList<byte[]>, IEnumerable<byte[]>> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        while (await ReceiveAsync(cancellationToken).ConfigureAwait(false) is { } request)
        {
            Reply(handler(request));
        }
    }

    /// <summary>Sends the reply to the last request received (RFC 7 REPLY); a second reply to the same request is refused.</summary>
    /// <param name="body">The reply's body frames.</param>
    public void Reply(IEnumerable<byte[]> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        byte[] client = _replyTo ?? throw new InvalidOperationException("There is no request to reply to.");
        _replyTo = null;
        var frames = new List<byte[]> { client, Array.Empty<byte>() };
        frames.AddRange(body);
        SendToBroker(MajordomoProtocol.Reply, frames);
    }

    /// <summary>Tells the broker the worker leaves (RFC 7 DISCONNECT) and closes the socket.</summary>
    public void Dispose()
    {
        if (_socket is null)
        {
            return;
        }

        SendToBroker(MajordomoProtocol.Disconnect, []);
        _socket.Dispose();
        _socket = null;
    }

    /// <summary>One message from the broker, shared by both forms: a request's body to return, or null when the loop goes on.</summary>
    private List<byte[]>? OnBrokerMessage(List<byte[]> frames, ref long silenceCheck, long interval)
    {
        Trace("I: received message from broker:", frames);
        _liveness = _options.Liveness;
        silenceCheck = Now() + interval;

        // [empty][MDPW01][command]...: anything else is invalid and dropped (RFC 7).
        if (frames.Count < 3 || frames[0].Length != 0 || !MajordomoProtocol.Is(frames[1], MajordomoProtocol.WorkerHeaderBytes) || frames[2].Length != 1)
        {
            Log("E: invalid message from broker, dropped");
            _options.Observer?.Invoke(new MajordomoEvent(MajordomoEventKind.InvalidMessage, Reason: "not an MDP worker message"));
            return null;
        }

        switch (frames[2][0])
        {
            case MajordomoProtocol.Request when frames.Count >= 5 && frames[4].Length == 0:
                _replyTo = frames[3];
                return frames.GetRange(5, frames.Count - 5);
            case MajordomoProtocol.Heartbeat:
                break;
            case MajordomoProtocol.Disconnect:
                // RFC 7: close the socket and reconnect on a new one (this is how workers re-register).
                _options.Observer?.Invoke(new MajordomoEvent(MajordomoEventKind.DisconnectReceived, _serviceName));
                Connect();
                break;
            default:
                Log("E: invalid input message from broker, dropped");
                _options.Observer?.Invoke(new MajordomoEvent(MajordomoEventKind.InvalidMessage, Reason: "unexpected command"));
                break;
        }

        return null;
    }

    /// <summary>A wait ended with no message: true when the broker has now been silent for its liveness (wait, then reconnect).</summary>
    private bool OnSilence(ref long silenceCheck, long interval)
    {
        if (Now() < silenceCheck)
        {
            return false;
        }

        silenceCheck = Now() + interval;
        if (--_liveness > 0)
        {
            return false;
        }

        Log("W: disconnected from broker - retrying...");
        _options.Observer?.Invoke(new MajordomoEvent(MajordomoEventKind.BrokerLost, _serviceName));
        return true;
    }

    private void HeartbeatIfDue(long interval)
    {
        if (Now() >= _heartbeatAt)
        {
            SendToBroker(MajordomoProtocol.Heartbeat, []);
            _heartbeatAt = Now() + interval;
        }
    }

    private void Connect()
    {
        _socket?.Dispose();
        _socket = _context.CreateSocket(ZmqSocketType.Dealer);
        _socket.Linger = TimeSpan.Zero;
        _socket.Connect(_broker);
        Connections++;
        Log($"I: connecting to broker at {_broker}...");
        _options.Observer?.Invoke(new MajordomoEvent(MajordomoEventKind.Connecting, _serviceName, Reason: _broker, Count: Connections));
        _replyTo = null;
        SendToBroker(MajordomoProtocol.Ready, [_service]);
        _liveness = _options.Liveness;
        _heartbeatAt = Now() + LoopClock.Milliseconds(_options.HeartbeatInterval);
    }

    private void SendToBroker(byte command, List<byte[]> rest)
    {
        var frames = new List<byte[]>(rest.Count + 3) { Array.Empty<byte>(), MajordomoProtocol.WorkerHeaderBytes, new[] { command } };
        frames.AddRange(rest);
        Trace("I: sending to broker:", frames);

        // DEALER queues while the broker is away; a full queue only means heartbeats are dropped.
        _socket!.TrySendMultipart(frames);
    }

    private void Log(string line) => _options.Log?.Invoke(line);

    private void Trace(string title, List<byte[]> frames)
    {
        if (_options.TraceFrames && _options.Log is { } log)
        {
            log(title + "\n" + MajordomoProtocol.Dump(frames));
        }
    }

    /// <summary>The worker's clock: monotonic milliseconds (a wall-clock jump must not expire the broker or skip heartbeats).</summary>
    private static long Now() => TimeProvider.System.NowMilliseconds();
}
