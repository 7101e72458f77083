using System.Buffers.Binary;
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
/// The caller asks with <see cref="TryRequest(IReadOnlyList{byte[]}, out List{byte[]})"/> (blocking) or
/// <see cref="RequestAsync(IReadOnlyList{byte[]}, CancellationToken)"/> (awaitable, cancellable); both
/// return the reply or say the request failed.
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
/// <para><b>Cancellation.</b> The caller talks to the agent over an inproc pipe, one call at a time.
/// Each call is numbered, and the agent's answer carries the number back; a cancelled
/// <see cref="RequestAsync(IReadOnlyList{byte[]}, CancellationToken)"/> tells the agent to stop sending
/// its request (a CANCEL on the pipe), and an answer the agent sent before it saw the CANCEL is dropped
/// by the next call, which takes only the answer with its own number. So a later call never gets an
/// earlier call's reply. A request already sent to a server may still be processed there.</para>
/// <para>Unlike the Guide's agent, <see cref="Connect"/> needs no pause: a server gets requests only
/// once it has answered a ping, and a server not connected yet is probed again every ZMQ_RECONNECT_IVL
/// (a failed local send, no traffic). Thread-safe: calls from several threads or tasks, blocking and
/// awaitable mixed, are served one at a time in the order they get the client's gate.</para>
/// </remarks>
public sealed class FreelanceClient : IDisposable
{
    /// <summary>How often a waiting call checks that the agent still runs (its answer comes within the global timeout otherwise).</summary>
    private static readonly TimeSpan AgentCheck = TimeSpan.FromSeconds(1);

    private readonly ZmqContext? _ownedContext;
    private readonly ZmqActor _actor;
    private readonly FreelanceClientOptions _options;

    // One call at a time on the pipe (a socket: one thread at a time). A semaphore and not a lock,
    // because an awaitable call holds it across its awaits.
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Cancelled first by Dispose: ends waiting calls (awaitable ones at once, blocking ones within
    // AgentCheck) so that Dispose does not wait for the global timeout.
    private readonly CancellationTokenSource _disposing = new();
    private ulong _call;
    private long _droppedAnswers;
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

    /// <summary>Answers from the agent to abandoned (cancelled) calls that a later call dropped; for tests.</summary>
    internal long DroppedAnswers => Interlocked.Read(ref _droppedAnswers);

    /// <summary>
    /// Adds a server: the agent connects to it and pings it; it gets requests once it answers. Servers
    /// connected earlier are preferred.
    /// </summary>
    /// <param name="endpoint">The server's public endpoint, which is also its identity (FLP).</param>
    /// <exception cref="ZmqException">The endpoint is malformed (EINVAL) or its transport unsupported.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public void Connect(string endpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        var answer = Call([FreelanceAgent.ConnectCommand, Encoding.UTF8.GetBytes(endpoint)]);
        if (answer.Count >= 3 && Encoding.UTF8.GetString(answer[0]) == FreelanceAgent.ErrorStatus)
        {
            throw new ZmqException($"connecting to {endpoint} failed: {Encoding.UTF8.GetString(answer[2])}");
        }
    }

    /// <summary>Sends a request to the servers as the pattern says and waits for the reply.</summary>
    /// <param name="request">The request's body frames (at least one).</param>
    /// <param name="reply">The reply's body (after the control frame), or null when the request failed.</param>
    /// <returns>False when no server answered within the global timeout.</returns>
    /// <exception cref="InvalidOperationException">The agent has stopped (it failed; the inner exception says why).</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed, or is disposed while the call waits (noticed within a second).</exception>
    public bool TryRequest(IReadOnlyList<byte[]> request, [NotNullWhen(true)] out List<byte[]>? reply)
    {
        LazyReq.CheckRequest(request);
        reply = Reply(Call([FreelanceAgent.RequestCommand, .. request]));
        return reply is not null;
    }

    /// <summary>Sends a one-frame text request; the reply's first frame comes back as text.</summary>
    /// <param name="request">The request.</param>
    /// <param name="reply">The reply, or null when the request failed.</param>
    /// <returns>False when no server answered within the global timeout.</returns>
    public bool TryRequest(string request, [NotNullWhen(true)] out string? reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        reply = FirstText(TryRequest([Encoding.UTF8.GetBytes(request)], out var frames) ? frames : null);
        return reply is not null;
    }

