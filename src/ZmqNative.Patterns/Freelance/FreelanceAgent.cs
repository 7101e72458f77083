using System.Text;
using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Freelance;

/// <summary>
/// The background half of <see cref="FreelanceClient"/>: runs on the actor's thread, owns the ROUTER
/// that talks to the servers, and answers the frontend's commands on the pipe. Every command carries
/// the frontend's call number (8 bytes), and its answer carries it back:
/// <c>["CONNECT"][call][endpoint]</c> → <c>["OK"][call]</c> or <c>["ERROR"][call][text]</c>;
/// <c>["REQUEST"][call][body...]</c> → <c>["OK"][call][reply...]</c> or <c>["FAILED"][call]</c>;
/// <c>["CANCEL"][call]</c> → no answer: the request of that call is dropped if it is still pending.
/// </summary>
/// <remarks>
/// <para>The answer-owed rule: the agent answers each CONNECT and REQUEST once, unless the request was
/// cancelled or superseded by a newer one first. A call the frontend abandoned (cancelled) may still
/// get its answer, if the agent sent it before the CANCEL arrived; the frontend recognises it by its
/// call number and drops it, so a later call never takes an earlier call's answer.</para>
/// <para>Tickless, as the Guide's agent: each poll waits exactly until the next thing due (a ping, a
/// server's expiry, the request's retry or its deadline).</para>
/// </remarks>
internal sealed class FreelanceAgent(ZmqContext context, ZmqActorPipe pipe, FreelanceClientOptions options)
{
    public const string OkStatus = "OK";
    public const string FailedStatus = "FAILED";
    public const string ErrorStatus = "ERROR";

    public static readonly byte[] ConnectCommand = "CONNECT"u8.ToArray();
    public static readonly byte[] RequestCommand = "REQUEST"u8.ToArray();
    public static readonly byte[] CancelCommand = "CANCEL"u8.ToArray();

    /// <summary>The size of a call number frame (a little-endian unsigned 64-bit count).</summary>
    public const int CallFrameSize = 8;

    private readonly List<Server> _servers = [];
    private readonly long _pingInterval = LoopClock.Milliseconds(options.PingInterval);
    private readonly long _ttl = LoopClock.Milliseconds(options.ServerTtl);
    private readonly long _retryInterval = LoopClock.Milliseconds(options.RetryInterval);
    private readonly long _globalTimeout = LoopClock.Milliseconds(options.GlobalTimeout);
    private ZmqSocket _router = null!;
    private long _probeInterval;
    private uint _sequence;
    private Pending? _pending;

