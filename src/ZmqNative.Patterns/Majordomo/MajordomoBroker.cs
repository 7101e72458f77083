using System.Text;
using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Majordomo;

/// <summary>Settings of a <see cref="MajordomoBroker"/>; the defaults are the Guide's (mdbroker.c).</summary>
public sealed class MajordomoBrokerOptions
{
    /// <summary>How often idle workers are sent HEARTBEAT and expiry is checked: 2500 ms.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = MajordomoProtocol.DefaultHeartbeatInterval;

    /// <summary>Silent heartbeat intervals after which a worker is dropped: 3.</summary>
    public int Liveness { get; set; } = MajordomoProtocol.DefaultLiveness;

    /// <summary>Receives one line per event and, when <see cref="TraceFrames"/> is set, each message (the Guide's -v).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Whether every message received and sent is passed to <see cref="Log"/> (the Guide's -v).</summary>
    public bool TraceFrames { get; set; }

    /// <summary>Called on the broker's thread for registrations, expiries, queued, dispatched and dropped requests (see <see cref="MajordomoEvent"/>); never with a message body.</summary>
    public Action<MajordomoEvent>? Observer { get; set; }

    /// <summary>
    /// Requests one service may have waiting for a worker: 1,000. When a request arrives for a service
    /// whose queue is full, the oldest waiting request of that service is dropped (see the broker's remarks).
    /// </summary>
    public int MaxQueuedRequestsPerService { get; set; } = 1_000;

    /// <summary>Requests all services together may have waiting: 10,000. When full, the oldest waiting request of any service is dropped.</summary>
    public int MaxQueuedRequests { get; set; } = 10_000;

    /// <summary>
    /// Bytes (request bodies) all services together may have waiting: 64 MiB. When full, the oldest
    /// waiting requests are dropped until the new one fits; a request larger than this on its own is dropped.
    /// </summary>
    public long MaxQueuedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How long a request may wait for a worker before it is dropped: 30 s. An MDP client gives up on a
    /// request long before (the Guide's mdcliapi: 3 attempts of 2.5 s) and sends it again, so an older
    /// request only costs memory and would reach a worker for nobody. <see cref="Timeout.InfiniteTimeSpan"/>: never.
    /// </summary>
    public TimeSpan RequestExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock of heartbeats, worker expiry and request expiry (monotonic: <see cref="TimeProvider.GetTimestamp"/>); <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(Liveness, 1, nameof(Liveness));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedRequestsPerService, 1, nameof(MaxQueuedRequestsPerService));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedRequests, 1, nameof(MaxQueuedRequests));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedBytes, 1, nameof(MaxQueuedBytes));
        if (RequestExpiry != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestExpiry, TimeSpan.Zero, nameof(RequestExpiry));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}

/// <summary>
/// The Majordomo broker (RFC 7/MDP with RFC 8/MMI): one ROUTER socket for clients (MDPC01) and
/// workers (MDPW01); routes each request to the least recently used idle worker of its service,
/// queues requests while no worker is idle, and answers mmi.service itself (200 when the service has
/// workers, 404 otherwise; 501 for any other mmi.* name).
/// </summary>
/// <remarks>
/// <para>Survives: workers that crash, hang or disconnect (an idle worker with no heartbeat for Liveness ×
/// HeartbeatInterval is dropped; any worker whose tcp:// or ipc:// connection ends is dropped at once, busy
/// or not; their later traffic is answered with DISCONNECT so they re-register), clients that
/// go away, and malformed messages (dropped, RFC 7 "invalid messages"). Does not survive: its own crash
/// (queued requests are lost; workers re-register on their own and clients retry), and a request is
/// lost when the worker holding it dies - MDP does not resend it (the client's timeout must cover
/// that; Titanic is the Guide's answer). Not thread-safe: one thread calls <see cref="Run"/>.</para>
/// <para>Bounded: requests waiting for a worker are limited per service
/// (<see cref="MajordomoBrokerOptions.MaxQueuedRequestsPerService"/>), in total
/// (<see cref="MajordomoBrokerOptions.MaxQueuedRequests"/>, <see cref="MajordomoBrokerOptions.MaxQueuedBytes"/>)
/// and in age (<see cref="MajordomoBrokerOptions.RequestExpiry"/>); a service with neither workers nor
/// requests is forgotten. When a bound is reached the <b>oldest</b> waiting request is dropped, not the
/// new one: an MDP client that waited that long has most likely timed out and sent the request again
/// (RFC 7 leaves retries to the client), so the old copy is the one nobody waits for, while refusing
/// the newest would let a burst of requests nobody serves lock out every request that follows until
/// they expire. A dropped request gets no answer (MDP has no error reply); its client's timeout covers it.
/// Heartbeats and expiry use a monotonic clock (<see cref="MajordomoBrokerOptions.TimeProvider"/>), so a
/// change of the wall clock cannot expire every worker at once.</para>
/// </remarks>
public sealed class MajordomoBroker : IDisposable
{
    private readonly ZmqSocket _socket;
    private readonly MajordomoBrokerOptions _options;
    private readonly Dictionary<string, Service> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Worker> _workers = new(StringComparer.Ordinal);
    private readonly List<Worker> _waiting = [];
    private readonly TimeProvider _time;
    private int _queuedRequests;
    private long _queuedBytes;
    private long _droppedRequests;