    /// <summary>
    /// <see cref="TryRequest(IReadOnlyList{byte[]}, out List{byte[]})"/> awaitable: the same retries across
    /// servers and the same global timeout, with no thread blocked while it waits. Completes with the reply
    /// when a server answers, or null when none did within the global timeout.
    /// </summary>
    /// <remarks>
    /// Waits first for the client's gate (one call at a time), then hands the request to the agent and
    /// awaits its answer on the pipe. Allocates the frames, a linked token source, and one more per second
    /// of waiting (to notice an agent that stopped).
    /// </remarks>
    /// <param name="request">The request's body frames (at least one).</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>: the agent is told to
    /// stop sending the request, and its answer, if already on its way, is dropped by the next call. A server
    /// may still process the request. An answer already taken when the token fires is returned.</param>
    /// <returns>The reply's body frames (after the control frame), or null when the request failed.</returns>
    /// <exception cref="InvalidOperationException">The agent has stopped (it failed; the inner exception says why).</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed, or is disposed while the call waits.</exception>
    public async ValueTask<List<byte[]>?> RequestAsync(IReadOnlyList<byte[]> request, CancellationToken cancellationToken = default)
    {
        LazyReq.CheckRequest(request);
        return Reply(await CallAsync([FreelanceAgent.RequestCommand, .. request], cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sends a one-frame text request, awaitable; completes with the reply's first frame as text.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">As in <see cref="RequestAsync(IReadOnlyList{byte[]}, CancellationToken)"/>.</param>
    /// <returns>The reply, or null when the request failed.</returns>
    public async ValueTask<string?> RequestAsync(string request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return FirstText(await RequestAsync([Encoding.UTF8.GetBytes(request)], cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Stops the agent (its sockets close with zero linger) and disposes the context if it owns one.
    /// A call waiting on another thread or task ends with <see cref="ObjectDisposedException"/> (an awaitable
    /// one at once, a blocking one within a second) before the agent stops.
    /// </summary>
    /// <exception cref="AggregateException">The agent had failed; the inner exception says why.</exception>
    public void Dispose()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        _disposing.Cancel();
        // The pipe is a socket, used by one caller at a time: wait for the gate, which a waiting call
        // lets go once the cancellation above has ended it.
        _gate.Wait();
        try
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
        finally
        {
            _gate.Release();
        }
    }

    private static List<byte[]>? Reply(List<byte[]> answer) =>
        Encoding.UTF8.GetString(answer[0]) == FreelanceAgent.OkStatus ? answer.GetRange(2, answer.Count - 2) : null;

    private static string? FirstText(List<byte[]>? frames) => frames is { Count: > 0 } ? Encoding.UTF8.GetString(frames[0]) : null;

    /// <summary>Numbers a command (under the gate): inserts the call number frame after the command's name.</summary>
    private byte[] Number(List<byte[]> command)
    {
        var call = new byte[FreelanceAgent.CallFrameSize];
        BinaryPrimitives.WriteUInt64LittleEndian(call, ++_call);
        command.Insert(1, call);
        return call;
    }

    /// <summary>
    /// The answer-owed rule, shared by both forms: an answer is this call's when it carries this call's
    /// number; any other is owed to an earlier call that was abandoned, and is dropped.
    /// </summary>
    private bool IsAnswerTo(List<byte[]> answer, byte[] call)
    {
        if (answer.Count >= 2 && answer[1].AsSpan().SequenceEqual(call))
        {
            return true;
        }

        Interlocked.Increment(ref _droppedAnswers);
        return false;
    }

    private void ThrowIfAgentStopped()
    {
        if (_actor.IsCompleted)
        {
            throw new InvalidOperationException("the Freelance client's agent has stopped", _actor.Fault);
        }
    }

    private List<byte[]> Call(List<byte[]> command)
    {
        try
        {
            _gate.Wait(_disposing.Token);
        }
        catch (OperationCanceledException)
        {
            throw new ObjectDisposedException(GetType().FullName);
        }

        try
        {
            ObjectDisposedException.ThrowIf(_disposed || _disposing.IsCancellationRequested, this);
            byte[] call = Number(command);
            _actor.Pipe.SendMultipart(command);
            // The agent answers every command, a request at the latest when its global timeout passes;
            // the slices only make sure a dead agent (or a Dispose) is noticed instead of waited for.
            while (true)
            {
                if (_actor.Pipe.TryReceiveMultipart(AgentCheck, out var answer))
                {
                    if (IsAnswerTo(answer!, call)) // TryReceiveMultipart fills it when it returns true
                    {
                        return answer!;
                    }

                    continue;
                }

                ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
                ThrowIfAgentStopped();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<List<byte[]>> CallAsync(List<byte[]> command, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        try
        {
            await _gate.WaitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new ObjectDisposedException(GetType().FullName);
        }

        byte[]? call = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            call = Number(command);
            await _actor.Pipe.SendMultipartAsync(command, wait.Token).ConfigureAwait(false);
            while (true)
            {
                using var slice = CancellationTokenSource.CreateLinkedTokenSource(wait.Token);
                slice.CancelAfter(AgentCheck);
                try
                {
                    var answer = await _actor.Pipe.ReceiveMultipartAsync(slice.Token).ConfigureAwait(false);
                    if (IsAnswerTo(answer, call))
                    {
                        return answer;
                    }
                }
                catch (OperationCanceledException) when (!wait.IsCancellationRequested)
                {
                    ThrowIfAgentStopped();
                }
            }
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            ObjectDisposedException.ThrowIf(!cancellationToken.IsCancellationRequested, this);
            if (call is not null)
            {
                Abandon(call);
            }

            throw new OperationCanceledException(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Tells the agent a cancelled call no longer wants its answer (best effort: an answer that still comes is dropped by the next call).</summary>
    private void Abandon(byte[] call)
    {
        try
        {
            // Under the gate, with nothing of ours queued on the pipe: a non-blocking send (PAIR over
            // inproc has room unless the agent has stopped reading, and then nothing is owed anyway).
            _actor.Pipe.TrySendMultipart([FreelanceAgent.CancelCommand, call]);
        }
        catch (ZmqException)
        {
            // The context is shutting down: the agent stops with it.
        }
        catch (ObjectDisposedException)
        {
            // The context was disposed and closed the pipe.
        }
    }
}
