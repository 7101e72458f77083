using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ZmqNative.Patterns.BinaryStar;

/// <summary>Settings of a <see cref="BinaryStarClient"/>; the defaults are the Guide's (bstarcli.c).</summary>
public sealed class BinaryStarClientOptions
{
    /// <summary>How long one attempt waits for its reply: the Guide's REQUEST_TIMEOUT, 1000 ms.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>
    /// How long to wait before connecting to the other server after a timeout: the Guide's SETTLE_DELAY,
    /// 2000 ms. RequestTimeout + SettleDelay should be at least the servers' two heartbeats, so that the
    /// passive server sees its peer as dead by the time our vote arrives.
    /// </summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMilliseconds(2000);

    /// <summary>
    /// How many times one request is sent, the first send included, before it is abandoned; 0 (the default) keeps
    /// failing over between the two servers for ever, as the Guide's client does.
    /// </summary>
    public int Attempts { get; set; }

    /// <summary>Called on the caller's thread for each connect, failover, refused reply and abandon (see <see cref="BinaryStarClientEvent"/>).</summary>
    public Action<BinaryStarClientEvent>? Observer { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(SettleDelay, TimeSpan.Zero, nameof(SettleDelay));
        ArgumentOutOfRangeException.ThrowIfNegative(Attempts, nameof(Attempts));
    }
}

/// <summary>What a <see cref="BinaryStarClient"/> reports.</summary>
public enum BinaryStarClientEventKind
{
    /// <summary>A new socket connected to <see cref="BinaryStarClientEvent.Server"/>.</summary>
    Connecting,

    /// <summary>No (acceptable) reply in time from <see cref="BinaryStarClientEvent.Server"/>: the client fails over to the other server.</summary>
    FailingOver,

    /// <summary>A reply the caller's check refused (<see cref="BinaryStarClientEvent.Frames"/>); the attempt counts as failed.</summary>
    RejectedReply,

    /// <summary>Every attempt failed; the request is abandoned.</summary>
    Abandoned,
}

/// <summary>One thing a <see cref="BinaryStarClient"/> did.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Server">The server endpoint concerned.</param>
/// <param name="Frames">For <see cref="BinaryStarClientEventKind.RejectedReply"/>: the reply.</param>
public readonly record struct BinaryStarClientEvent(BinaryStarClientEventKind Kind, string Server, IReadOnlyList<byte[]>? Frames = null);

/// <summary>The outcome of one <see cref="BinaryStarClient.Request"/>: a reply, or a clear "gave up".</summary>
public sealed class BinaryStarResult
{
    private BinaryStarResult(bool succeeded, IReadOnlyList<byte[]> reply, int attempts, string? server)
    {
        Succeeded = succeeded;
        Reply = reply;
        Attempts = attempts;
        Server = server;
    }

    /// <summary>True when a reply arrived (and passed the caller's check); false when the request was abandoned.</summary>
    [MemberNotNullWhen(true, nameof(ReplyText), nameof(Server))]
    public bool Succeeded { get; }

    /// <summary>The reply's frames; empty when abandoned.</summary>
    public IReadOnlyList<byte[]> Reply { get; }

    /// <summary>The reply's first frame as UTF-8 text; null when abandoned.</summary>
    public string? ReplyText => Succeeded ? Encoding.UTF8.GetString(Reply[0]) : null;

    /// <summary>How many times the request was sent.</summary>
    public int Attempts { get; }

    /// <summary>The server that answered; null when abandoned.</summary>
    public string? Server { get; }

    internal static BinaryStarResult Replied(IReadOnlyList<byte[]> reply, int attempts, string server) => new(true, reply, attempts, server);

    internal static BinaryStarResult Abandoned(int attempts) => new(false, [], attempts, null);
}

/// <summary>
/// The Binary Star client (Guide chapter 4, bstarcli.c): Lazy Pirate request-reply over a REQ socket that fails
/// over between the primary and the backup. An attempt waits <see cref="BinaryStarClientOptions.RequestTimeout"/>;
/// on a timeout the socket is closed (zero linger), the client waits <see cref="BinaryStarClientOptions.SettleDelay"/>,
/// connects to the other server and sends the same request again. It stays with whichever server answers, and
/// starts with the primary.
/// </summary>
/// <remarks>
/// <para><b>Survives:</b> the active server's crash (its request is resent to the other server, whose state
/// machine lets it through once the dead one has been silent for two heartbeats - the client's request is the
/// "vote"); a partition between this client and one server; a passive server that refuses it (it fails over back).</para>
/// <para><b>Does not survive:</b> both servers down (it keeps failing over, or gives up after
/// <see cref="BinaryStarClientOptions.Attempts"/>). A request in flight when the active server died is retried on
/// the other server: if the dead server had processed it and only its reply was lost, it is processed twice, so
/// requests should be idempotent (or carry a number the server can check, as the Guide's sequence numbers).
/// Replies are never doubled or reordered from the caller's view: a late reply goes to a closed socket.</para>
/// <para>One thread at a time.</para>
/// </remarks>
public sealed class BinaryStarClient : IDisposable
{
    /// <summary>The primary's endpoint in the Guide.</summary>
    public const string DefaultPrimary = "tcp://localhost:5001";

    /// <summary>The backup's endpoint in the Guide.</summary>
    public const string DefaultBackup = "tcp://localhost:5002";

    private readonly ZmqContext _context;
    private readonly BinaryStarClientOptions _options;
    private readonly string[] _servers;
    private int _current;
    private ZmqSocket? _socket;
    private bool _disposed;

