using System.Text;
using ZmqNative.Patterns.Loop;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Patterns.Titanic;

/// <summary>Settings of a <see cref="TitanicService"/>; the defaults are the Guide's (titanic.c, mdwrkapi.c).</summary>
public sealed class TitanicOptions
{
    /// <summary>Heartbeat interval of the three TSP workers: 2500 ms (must match the broker's, RFC 7).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = MajordomoProtocol.DefaultHeartbeatInterval;

    /// <summary>Silent heartbeat intervals after which the TSP workers consider the broker dead: 3.</summary>
    public int Liveness { get; set; } = MajordomoProtocol.DefaultLiveness;

    /// <summary>How long the TSP workers wait before registering again after losing the broker: 2500 ms.</summary>
    public TimeSpan ReconnectInterval { get; set; } = MajordomoProtocol.DefaultReconnectInterval;

    /// <summary>How long the dispatcher waits for a service's reply (and for mmi.service) before it tries the request again on a later pass: 1000 ms.</summary>
    public TimeSpan DispatchTimeout { get; set; } = TitanicProtocol.DefaultDispatchTimeout;

    /// <summary>How long the dispatcher waits between passes over the pending requests when no new request arrives: 1 s.</summary>
    public TimeSpan DispatchInterval { get; set; } = TitanicProtocol.DefaultDispatchInterval;

    /// <summary>Whether the dispatcher asks the broker (RFC 8 mmi.service) whether a service has workers before sending it a request, as titanic.c does: true.</summary>
    public bool CheckServices { get; set; } = true;

    /// <summary>
    /// How long a request may wait for a reply before it is removed from disk: 1 day. A service that never
    /// comes would otherwise keep its requests (and the dispatcher's work) for ever; the client asking for
    /// the reply later gets 400 (unknown), as after a close. <see cref="Timeout.InfiniteTimeSpan"/>: for ever (the Guide's titanic).
    /// </summary>
    public TimeSpan PendingRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long an answered request may stay unclosed (its client never sent titanic.close) before the
    /// request and its reply are removed from disk: 1 day. <see cref="Timeout.InfiniteTimeSpan"/>: for ever (the Guide's titanic).
    /// </summary>
    public TimeSpan ReplyRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Requests the store may hold (pending plus answered and not closed): 100,000. When full, titanic.request
    /// answers 500 (RFC 9: "try again later") and stores nothing: a request Titanic has acknowledged with 200
    /// is never dropped to make room, since TSP promises it will be delivered (see the service's remarks).
    /// </summary>
    public int MaxStoredRequests { get; set; } = 100_000;