    /// <summary>Creates the broker's ROUTER socket in <paramref name="context"/>.</summary>
    /// <param name="context">The context to create the socket in.</param>
    /// <param name="options">Settings; null for the Guide's defaults.</param>
    public MajordomoBroker(ZmqContext context, MajordomoBrokerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = options ?? new MajordomoBrokerOptions();
        _options.Validate();
        _time = _options.TimeProvider;
        _socket = context.CreateSocket(ZmqSocketType.Router);
        _socket.Linger = TimeSpan.Zero;

        // ZMQ_ROUTER_NOTIFY (draft) with ZMQ_NOTIFY_DISCONNECT (2): when a tcp:// or ipc:// peer's
        // connection ends, the socket delivers [peer][""]. A busy worker sends no heartbeats (RFC 7), so
        // without this a worker that died holding a request was never expired: it stayed counted by
        // mmi.service, and a peer that registers, takes a request and disconnects, again and again,
        // grew the broker's worker table without bound.
        _socket.RouterNotify = NotifyDisconnect;
    }

    private const int NotifyDisconnect = 2;

    /// <summary>The endpoint last bound (with the real port for tcp://...:*).</summary>
    public string LastEndpoint => _socket.LastEndpoint;

    /// <summary>Number of workers the broker currently knows (waiting or busy).</summary>
    public int WorkerCount => _workers.Count;

    /// <summary>Requests waiting for a worker, all services together (at most <see cref="MajordomoBrokerOptions.MaxQueuedRequests"/>); safe to read from any thread.</summary>
    public int QueuedRequests => Volatile.Read(ref _queuedRequests);

    /// <summary>Bytes of the requests waiting for a worker (at most <see cref="MajordomoBrokerOptions.MaxQueuedBytes"/>); safe to read from any thread.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Requests dropped since the broker started because a queue bound was reached or they expired; safe to read from any thread.</summary>
    public long DroppedRequests => Interlocked.Read(ref _droppedRequests);

    /// <summary>Binds the broker to an endpoint; it can be bound to several (the Guide binds one).</summary>
    /// <param name="endpoint">Where to listen, e.g. <see cref="MajordomoProtocol.DefaultEndpoint"/>'s tcp://*:5555.</param>
    public void Bind(string endpoint)
    {
        _socket.Bind(endpoint);
        Log($"I: MDP broker/0.2.0 is active at {endpoint}");
    }

    /// <summary>Serves clients and workers until <paramref name="cancellation"/> is cancelled or the context is terminated.</summary>
    /// <param name="cancellation">Stops the loop (checked at least every 100 ms).</param>
    public void Run(CancellationToken cancellation)
    {
        long heartbeatAt = After(_options.HeartbeatInterval);
        while (!cancellation.IsCancellationRequested)
        {
            List<byte[]>? frames;
            try
            {
                if (!_socket.TryReceiveMultipart(NextWait(heartbeatAt), out frames))
                {
                    frames = null;
                }
            }
            catch (ContextTerminatedException)
            {
                return;
            }

            Step(frames, ref heartbeatAt);
        }
    }

