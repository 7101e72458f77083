using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ZmqNative.Patterns.Freelance;

/// <summary>Settings of a <see cref="FreelanceClient"/>; the defaults are the Guide's (flcliapi).</summary>
public sealed class FreelanceClientOptions
{
    /// <summary>How long a request may take before it fails, whatever the servers do (GLOBAL_TIMEOUT, 3000 ms).</summary>
    public TimeSpan GlobalTimeout { get; set; } = FreelanceProtocol.DefaultGlobalTimeout;

    /// <summary>How often each server is pinged while it is otherwise silent (PING_INTERVAL, 2000 ms).</summary>
    public TimeSpan PingInterval { get; set; } = FreelanceProtocol.DefaultPingInterval;

    /// <summary>A server silent for this long is considered dead (SERVER_TTL, 6000 ms; RFC 10: 2-3 ping intervals).</summary>
    public TimeSpan ServerTtl { get; set; } = FreelanceProtocol.DefaultServerTtl;

    /// <summary>
    /// How long the server holding a request has to answer before the request is also sent to the next
    /// live server (default 1000 ms, a third of the global timeout, so a server that dies holding a
    /// request costs one retry, not the whole request). The Guide's agent resends to its first live
    /// server each time its loop wakes; this makes that a timer and moves on to the next server.
    /// </summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>Called on the agent's thread for connects, pings, server liveness, requests and replies.</summary>
    public Action<FreelanceEvent>? Observer { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(GlobalTimeout, TimeSpan.Zero, nameof(GlobalTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PingInterval, TimeSpan.Zero, nameof(PingInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ServerTtl, TimeSpan.Zero, nameof(ServerTtl));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryInterval, TimeSpan.Zero, nameof(RetryInterval));
    }
}

/// <summary>
/// Freelance model three, the client agent (Guide chapter 4, flcliapi; RFC 10/FLP): a background
/// actor owns a ROUTER connected to every server (servers' identities are their endpoints), pings each
/// server, keeps track of which are alive, and sends each request to the most preferred live server
/// (the order of <see cref="Connect"/>), retrying with the next live one if no answer comes within
/// <see cref="FreelanceClientOptions.RetryInterval"/>, until <see cref="FreelanceClientOptions.GlobalTimeout"/>.
/// The caller's side is synchronous: <see cref="TryRequest(IReadOnlyList{byte[]}, out List{byte[]})"/>
/// returns the reply or false.
/// </summary>
/// <remarks>
/// <para><b>Survives:</b> servers crashing, hanging, restarting or not started yet, in any combination,
/// as long as one is alive: a dead server stops getting requests as soon as the agent learns it is dead
/// (a send to it fails because it disconnected, ZMQ_ROUTER_MANDATORY, or it stays silent for
/// <see cref="FreelanceClientOptions.ServerTtl"/>), and a request it held is sent to another after the
/// retry interval. A restarted server gets requests again after its next pong.</para>
/// <para><b>Does not survive:</b> no live server for the whole global timeout (the request fails; the
/// next one tries again). A request may be processed by more than one server (retries): use it for
/// idempotent services such as the Guide's name lookup. Replies to earlier requests are recognised by
/// their control frame (the sequence number) and dropped.</para>
/// <para>Unlike the Guide's agent, <see cref="Connect"/> needs no pause: a server gets requests only
/// once it has answered a ping, and a server not connected yet is probed again every ZMQ_RECONNECT_IVL
/// (a failed local send, no traffic). Thread-safe: calls from several threads are served one at a time.</para>
/// </remarks>
public sealed class FreelanceClient : IDisposable
{
    private static readonly TimeSpan AgentCheck = TimeSpan.FromSeconds(1);

    private readonly ZmqContext? _ownedContext;
    private readonly ZmqActor _actor;
    private readonly FreelanceClientOptions _options;
    private readonly object _gate = new();
    private bool _disposed;

    /// <summary>Creates the client with a context of its own (disposed with it), as the Guide's API hides its context.</summary>
    /// <param name="options">Timeouts, intervals and observer; the Guide's values when null.</param>
    public FreelanceClient(FreelanceClientOptions? options = null)
        : this(new ZmqContext(), options, ownsContext: true)
    {
    }