    /// <summary>Creates the client and connects to the primary (lazily: neither server need be up).</summary>
    /// <param name="context">The context.</param>
    /// <param name="primary">The primary's endpoint (<see cref="DefaultPrimary"/>).</param>
    /// <param name="backup">The backup's endpoint (<see cref="DefaultBackup"/>).</param>
    /// <param name="options">Timeouts, attempts and observer; the Guide's values when null.</param>
    public BinaryStarClient(ZmqContext context, string primary = DefaultPrimary, string backup = DefaultBackup, BinaryStarClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(primary);
        ArgumentException.ThrowIfNullOrEmpty(backup);
        _options = options ?? new BinaryStarClientOptions();
        _options.Validate();
        _context = context;
        _servers = [primary, backup];
        Open();
    }

    /// <summary>The server the client talks to now.</summary>
    public string CurrentServer => _servers[_current];

    /// <summary>Sends a request and waits for its reply, failing over between the servers as the pattern says.</summary>
    /// <param name="request">The request's frames (at least one).</param>
    /// <param name="accept">Optional check of a reply (the Guide's client checks its sequence number); a refused reply counts as a failed attempt.</param>
    /// <param name="cancellation">Ends the wait early; the result is then abandoned.</param>
    /// <returns>The reply, or a result that says the request was abandoned.</returns>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public BinaryStarResult Request(IReadOnlyList<byte[]> request, Func<IReadOnlyList<byte[]>, bool>? accept = null, CancellationToken cancellation = default)
    {
        LazyReq.CheckRequest(request);

        ObjectDisposedException.ThrowIf(_disposed, this);
        int attempt = 0;
        while (!cancellation.IsCancellationRequested && (_options.Attempts == 0 || attempt < _options.Attempts))
        {
            attempt++;
            var reply = LazyReq.Exchange(_socket ?? Open(), request, _options.RequestTimeout);
            if (Accepted(reply, accept, attempt) is { } result)
            {
                return result;
            }

            if (LastAttempt(attempt) || cancellation.WaitHandle.WaitOne(_options.SettleDelay))
            {
                break;
            }

            Open();
        }

        return Abandon(attempt);
    }

    /// <summary>
    /// <see cref="Request"/> awaitable: the same attempts, failover, settle delay and result, with no thread
    /// blocked while it waits.
    /// </summary>
    /// <param name="request">The request's frames (at least one).</param>
    /// <param name="accept">Optional check of a reply; a refused reply counts as a failed attempt.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/> (unlike
    /// <see cref="Request"/>, which returns an abandoned result); the socket is closed.</param>
    /// <returns>The reply, or a result that says the request was abandoned after <see cref="BinaryStarClientOptions.Attempts"/>.</returns>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public async ValueTask<BinaryStarResult> RequestAsync(
        IReadOnlyList<byte[]> request, Func<IReadOnlyList<byte[]>, bool>? accept = null, CancellationToken cancellationToken = default)
    {
        LazyReq.CheckRequest(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int attempt = 0;
        try
        {
            while (_options.Attempts == 0 || attempt < _options.Attempts)
            {
                attempt++;
                var reply = await LazyReq.ExchangeAsync(_socket ?? Open(), request, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
                if (Accepted(reply, accept, attempt) is { } result)
                {
                    return result;
                }

                if (LastAttempt(attempt))
                {
                    break;
                }

                await Task.Delay(_options.SettleDelay, cancellationToken).ConfigureAwait(false);
                Open();
            }
        }
        catch (OperationCanceledException)
        {
            Close(); // a REQ socket stuck waiting for its reply: the next request starts on a fresh one
            throw;
        }

        return Abandon(attempt);
    }

    /// <summary>Sends a one-frame text request and waits for the reply's first frame as text.</summary>
    /// <param name="request">The request.</param>
    /// <param name="reply">The reply, or null when abandoned.</param>
    /// <returns>False when the request was abandoned.</returns>
    public bool TryRequest(string request, [NotNullWhen(true)] out string? reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = Request([Encoding.UTF8.GetBytes(request)]);
        reply = result.ReplyText;
        return result.Succeeded;
    }

    /// <summary>Closes the socket. Harmless when called again.</summary>
    public void Dispose()
    {
        _disposed = true;
        Close();
    }

    /// <summary>
    /// One attempt's end: the result when its reply is accepted; else null, with the stuck socket closed
    /// and, unless it was the last attempt, the client turned to the other server (opened after the settle delay).
    /// </summary>
    private BinaryStarResult? Accepted(List<byte[]>? reply, Func<IReadOnlyList<byte[]>, bool>? accept, int attempt)
    {
        if (reply is not null)
        {
            if (accept is null || accept(reply))
            {
                return BinaryStarResult.Replied(reply, attempt, CurrentServer);
            }

            _options.Observer?.Invoke(new BinaryStarClientEvent(BinaryStarClientEventKind.RejectedReply, CurrentServer, reply));
        }

        if (!LastAttempt(attempt))
        {
            // The REQ socket is stuck waiting for a reply that may never come: close it (zero linger drops the
            // queued request), let the pair settle (the passive server must see its peer dead for two heartbeats
            // before our vote counts), and resend to the other server.
            _options.Observer?.Invoke(new BinaryStarClientEvent(BinaryStarClientEventKind.FailingOver, CurrentServer));
            Close();
            _current = 1 - _current;
        }

        return null;
    }

    private bool LastAttempt(int attempt) => _options.Attempts != 0 && attempt >= _options.Attempts;

    private BinaryStarResult Abandon(int attempts)
    {
        Close();
        _options.Observer?.Invoke(new BinaryStarClientEvent(BinaryStarClientEventKind.Abandoned, CurrentServer));
        return BinaryStarResult.Abandoned(attempts);
    }

    private ZmqSocket Open() => _socket = LazyReq.Open(_context, CurrentServer, () => _options.Observer?.Invoke(new BinaryStarClientEvent(BinaryStarClientEventKind.Connecting, CurrentServer)));

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