    /// <summary>
    /// <see cref="Run"/> awaitable: the same loop over the broker's one socket, each wait awaited (bounded
    /// by the next heartbeat, and by 100 ms so that a test clock's jump is seen), so no thread is held while
    /// the broker waits.
    /// </summary>
    /// <param name="cancellationToken">Stops the loop at once; the task then completes normally. The broker keeps its
    /// socket and its workers (it can run again) until <see cref="Dispose"/>.</param>
    /// <returns>A task that completes when the token stops the loop or the context shuts down (as <see cref="Run"/>
    /// returns), or faults with what else ended it.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        long heartbeatAt = After(_options.HeartbeatInterval);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var frames = await LoopReceive.WithinAsync(_socket, NextWait(heartbeatAt), cancellationToken).ConfigureAwait(false);
                Step(frames, ref heartbeatAt);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped as asked, as Run returns.
        }
        catch (ContextTerminatedException)
        {
            // The context shut down: the end Run has too.
        }
    }

    /// <summary>How long the loop may wait: until the next heartbeat, at most 100 ms (a test clock that jumps is seen when the loop wakes).</summary>
    private TimeSpan NextWait(long heartbeatAt)
    {
        TimeSpan slice = TimeSpan.FromMilliseconds(100);
        TimeSpan wait = _time.GetElapsedTime(_time.GetTimestamp(), heartbeatAt);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > slice ? slice : wait;
    }

    /// <summary>One turn of the loop, shared by both forms: handles a message (if one came), then heartbeats, purges and expires when due.</summary>
    private void Step(List<byte[]>? frames, ref long heartbeatAt)
    {
        if (frames is not null)
        {
            Trace("I: received message:", frames);
            Handle(frames);
        }

        if (_time.GetTimestamp() >= heartbeatAt)
        {
            Purge();
            ExpireRequests();
            foreach (Worker worker in _waiting)
            {
                SendToWorker(worker, MajordomoProtocol.Heartbeat, null, []);
            }

            heartbeatAt = After(_options.HeartbeatInterval);
        }
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _socket.Dispose();

    private void Handle(List<byte[]> frames)
    {
        if (frames.Count == 2 && frames[1].Length == 0)
        {
            // [peer][""]: the peer's connection has ended (ZMQ_ROUTER_NOTIFY), or a peer sent one empty
            // frame, which is no MDP message either way: a worker it was is forgotten.
            if (_workers.TryGetValue(Convert.ToHexString(frames[0]), out Worker? gone))
            {
                Log($"I: deleting disconnected worker: {gone.Id}");
                Delete(gone, disconnect: false, "connection ended");
            }

            return;
        }

        // Every peer message is [sender][empty][header]...: fewer frames or a non-empty delimiter is invalid (dropped).
        if (frames.Count < 3 || frames[1].Length != 0)
        {
            Log("E: invalid message (too few frames or no delimiter), dropped");
            Observe(new MajordomoEvent(MajordomoEventKind.InvalidMessage, Reason: "too few frames or no delimiter"));
            return;
        }

        byte[] sender = frames[0];
        byte[] header = frames[2];
        if (MajordomoProtocol.Is(header, MajordomoProtocol.ClientHeaderBytes))
        {
            HandleClient(sender, frames);
        }
        else if (MajordomoProtocol.Is(header, MajordomoProtocol.WorkerHeaderBytes))
        {
            HandleWorker(sender, frames);
        }
        else
        {
            Log("E: invalid message (unknown header), dropped");
            Observe(new MajordomoEvent(MajordomoEventKind.InvalidMessage, Reason: "unknown header"));
        }
    }

    private void HandleClient(byte[] sender, List<byte[]> frames)
    {
        // [sender][empty][MDPC01][service][body...]: a request needs a service name (RFC 7 REQUEST).
        if (frames.Count < 4)
        {
            Log("E: invalid client message (no service), dropped");
            Observe(new MajordomoEvent(MajordomoEventKind.InvalidMessage, Reason: "client message without a service"));
            return;
        }

        string serviceName = Encoding.UTF8.GetString(frames[3]);
        var body = frames.GetRange(4, frames.Count - 4);
        if (serviceName.StartsWith(MajordomoProtocol.MmiPrefix, StringComparison.Ordinal))
        {
            // RFC 8: the broker answers mmi.* itself, with the same service frame and a status code body.
            string status = "501";
            if (serviceName == MajordomoProtocol.MmiService)
            {
                string asked = body.Count > 0 ? Encoding.UTF8.GetString(body[0]) : string.Empty;
                status = _services.TryGetValue(asked, out Service? found) && found.Workers > 0 ? "200" : "404";
            }

            Send([sender, [], MajordomoProtocol.ClientHeaderBytes, frames[3], Encoding.ASCII.GetBytes(status)]);
            return;
        }

        Service service = RequireService(serviceName);
        var request = new List<byte[]>(body.Count + 2) { sender, Array.Empty<byte>() };
        request.AddRange(body);
        Enqueue(service, new Queued(request, Size(request), _time.GetTimestamp()));
        Dispatch(service);
        ForgetIfUnused(service);
    }

    /// <summary>Queues a request, dropping the oldest waiting ones first when a bound would be passed (see the remarks: why the oldest).</summary>
    private void Enqueue(Service service, Queued request)
    {
        if (request.Bytes > _options.MaxQueuedBytes)
        {
            Drop(request, service, "larger than MaxQueuedBytes");
            return;
        }

        while (service.Requests.Count >= _options.MaxQueuedRequestsPerService)
        {
            DropOldest(service, "service queue full");
        }

        while (_queuedRequests >= _options.MaxQueuedRequests || _queuedBytes + request.Bytes > _options.MaxQueuedBytes)
        {
            DropOldest(OldestQueue()!, "broker queue full");
        }

        service.Requests.Enqueue(request);
        Volatile.Write(ref _queuedRequests, _queuedRequests + 1);
        Interlocked.Add(ref _queuedBytes, request.Bytes);
        Observe(new MajordomoEvent(MajordomoEventKind.RequestQueued, service.Name, Bytes: request.Bytes));
    }

    private Queued Dequeue(Service service)
    {
        Queued request = service.Requests.Dequeue();
        Volatile.Write(ref _queuedRequests, _queuedRequests - 1);
        Interlocked.Add(ref _queuedBytes, -request.Bytes);
        return request;
    }

    private void DropOldest(Service service, string why) => Drop(Dequeue(service), service, why);

    private void Drop(Queued request, Service service, string why)
    {
        Interlocked.Increment(ref _droppedRequests);
        Log($"W: request for {service.Name} ({request.Bytes} bytes) dropped ({why})");
        Observe(new MajordomoEvent(MajordomoEventKind.RequestDropped, service.Name, Reason: why, Bytes: request.Bytes));
    }

    /// <summary>The service whose first waiting request is the oldest of all; null when nothing waits.</summary>
    private Service? OldestQueue()
    {
        Service? oldest = null;
        foreach (Service service in _services.Values)
        {
            if (service.Requests.TryPeek(out Queued? head) && (oldest is null || head.Since < oldest.Requests.Peek().Since))
            {
                oldest = service;
            }
        }

        return oldest;
    }

    /// <summary>Drops the requests that have waited longer than <see cref="MajordomoBrokerOptions.RequestExpiry"/> (each queue is oldest first).</summary>
    private void ExpireRequests()
    {
        if (_options.RequestExpiry == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        long now = _time.GetTimestamp();
        foreach (Service service in _services.Values.ToList())
        {
            while (service.Requests.TryPeek(out Queued? head) && _time.GetElapsedTime(head.Since, now) >= _options.RequestExpiry)
            {
                DropOldest(service, "expired");
            }

            ForgetIfUnused(service);
        }
    }

    /// <summary>A service with no worker and no waiting request is forgotten, so names sent once (or by a fuzzer) do not pile up.</summary>
    private void ForgetIfUnused(Service service)
    {
        if (service.Workers == 0 && service.Requests.Count == 0)
        {
            _services.Remove(service.Name);
        }
    }

    private static long Size(List<byte[]> request)
    {
        long bytes = 0;
        foreach (byte[] frame in request)
        {
            bytes += frame.Length;
        }

        return bytes;
    }

    private long After(TimeSpan span) => _time.GetTimestamp() + (long)(span.TotalSeconds * _time.TimestampFrequency);

    private void HandleWorker(byte[] sender, List<byte[]> frames)
    {
        if (frames.Count < 4 || frames[3].Length != 1)
        {
            Log("E: invalid worker message (no command), dropped");
            Observe(new MajordomoEvent(MajordomoEventKind.InvalidMessage, Reason: "worker message without a command"));
            return;
        }

        string id = Convert.ToHexString(sender);
        bool known = _workers.TryGetValue(id, out Worker? worker);
        byte command = frames[3][0];
        switch (command)
        {
            case MajordomoProtocol.Ready:
                if (frames.Count < 5)
                {
                    Log("E: invalid READY (no service), dropped");
                }
                else if (known)
                {
                    // RFC 7: a valid but unexpected command (READY twice) is answered with DISCONNECT.
                    Delete(worker!, disconnect: true, "READY twice");
                }
                else
                {
                    string serviceName = Encoding.UTF8.GetString(frames[4]);
                    if (serviceName.StartsWith(MajordomoProtocol.MmiPrefix, StringComparison.Ordinal))
                    {
                        // RFC 8 reserves mmi.* for the broker: no worker may register for it.
                        SendDisconnect(sender);
                        break;
                    }

                    worker = new Worker(sender, id, RequireService(serviceName));
                    _workers.Add(id, worker);
                    worker.Service.Workers++;
                    Log($"I: registering new worker: {id} for {serviceName}");
                    Observe(new MajordomoEvent(MajordomoEventKind.WorkerRegistered, serviceName, id));
                    Waiting(worker);
                }

                break;
            case MajordomoProtocol.Reply:
                if (!known)
                {
                    SendDisconnect(sender);
                }
                else if (frames.Count < 6 || frames[5].Length != 0)
                {
                    Log("E: invalid REPLY (no client envelope), dropped");
                }
                else if (_waiting.Contains(worker!))
                {
                    // A REPLY from a worker that holds no request is unexpected (RFC 7: DISCONNECT).
                    // Accepting it would list the worker as waiting twice, and its expiry would then
                    // count it out of its service twice and forget a service that still has workers.
                    Delete(worker!, disconnect: true, "REPLY without a request");
                }
                else
                {
                    // [sender][empty][MDPW01][REPLY][client][empty][body...] -> [client][empty][MDPC01][service][body...]
                    var reply = new List<byte[]>(frames.Count) { frames[4], Array.Empty<byte>(), MajordomoProtocol.ClientHeaderBytes, Encoding.UTF8.GetBytes(worker!.Service.Name) };
                    reply.AddRange(frames.Skip(6));
                    Send(reply);
                    Observe(new MajordomoEvent(MajordomoEventKind.ReplyRouted, worker.Service.Name, worker.Id));
                    Waiting(worker);
                }

                break;
            case MajordomoProtocol.Heartbeat:
                if (!known)
                {
                    SendDisconnect(sender);
                }
                else
                {
                    worker!.Expiry = After(Expiry);
                }

                break;
            case MajordomoProtocol.Disconnect:
                if (known)
                {
                    // RFC 7: after DISCONNECT the broker sends nothing more to that worker.
                    Delete(worker!, disconnect: false, "DISCONNECT");
                }

                break;
            default:
                Log($"E: invalid worker command 0x{command:X2}, dropped");
                Observe(new MajordomoEvent(MajordomoEventKind.InvalidMessage, Reason: "unknown worker command"));
                break;
        }
    }

    private TimeSpan Expiry => _options.HeartbeatInterval * _options.Liveness;

    private Service RequireService(string name)
    {
        if (!_services.TryGetValue(name, out Service? service))
        {
            service = new Service(name);
            _services.Add(name, service);
        }

        return service;
    }

    private void Waiting(Worker worker)
    {
        worker.Expiry = After(Expiry);
        _waiting.Add(worker);
        worker.Service.Waiting.Add(worker);
        Dispatch(worker.Service);
    }

    private void Dispatch(Service service)
    {
        Purge();
        while (service.Waiting.Count > 0 && service.Requests.Count > 0)
        {
            Worker worker = service.Waiting[0];
            service.Waiting.RemoveAt(0);
            _waiting.Remove(worker);
            SendToWorker(worker, MajordomoProtocol.Request, null, Dequeue(service).Frames);
            Observe(new MajordomoEvent(MajordomoEventKind.RequestDispatched, service.Name, worker.Id));
        }
    }

    private void Purge()
    {
        // Every waiting worker is checked: heartbeats refresh expiry without reordering the list, so
        // stopping at the first live one (as mdbroker.c does) would keep a dead worker behind it forever.
        long now = _time.GetTimestamp();
        foreach (Worker worker in _waiting.Where(w => w.Expiry < now).ToList())
        {
            Log($"I: deleting expired worker: {worker.Id}");
            Delete(worker, disconnect: false, reason: null);
        }
    }

    /// <summary>Forgets a worker; <paramref name="reason"/> null means it expired (no heartbeat), otherwise why it was removed.</summary>
    private void Delete(Worker worker, bool disconnect, string? reason)
    {
        if (disconnect)
        {
            SendToWorker(worker, MajordomoProtocol.Disconnect, null, []);
        }

        worker.Service.Waiting.Remove(worker);
        worker.Service.Workers--;
        _waiting.Remove(worker);
        _workers.Remove(worker.Id);
        ForgetIfUnused(worker.Service);
        Observe(new MajordomoEvent(reason is null ? MajordomoEventKind.WorkerExpired : MajordomoEventKind.WorkerRemoved, worker.Service.Name, worker.Id, reason));
    }

    private void SendDisconnect(byte[] identity) =>
        Send([identity, [], MajordomoProtocol.WorkerHeaderBytes, [MajordomoProtocol.Disconnect]]);

    private void SendToWorker(Worker worker, byte command, byte[]? option, List<byte[]> body)
    {
        var message = new List<byte[]>(body.Count + 5) { worker.Identity, Array.Empty<byte>(), MajordomoProtocol.WorkerHeaderBytes, new[] { command } };
        if (option is not null)
        {
            message.Add(option);
        }

        message.AddRange(body);
        Send(message);
    }

    private void Send(List<byte[]> message)
    {
        Trace("I: sending message:", message);

        // A peer that has gone is not an error for the broker (ROUTER drops unroutable messages).
        _socket.TrySendMultipart(message);
    }

    private void Log(string line) => _options.Log?.Invoke(line);

    private void Observe(MajordomoEvent e)
    {
        if (_options.Observer is not { } observer)
        {
            return;
        }

        if (e.Service is { } name)
        {
            // The service's figures after the event, so an observer can keep per-service gauges without a table of its own.
            e = _services.TryGetValue(name, out Service? service)
                ? e with { QueueDepth = service.Requests.Count, ServiceWorkers = service.Workers }
                : e with { QueueDepth = 0, ServiceWorkers = 0 };
        }

        observer(e);
    }

    private void Trace(string title, List<byte[]> frames)
    {
        if (_options.TraceFrames && _options.Log is { } log)
        {
            log(title + "\n" + MajordomoProtocol.Dump(frames));
        }
    }

    private sealed class Service(string name)
    {
        public string Name { get; } = name;

        public Queue<Queued> Requests { get; } = new();

        public List<Worker> Waiting { get; } = [];

        public int Workers { get; set; }
    }

    private sealed class Worker(byte[] identity, string id, Service service)
    {
        public byte[] Identity { get; } = identity;

        public string Id { get; } = id;

        public Service Service { get; } = service;

        public long Expiry { get; set; }
    }

    /// <summary>A waiting request: [client][""][body...], its size and when it arrived (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    private sealed record Queued(List<byte[]> Frames, long Bytes, long Since);
}