    /// <summary>Receives one line per event (and, with <see cref="TraceFrames"/>, every message of the workers and the dispatcher's client).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Whether every message is passed to <see cref="Log"/> (the Guide's -v), and each request the dispatcher processes is logged.</summary>
    public bool TraceFrames { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(Liveness, 1, nameof(Liveness));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectInterval, TimeSpan.Zero, nameof(ReconnectInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DispatchTimeout, TimeSpan.Zero, nameof(DispatchTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DispatchInterval, TimeSpan.Zero, nameof(DispatchInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStoredRequests, 1, nameof(MaxStoredRequests));
        foreach (var (retention, name) in new[] { (PendingRetention, nameof(PendingRetention)), (ReplyRetention, nameof(ReplyRetention)) })
        {
            if (retention != Timeout.InfiniteTimeSpan)
            {
                ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero, name);
            }
        }
    }
}

/// <summary>
/// The Titanic server (RFC 9/TSP, the Guide's titanic): three Majordomo workers for titanic.request,
/// titanic.reply and titanic.close, each on its own thread, and a dispatcher that sends every pending
/// request to its service through a Majordomo client and stores the reply, retrying until one comes.
/// Requests and replies live in a <see cref="TitanicStore"/>.
/// </summary>
/// <remarks>
/// <para>Survives: its own crash (kill -9) at any point: a request is on disk before its "200" and
/// UUID go back, and after a restart the dispatcher goes on with every request that has no reply, in
/// submission order. A broker crash or restart (its workers re-register; the dispatcher's request times
/// out and is sent again on a later pass). A worker crash, hang or absence (same: the request stays
/// pending and is retried, forever, until a worker answers; with <see cref="TitanicOptions.CheckServices"/>
/// it is not even sent while the broker knows no worker for the service). Clients that come and go:
/// replies wait on disk until titanic.close.</para>
/// <para>Does not survive, or not without help: a request can run more than once - a worker that dies
/// (or whose reply is lost with the broker, or Titanic dies) after doing the work but before the reply
/// is stored gets the request again - so services behind Titanic should be idempotent; only one reply
/// is ever stored per request. A client that gets no "200" for titanic.request (Titanic or the broker
/// died after storing it) and submits again leaves a second copy that runs too and that nobody closes:
/// TSP has the server choose the UUID, so a client cannot tell. Loss of the disk loses everything on it.
/// Requests to one service run one at a time, oldest first.</para>
/// <para>Bounded: a request that waits longer than <see cref="TitanicOptions.PendingRetention"/>, and an
/// answered request not closed within <see cref="TitanicOptions.ReplyRetention"/>, is removed from disk
/// (its UUID becomes unknown, 400). At most <see cref="TitanicOptions.MaxStoredRequests"/> are kept: past
/// that, titanic.request answers 500 and stores nothing (the newest is refused, with an answer, rather than
/// an acknowledged one dropped). Each dispatch pass takes a pending request's service from the store's index
/// and reads the request file only when it is about to send it, so a pass over requests for services with no
/// worker reads no file. UUIDs from the network never become paths unless they are 32 hexadecimal
/// characters (<see cref="TitanicStore.IsValidUuid"/>), so no request can make Titanic write, read or delete
/// outside its directory.</para>
/// </remarks>
public sealed class TitanicService
{
    private readonly ZmqContext _context;
    private readonly string _broker;
    private readonly TitanicOptions _options;
    private readonly AutoResetEvent _newRequest = new(false);

    /// <summary>Prepares the service; <see cref="Run"/> connects and serves.</summary>
    /// <param name="context">The context to create sockets in.</param>
    /// <param name="broker">The Majordomo broker's endpoint, e.g. <see cref="MajordomoProtocol.DefaultEndpoint"/>.</param>
    /// <param name="store">Where requests and replies are kept.</param>
    /// <param name="options">Settings; null for the Guide's defaults.</param>
    public TitanicService(ZmqContext context, string broker, TitanicStore store, TitanicOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(broker);
        ArgumentNullException.ThrowIfNull(store);
        _context = context;
        _broker = broker;
        Store = store;
        _options = options ?? new TitanicOptions();
        _options.Validate();
    }

    /// <summary>The store requests and replies are kept in.</summary>
    public TitanicStore Store { get; }

    /// <summary>How many replies the dispatcher has stored since <see cref="Run"/> started.</summary>
    public int RepliesStored => Volatile.Read(ref _repliesStored);

    private int _repliesStored;
    private int _passes;

    /// <summary>How many dispatch passes have ended since <see cref="Run"/> started (for tests).</summary>
    internal int Passes => Volatile.Read(ref _passes);

    /// <summary>
    /// Runs the Titanic service as <see cref="Run"/> does, on a dedicated thread of its own (not a thread-pool thread), and returns a task for its end:
    /// the service is three Majordomo workers and a dispatcher that writes and fsyncs files between its waits, work that
    /// would otherwise sit on thread-pool threads (docs/patterns.md).
    /// </summary>
    /// <param name="cancellationToken">Stops the loop as it stops <see cref="Run"/>; the task then completes normally.</param>
    /// <returns>A task that completes when the loop has stopped (what the run opened is closed), or faults with what
    /// ended it otherwise (a failure of the dispatcher); a context that shuts down ends it normally, as it ends <see cref="Run"/>.</returns>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        return LoopThread.RunAsync("TitanicService", Run, cancellationToken);
    }