    /// <summary>Creates the client in <paramref name="context"/> and starts its agent.</summary>
    /// <param name="context">The context the agent's sockets belong to.</param>
    /// <param name="options">Timeouts, intervals and observer; the Guide's values when null.</param>
    public FreelanceClient(ZmqContext context, FreelanceClientOptions? options = null)
        : this(context, options, ownsContext: false)
    {
    }

    private FreelanceClient(ZmqContext context, FreelanceClientOptions? options, bool ownsContext)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = options ?? new FreelanceClientOptions();
        try
        {
            _options.Validate();
            _ownedContext = ownsContext ? context : null;
            _actor = new ZmqActor(context, pipe => new FreelanceAgent(context, pipe, _options).Run());
        }
        catch
        {
            if (ownsContext)
            {
                context.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Adds a server: the agent connects to it and pings it; it gets requests once it answers. Servers
    /// connected earlier are preferred.
    /// </summary>
    /// <param name="endpoint">The server's public endpoint, which is also its identity (FLP).</param>
    /// <exception cref="ZmqException">The endpoint is malformed (EINVAL) or its transport unsupported.</exception>
    public void Connect(string endpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        var answer = Call([FreelanceAgent.ConnectCommand, Encoding.UTF8.GetBytes(endpoint)]);
        if (answer.Count >= 2 && Encoding.UTF8.GetString(answer[0]) == FreelanceAgent.ErrorStatus)
        {
            throw new ZmqException($"connecting to {endpoint} failed: {Encoding.UTF8.GetString(answer[1])}");
        }
    }

    /// <summary>Sends a request to the servers as the pattern says and waits for the reply.</summary>
    /// <param name="request">The request's body frames (at least one).</param>
    /// <param name="reply">The reply's body (after the control frame), or null when the request failed.</param>
    /// <returns>False when no server answered within the global timeout.</returns>
    /// <exception cref="InvalidOperationException">The agent has stopped (it failed; the inner exception says why).</exception>
    public bool TryRequest(IReadOnlyList<byte[]> request, [NotNullWhen(true)] out List<byte[]>? reply)
    {
        LazyReq.CheckRequest(request);

        var answer = Call([FreelanceAgent.RequestCommand, .. request]);
        if (Encoding.UTF8.GetString(answer[0]) == FreelanceAgent.OkStatus)
        {
            reply = answer.GetRange(1, answer.Count - 1);
            return true;
        }

        reply = null;
        return false;
    }

    /// <summary>Sends a one-frame text request; the reply's first frame comes back as text.</summary>
    /// <param name="request">The request.</param>
    /// <param name="reply">The reply, or null when the request failed.</param>
    /// <returns>False when no server answered within the global timeout.</returns>
    public bool TryRequest(string request, [NotNullWhen(true)] out string? reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool ok = TryRequest([Encoding.UTF8.GetBytes(request)], out var frames);
        reply = ok && frames!.Count > 0 ? Encoding.UTF8.GetString(frames[0]) : null;
        return ok && reply is not null;
    }

    /// <summary>
    /// Stops the agent (its sockets close with zero linger) and disposes the context if it owns one.
    /// A request in progress on another thread finishes first (at most the global timeout).
    /// </summary>
    /// <exception cref="AggregateException">The agent had failed; the inner exception says why.</exception>
    public void Dispose()
    {
        // Under the same lock as Call: the pipe is a socket, used by one thread at a time.
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                _actor.Dispose();
            }
            finally
            {
                _ownedContext?.Dispose();
            }
        }
    }

    private List<byte[]> Call(List<byte[]> command)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _actor.Pipe.SendMultipart(command);
            // The agent answers every command, a request at the latest when its global timeout passes;
            // the slices only make sure a dead agent is noticed instead of waited for.
            while (true)
            {
                if (_actor.Pipe.TryReceiveMultipart(AgentCheck, out var answer))
                {
                    return answer!; // TryReceiveMultipart fills it when it returns true
                }

                if (_actor.IsCompleted)
                {
                    throw new InvalidOperationException("the Freelance client's agent has stopped", _actor.Fault);
                }
            }
        }
    }
}
