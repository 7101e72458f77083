using System.Diagnostics.CodeAnalysis;
using System.Text;
using ZmqNative.Patterns.Loop;

namespace ZmqNative.Patterns.Freelance;

/// <summary>Settings of a <see cref="FreelanceShotgunClient"/>; the defaults are the Guide's (flclient2).</summary>
public sealed class FreelanceShotgunClientOptions
{
    /// <summary>How long a request waits for any server to answer (GLOBAL_TIMEOUT, 2500 ms).</summary>
    public TimeSpan GlobalTimeout { get; set; } = FreelanceProtocol.DefaultShotgunTimeout;

    /// <summary>Called on the caller's thread for each connect, each copy sent and each reply.</summary>
    public Action<FreelanceEvent>? Observer { get; set; }

    internal void Validate() =>
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(GlobalTimeout, TimeSpan.Zero, nameof(GlobalTimeout));
}

/// <summary>
/// Freelance model two, the brutal shotgun (Guide chapter 4, flclient2): one DEALER connected to every
/// server; each request is numbered and sent as many times as there are servers (DEALER spreads the
/// copies over the connected servers), the first reply with the right number wins and the others are
/// dropped. Frames on the wire: <c>[""][sequence][body...]</c> out, <c>[""][sequence][reply...]</c> back,
/// which a REP server sees as <c>[sequence][body...]</c>.
/// </summary>
/// <remarks>
/// <para><b>Survives:</b> any servers being down as long as one is up, with no timeout paid for the dead
/// ones; servers restarting.</para>
/// <para><b>Does not survive:</b> every server being down for the global timeout. It multiplies traffic by
/// the number of servers, cannot prefer one server over another, and a server may get the same request
/// more than once (copies meant for a disconnected server go to the others): requests must be idempotent.</para>
/// <para>One thread at a time.</para>
/// </remarks>
public sealed class FreelanceShotgunClient : IDisposable
{
    private readonly ZmqSocket _socket;
    private readonly FreelanceShotgunClientOptions _options;
    private uint _sequence;
    private int _servers;

    /// <summary>Creates the client's DEALER socket.</summary>
    /// <param name="context">The context.</param>
    /// <param name="options">Timeout and observer; the Guide's values when null.</param>
    public FreelanceShotgunClient(ZmqContext context, FreelanceShotgunClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _options = options ?? new FreelanceShotgunClientOptions();
        _options.Validate();
        _socket = context.CreateSocket(ZmqSocketType.Dealer);
        _socket.Linger = TimeSpan.Zero;
    }

    /// <summary>How many servers it is connected to.</summary>
    public int ServerCount => _servers;