    /// <summary>
    /// Registers the three TSP services with the broker and dispatches pending requests (those left from
    /// before a restart first) until <paramref name="cancellation"/> is cancelled or the context is terminated.
    /// </summary>
    /// <param name="cancellation">Stops the service (the workers notice within 100 ms, the dispatcher after its current request).</param>
    public void Run(CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var threads = new List<Thread>
        {
            Serve(TitanicProtocol.RequestService, HandleRequest, stop.Token),
            Serve(TitanicProtocol.ReplyService, HandleReply, stop.Token),
            Serve(TitanicProtocol.CloseService, HandleClose, stop.Token),
        };
        try
        {
            Dispatch(stop.Token);
        }
        catch (ContextTerminatedException)
        {
            // The context went away: the service ends with it.
        }
        finally
        {
            stop.Cancel();
            foreach (Thread thread in threads)
            {
                thread.Join();
            }
        }
    }

    private Thread Serve(string service, Func<List<byte[]>, List<byte[]>> handle, CancellationToken cancellation)
    {
        var thread = new Thread(() =>
        {
            try
            {
                using var worker = new MajordomoWorker(_context, _broker, service, new MajordomoWorkerOptions
                {
                    HeartbeatInterval = _options.HeartbeatInterval,
                    Liveness = _options.Liveness,
                    ReconnectInterval = _options.ReconnectInterval,
                    Log = _options.Log,
                    TraceFrames = _options.TraceFrames,
                });
                while (worker.Receive(cancellation) is { } request)
                {
                    List<byte[]> reply;
                    try
                    {
                        reply = handle(request);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // RFC 9 500: the client should try again later (the disk may come back).
                        Log($"E: {service}: {e.Message}");
                        reply = [TitanicProtocol.StatusFrame(TitanicStatus.Error)];
                    }

                    worker.Reply(reply);
                }
            }
            catch (ContextTerminatedException)
            {
                // The context went away: the worker ends with it.
            }
        })
        {
            IsBackground = true,
            Name = service,
        };
        thread.Start();
        return thread;
    }

    /// <summary>titanic.request: [service][body...] -> [200][UUID] once the request is on disk.</summary>
    private List<byte[]> HandleRequest(List<byte[]> request)
    {
        // RFC 9: 2 or more frames, the first a printable service name. Titanic's own services are
        // refused: a stored request for titanic.request would store another one, and so on.
        string? service = request.Count >= 2 ? Printable(request[0]) : null;
        if (service is null || service.StartsWith(TitanicProtocol.Prefix, StringComparison.Ordinal))
        {
            Log("E: titanic.request without a usable service name, refused");
            return [TitanicProtocol.StatusFrame(TitanicStatus.Unknown)];
        }

        if (Store.StoredCount >= _options.MaxStoredRequests)
        {
            // RFC 9 500: the client should try again later; nothing was stored, so nothing is lost.
            Log("W: titanic.request refused, the store is full (MaxStoredRequests)");
            return [TitanicProtocol.StatusFrame(TitanicStatus.Error)];
        }

        string uuid = Store.StoreRequest(request);
        _newRequest.Set();
        Trace($"I: stored request {uuid} for {service}");
        return [TitanicProtocol.StatusFrame(TitanicStatus.Ok), Encoding.ASCII.GetBytes(uuid)];
    }

    /// <summary>titanic.reply: [UUID] -> [200][reply...], [300] pending, [400] unknown (a malformed UUID too).</summary>
    private List<byte[]> HandleReply(List<byte[]> request)
    {
        string? uuid = request.Count >= 1 ? Printable(request[0]) : null;
        List<byte[]>? reply = null;
        TitanicStatus status = uuid is null ? TitanicStatus.Unknown : Store.GetReply(uuid, out reply);
        var answer = new List<byte[]> { TitanicProtocol.StatusFrame(status) };
        if (status == TitanicStatus.Ok)
        {
            answer.AddRange(reply!);
        }

        return answer;
    }