    public void Run()
    {
        using var router = context.CreateSocket(ZmqSocketType.Router);
        _router = router;
        router.Linger = TimeSpan.Zero;
        // EHOSTUNREACH instead of a silent drop tells us at once that a server is not connected.
        router.RouterMandatory = true;
        // ZMQ_IMMEDIATE: without it a connecting ROUTER keeps a server's pipe while it reconnects,
        // so sends to a server that went away still succeed (queued) and only its TTL reveals it.
        router.Immediate = true;
        // libzmq retries a failed connect every ZMQ_RECONNECT_IVL, so probing more often finds nothing sooner.
        _probeInterval = LoopClock.Milliseconds(router.ReconnectInterval);
        pipe.SignalReady();

        using var poller = new ZmqPoller();
        poller.Add(pipe.Socket, ZmqPollEvents.In);
        poller.Add(router, ZmqPollEvents.In);
        while (true)
        {
            long now = TimeProvider.System.NowMilliseconds();
            long wake = NextWake();
            poller.Wait(wake == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(0, wake - now)));
            bool fromPipe = poller.IsReady(pipe.Socket);
            bool fromServer = poller.IsReady(router);
            if (fromPipe)
            {
                var command = pipe.Socket.ReceiveMultipart();
                if (command.Count == 1 && ZmqActorPipe.IsTerminateCommand(command[0]))
                {
                    return;
                }

                OnCommand(command);
            }

            if (fromServer)
            {
                OnServerMessage(router.ReceiveMultipart());
            }

            OnTimers(TimeProvider.System.NowMilliseconds());
        }
    }

    private void Emit(FreelanceEventKind kind, string? endpoint = null, IReadOnlyList<byte[]>? frames = null) =>
        options.Observer?.Invoke(new FreelanceEvent(kind, endpoint, frames));

    private long NextWake()
    {
        long wake = long.MaxValue;
        if (_pending is { } pending)
        {
            wake = Math.Min(pending.Deadline, pending.RetryAt);
        }

        foreach (var server in _servers)
        {
            wake = Math.Min(wake, server.PingAt);
            if (server.Alive)
            {
                wake = Math.Min(wake, server.Expires);
            }
        }

        return wake;
    }

    private void OnCommand(List<byte[]> command)
    {
        long now = TimeProvider.System.NowMilliseconds();
        if (command.Count < 2 || command[1].Length != CallFrameSize)
        {
            // Not from our frontend (it numbers every call): answer so a caller never waits for nothing.
            pipe.Socket.SendMultipart([Encoding.UTF8.GetBytes(ErrorStatus), new byte[CallFrameSize], Encoding.UTF8.GetBytes("unknown command")]);
            return;
        }

        byte[] call = command[1];
        if (command[0].AsSpan().SequenceEqual(ConnectCommand) && command.Count == 3)
        {
            string endpoint = Encoding.UTF8.GetString(command[2]);
            try
            {
                Emit(FreelanceEventKind.Connecting, endpoint);
                _router.Connect(endpoint);
            }
            catch (ZmqException e)
            {
                pipe.Socket.SendMultipart([Encoding.UTF8.GetBytes(ErrorStatus), call, Encoding.UTF8.GetBytes(e.Message)]);
                return;
            }

            if (!_servers.Any(s => s.Endpoint == endpoint))
            {
                // Ping at once: the answer is what makes it a candidate for requests.
                _servers.Add(new Server(endpoint) { PingAt = now, Expires = now + _ttl });
            }

            pipe.Socket.SendMultipart([Encoding.UTF8.GetBytes(OkStatus), call]);
        }
        else if (command[0].AsSpan().SequenceEqual(RequestCommand) && command.Count >= 3)
        {
            // A request still pending here was abandoned by its caller (only one call runs at a time):
            // it is superseded, and its answer is no longer owed.
            _pending = new Pending(++_sequence, call, command.GetRange(2, command.Count - 2), now + _globalTimeout);
            Dispatch(now);
        }
        else if (command[0].AsSpan().SequenceEqual(CancelCommand) && command.Count == 2)
        {
            // Already answered (the answer crossed the CANCEL on the pipe) or superseded: nothing to do.
            if (_pending is { } pending && pending.Call.AsSpan().SequenceEqual(call))
            {
                Emit(FreelanceEventKind.RequestCancelled, frames: pending.Body);
                _pending = null;
            }
        }
        else
        {
            pipe.Socket.SendMultipart([Encoding.UTF8.GetBytes(ErrorStatus), call, Encoding.UTF8.GetBytes("unknown command")]);
        }
    }

    /// <summary>Sends the pending request to the next live server after the one that last had it (the most preferred one for a new request).</summary>
    private void Dispatch(long now)
    {
        var pending = _pending!;
        int count = _servers.Count;
        for (int k = 0; k < count; k++)
        {
            int index = (pending.LastServer + 1 + k) % count;
            var server = _servers[index];
            if (!server.Alive)
            {
                continue;
            }

            List<byte[]> message = [server.Identity, FreelanceProtocol.SequenceFrame(pending.Sequence), .. pending.Body];
            if (TrySend(message))
            {
                pending.LastServer = index;
                pending.RetryAt = now + _retryInterval;
                Emit(FreelanceEventKind.RequestSent, server.Endpoint, message);
                return;
            }

            MarkDead(server);
        }

        // Nobody alive: wait until a server answers a ping (or the deadline).
        pending.RetryAt = long.MaxValue;
    }

    private void OnServerMessage(List<byte[]> message)
    {
        long now = TimeProvider.System.NowMilliseconds();
        var server = _servers.FirstOrDefault(s => s.Identity.AsSpan().SequenceEqual(message[0]));
        if (server is null)
        {
            Emit(FreelanceEventKind.InvalidMessage, frames: message);
            return;
        }

        // Any message is a sign of life (the Guide's agent treats it so).
        server.Expires = now + _ttl;
        server.PingAt = now + _pingInterval;
        bool revived = !server.Alive;
        if (revived)
        {
            server.Alive = true;
            Emit(FreelanceEventKind.ServerAlive, server.Endpoint);
        }

        if (message.Count == 2 && message[1].AsSpan().SequenceEqual(FreelanceProtocol.PongBytes))
        {
            Emit(FreelanceEventKind.PongReceived, server.Endpoint);
        }
        else if (message.Count >= 3 && _pending is { } pending && FreelanceProtocol.IsSequence(message[1], pending.Sequence))
        {
            Emit(FreelanceEventKind.ReplyReceived, server.Endpoint, message);
            pipe.Socket.SendMultipart([Encoding.UTF8.GetBytes(OkStatus), pending.Call, .. message.Skip(2)]);
            _pending = null;
        }
        else if (message.Count >= 3)
        {
            Emit(FreelanceEventKind.StaleReply, server.Endpoint, message);
        }
        else
        {
            Emit(FreelanceEventKind.InvalidMessage, server.Endpoint, message);
        }

        if (revived && _pending is { RetryAt: long.MaxValue })
        {
            Dispatch(now);
        }
    }

    private void OnTimers(long now)
    {
        if (_pending is { } pending)
        {
            if (now >= pending.Deadline)
            {
                Emit(FreelanceEventKind.RequestFailed);
                pipe.Socket.SendMultipart([Encoding.UTF8.GetBytes(FailedStatus), pending.Call]);
                _pending = null;
            }
            else if (now >= pending.RetryAt)
            {
                Dispatch(now);
            }
        }

        for (int i = 0; i < _servers.Count; i++)
        {
            var server = _servers[i];
            if (server.Alive && now >= server.Expires)
            {
                MarkDead(server);
            }

            if (now < server.PingAt)
            {
                continue;
            }

            if (TrySend([server.Identity, FreelanceProtocol.PingBytes.ToArray()]))
            {
                server.PingAt = now + _pingInterval;
                Emit(FreelanceEventKind.PingSent, server.Endpoint);
                continue;
            }

            // Not connected (yet, or any more): probe again soon, and stop waiting on it if it held the request.
            server.PingAt = now + _probeInterval;
            if (server.Alive)
            {
                MarkDead(server);
                if (_pending is { } held && held.LastServer == i)
                {
                    Dispatch(now);
                }
            }
        }
    }

    private void MarkDead(Server server)
    {
        if (server.Alive)
        {
            server.Alive = false;
            Emit(FreelanceEventKind.ServerDead, server.Endpoint);
        }
    }

    private bool TrySend(List<byte[]> message)
    {
        try
        {
            // Never block the agent: a server whose pipe is full (EAGAIN) is as good as gone for now.
            return _router.TrySendMultipart(message);
        }
        catch (ZmqException e) when (e.Error == ZmqErrorCode.EHOSTUNREACH)
        {
            return false;
        }
    }

    private sealed class Server(string endpoint)
    {
        public string Endpoint { get; } = endpoint;

        public byte[] Identity { get; } = Encoding.UTF8.GetBytes(endpoint);

        public bool Alive { get; set; }

        public long PingAt { get; set; }

        public long Expires { get; set; }
    }

    private sealed class Pending(uint sequence, byte[] call, List<byte[]> body, long deadline)
    {
        public uint Sequence { get; } = sequence;

        /// <summary>The frontend's call number, echoed in the answer.</summary>
        public byte[] Call { get; } = call;

        public List<byte[]> Body { get; } = body;

        public long Deadline { get; } = deadline;

        public long RetryAt { get; set; } = long.MaxValue;

        public int LastServer { get; set; } = -1;
    }
}