    /// <summary>Connects to one more server.</summary>
    /// <param name="endpoint">The server's endpoint.</param>
    public void Connect(string endpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        _socket.Connect(endpoint);
        _servers++;
        _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.Connecting, endpoint));
    }

    /// <summary>Blasts the request at every server and waits for the first matching reply.</summary>
    /// <param name="request">The request's body frames (at least one).</param>
    /// <param name="reply">The reply's body (after the sequence frame), or null when no server answered in time.</param>
    /// <returns>False when no server answered within the global timeout.</returns>
    /// <exception cref="InvalidOperationException">No server was connected.</exception>
    public bool TryRequest(IReadOnlyList<byte[]> request, [NotNullWhen(true)] out List<byte[]>? reply)
    {
        LazyReq.CheckRequest(request);

        if (_servers == 0)
        {
            throw new InvalidOperationException("connect to at least one server first");
        }

        uint sequence = ++_sequence;
        List<byte[]> message = [[], FreelanceProtocol.SequenceFrame(sequence), .. request];
        long deadline = TimeProvider.System.NowMilliseconds() + LoopClock.Milliseconds(_options.GlobalTimeout);
        for (int i = 0; i < _servers; i++)
        {
            // DEALER round-robins over its pipes, so each copy goes to the next server.
            if (!_socket.TrySendMultipart(message, Remaining(deadline)))
            {
                break;
            }

            _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.RequestSent, Frames: message));
        }

        while (_socket.TryReceiveMultipart(Remaining(deadline), out var frames))
        {
            if (Match(frames!, sequence) is { } matched) // frames is filled when it returns true
            {
                reply = matched;
                return true;
            }
        }

        _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.RequestFailed));
        reply = null;
        return false;
    }

    /// <summary>
    /// <see cref="TryRequest(IReadOnlyList{byte[]}, out List{byte[]})"/> awaitable: the same copies to every server and
    /// the same global timeout, with no thread blocked while it waits.
    /// </summary>
    /// <param name="request">The request's body frames (at least one).</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>. Replies to it that come
    /// later carry its sequence number and are dropped by the next request as stale.</param>
    /// <returns>The reply's body (after the sequence frame), or null when no server answered within the global timeout.</returns>
    /// <exception cref="InvalidOperationException">No server was connected.</exception>
    public async ValueTask<List<byte[]>?> RequestAsync(IReadOnlyList<byte[]> request, CancellationToken cancellationToken = default)
    {
        LazyReq.CheckRequest(request);
        if (_servers == 0)
        {
            throw new InvalidOperationException("connect to at least one server first");
        }

        uint sequence = ++_sequence;
        List<byte[]> message = [[], FreelanceProtocol.SequenceFrame(sequence), .. request];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.GlobalTimeout);
        try
        {
            for (int i = 0; i < _servers; i++)
            {
                await _socket.SendMultipartAsync(message, timeout.Token).ConfigureAwait(false);
                _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.RequestSent, Frames: message));
            }

            while (true)
            {
                if (Match(await _socket.ReceiveMultipartAsync(timeout.Token).ConfigureAwait(false), sequence) is { } reply)
                {
                    return reply;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.RequestFailed));
            return null; // the global timeout, not the caller
        }
    }

    /// <summary>Sends a one-frame text request, awaitable; completes with the reply's first frame as text.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">As in <see cref="RequestAsync(IReadOnlyList{byte[]}, CancellationToken)"/>.</param>
    /// <returns>The reply, or null when no server answered in time.</returns>
    public async ValueTask<string?> RequestAsync(string request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await RequestAsync([Encoding.UTF8.GetBytes(request)], cancellationToken).ConfigureAwait(false) is { } frames ? Encoding.UTF8.GetString(frames[0]) : null;
    }

    /// <summary>Sends a one-frame text request; the reply's first frame comes back as text.</summary>
    /// <param name="request">The request.</param>
    /// <param name="reply">The reply, or null when no server answered in time.</param>
    /// <returns>False when no server answered within the global timeout.</returns>
    public bool TryRequest(string request, [NotNullWhen(true)] out string? reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool ok = TryRequest([Encoding.UTF8.GetBytes(request)], out var frames);
        reply = ok ? Encoding.UTF8.GetString(frames![0]) : null;
        return ok;
    }

    /// <summary>Closes the socket. Harmless when called again.</summary>
    public void Dispose() => _socket.Dispose();

    /// <summary>One received message, shared by both forms: the reply's body when it answers <paramref name="sequence"/>, else null (dropped as stale).</summary>
    private List<byte[]>? Match(List<byte[]> received, uint sequence)
    {
        // [""][sequence][reply...]: anything else is a server that does not speak model two.
        if (received.Count >= 3 && received[0].Length == 0 && FreelanceProtocol.IsSequence(received[1], sequence))
        {
            _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.ReplyReceived, Frames: received));
            return received.GetRange(2, received.Count - 2);
        }

        _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.StaleReply, Frames: received));
        return null;
    }

    private static TimeSpan Remaining(long deadline) => TimeSpan.FromMilliseconds(Math.Max(0, deadline - TimeProvider.System.NowMilliseconds()));
}