    /// <summary>titanic.close: [UUID] -> [200], also for an unknown UUID (RFC 9); [400] for a malformed one.</summary>
    private List<byte[]> HandleClose(List<byte[]> request)
    {
        string? uuid = request.Count >= 1 ? Printable(request[0]) : null;
        bool closed = uuid is not null && Store.Close(uuid);
        return [TitanicProtocol.StatusFrame(closed ? TitanicStatus.Ok : TitanicStatus.Unknown)];
    }

    private void Dispatch(CancellationToken cancellation)
    {
        using var client = new MajordomoClient(_context, _broker, new MajordomoClientOptions
        {
            Timeout = _options.DispatchTimeout,
            Retries = 1, // one attempt; the pending request is tried again on a later pass (titanic.c)
            Log = _options.TraceFrames ? _options.Log : null,
            TraceFrames = _options.TraceFrames,
        });
        Log($"I: titanic is active, {Store.PendingCount} pending request(s) in {Store.Directory}");
        var waits = new WaitHandle[] { _newRequest, cancellation.WaitHandle };
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                Store.RemoveExpired(_options.PendingRetention, _options.ReplyRetention);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log($"E: cannot remove expired requests: {e.Message}");
            }

            DispatchPass(client, cancellation);
            Interlocked.Increment(ref _passes);

            // Once per interval when nothing happens (titanic.c); at once when a request arrives.
            WaitHandle.WaitAny(waits, _options.DispatchInterval);
        }
    }

    private void DispatchPass(MajordomoClient client, CancellationToken cancellation)
    {
        // Services that failed this pass are skipped until the next: one dead service must not cost
        // a timeout per request, and the others' requests keep moving.
        var down = new HashSet<string>(StringComparer.Ordinal);
        var up = new HashSet<string>(StringComparer.Ordinal);
        foreach (string uuid in Store.PendingRequests())
        {
            if (cancellation.IsCancellationRequested)
            {
                return;
            }

            // The service comes from the store's index: a request whose service is down this pass
            // costs no file read (titanic.c reads every request file first).
            if (Store.PendingService(uuid) is not { } service)
            {
                continue; // answered, closed or expired meanwhile
            }

            if (down.Contains(service))
            {
                continue;
            }

            if (_options.CheckServices && !up.Contains(service))
            {
                // RFC 8: ask the broker whether the service has workers before sending (titanic.c).
                List<byte[]>? lookup = client.Send(MajordomoProtocol.MmiService, [Encoding.UTF8.GetBytes(service)]);
                if (lookup is not [var code, ..] || !code.AsSpan().SequenceEqual("200"u8))
                {
                    down.Add(service);
                    continue;
                }

                up.Add(service);
            }

            List<byte[]>? request;
            try
            {
                if (!Store.TryGetRequest(uuid, out request))
                {
                    continue; // closed meanwhile
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log($"E: cannot read request {uuid}: {e.Message}");
                continue;
            }

            Trace($"I: processing request {uuid}");
            List<byte[]>? reply = client.Send(service, request!.Skip(1));
            if (reply is null)
            {
                down.Add(service);
                continue;
            }

            try
            {
                if (Store.StoreReply(uuid, reply))
                {
                    Interlocked.Increment(ref _repliesStored);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The request stays pending and runs again later, when the disk may take the reply.
                Log($"E: cannot store the reply to {uuid}: {e.Message}");
            }
        }
    }

    private static string? Printable(byte[] frame) =>
        frame.Length > 0 && frame.All(b => b >= 32 && b < 127) ? Encoding.ASCII.GetString(frame) : null;

    private void Log(string line) => _options.Log?.Invoke(line);

    private void Trace(string line)
    {
        if (_options.TraceFrames)
        {
            Log(line);
        }
    }
}
