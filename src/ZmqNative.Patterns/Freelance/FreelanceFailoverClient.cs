using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ZmqNative.Patterns.Freelance;

/// <summary>Settings of a <see cref="FreelanceFailoverClient"/>; the defaults are the Guide's (flclient1).</summary>
public sealed class FreelanceFailoverClientOptions
{
    /// <summary>How long each try waits for its reply (REQUEST_TIMEOUT, 1000 ms).</summary>
    public TimeSpan RequestTimeout { get; set; } = FreelanceProtocol.DefaultFailoverTimeout;

    /// <summary>With a single server, how many tries before giving up (MAX_RETRIES, 3). With several, each is tried once.</summary>
    public int Retries { get; set; } = FreelanceProtocol.DefaultFailoverRetries;

    /// <summary>Called on the caller's thread for each try and each timeout.</summary>
    public Action<FreelanceEvent>? Observer { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(Retries, 1, nameof(Retries));
    }
}

/// <summary>
/// Freelance model one, simple retry and failover (Guide chapter 4, flclient1): Lazy Pirate over a
/// list of servers. Each try opens a REQ socket to one server, sends the request, waits
/// <see cref="FreelanceFailoverClientOptions.RequestTimeout"/> and closes the socket. With one server it
/// tries <see cref="FreelanceFailoverClientOptions.Retries"/> times; with several it tries each once, in
/// order, and stops at the first reply.
/// </summary>
/// <remarks>
/// <para><b>Survives:</b> any server but the last being down, slow or gone; a server restarting.</para>
/// <para><b>Does not survive:</b> every server being down (the request fails). Each dead server ahead in
/// the list costs every request a full timeout, since the client remembers nothing between requests;
/// model three (<see cref="FreelanceClient"/>) fixes that. Requests may reach more than one server.</para>
/// <para>Works with any REP or ROUTER server that echoes or answers (the Guide's flserver1 echoes). One thread at a time.</para>
/// </remarks>
public sealed class FreelanceFailoverClient
{
    private readonly ZmqContext _context;
    private readonly FreelanceFailoverClientOptions _options;
    private readonly string[] _endpoints;

    /// <summary>Creates the client (nothing is connected until a request).</summary>
    /// <param name="context">The context.</param>
    /// <param name="endpoints">The servers, most preferred first; at least one.</param>
    /// <param name="options">Timeout, retries and observer; the Guide's values when null.</param>
    public FreelanceFailoverClient(ZmqContext context, IEnumerable<string> endpoints, FreelanceFailoverClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(endpoints);
        _endpoints = [.. endpoints];
        if (_endpoints.Length == 0 || _endpoints.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("give at least one endpoint, none empty", nameof(endpoints));
        }

        _options = options ?? new FreelanceFailoverClientOptions();
        _options.Validate();
        _context = context;
    }

    /// <summary>The servers, in the order they are tried.</summary>
    public IReadOnlyList<string> Endpoints => _endpoints;

    /// <summary>Sends the request to one server after another until one answers.</summary>
    /// <param name="request">The request's frames (at least one).</param>
    /// <param name="reply">The first reply, or null when no server answered.</param>
    /// <returns>False when every try timed out.</returns>
    public bool TryRequest(IReadOnlyList<byte[]> request, [NotNullWhen(true)] out List<byte[]>? reply)
    {
        LazyReq.CheckRequest(request);

        for (int i = 0; i < Tries; i++)
        {
            string endpoint = Endpoint(i);
            if (TryOne(endpoint, request, out reply))
            {
                return true;
            }

            NoResponse(endpoint, i);
        }

        reply = null;
        return false;
    }

    /// <summary>Sends a one-frame text request; the reply's first frame comes back as text.</summary>
    /// <param name="request">The request.</param>
    /// <param name="reply">The reply, or null when no server answered.</param>
    /// <returns>False when every try timed out.</returns>
    public bool TryRequest(string request, [NotNullWhen(true)] out string? reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool ok = TryRequest([Encoding.UTF8.GetBytes(request)], out var frames);
        reply = ok ? Encoding.UTF8.GetString(frames![0]) : null;
        return ok;
    }

    /// <summary>
    /// <see cref="TryRequest(IReadOnlyList{byte[]}, out List{byte[]})"/> awaitable: the same tries, each on a fresh
    /// REQ socket within <see cref="FreelanceFailoverClientOptions.RequestTimeout"/>, with no thread blocked while it waits.
    /// </summary>
    /// <param name="request">The request's frames (at least one).</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>; the try's socket is
    /// closed (zero linger), so nothing of it reaches a later request. A server may still process the request.</param>
    /// <returns>The first reply, or null when every try timed out.</returns>
    public async ValueTask<List<byte[]>?> RequestAsync(IReadOnlyList<byte[]> request, CancellationToken cancellationToken = default)
    {
        LazyReq.CheckRequest(request);
        for (int i = 0; i < Tries; i++)
        {
            string endpoint = Endpoint(i);
            _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.Trying, endpoint));
            using (var client = LazyReq.Open(_context, endpoint, connecting: null))
            {
                if (await LazyReq.ExchangeAsync(client, request, _options.RequestTimeout, cancellationToken).ConfigureAwait(false) is { } reply)
                {
                    return reply;
                }
            }

            NoResponse(endpoint, i);
        }

        return null;
    }

    /// <summary>Sends a one-frame text request, awaitable; completes with the reply's first frame as text.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">As in <see cref="RequestAsync(IReadOnlyList{byte[]}, CancellationToken)"/>.</param>
    /// <returns>The reply, or null when no server answered.</returns>
    public async ValueTask<string?> RequestAsync(string request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await RequestAsync([Encoding.UTF8.GetBytes(request)], cancellationToken).ConfigureAwait(false) is { } frames ? Encoding.UTF8.GetString(frames[0]) : null;
    }

    /// <summary>How many tries a request gets: each server once, or a single server <see cref="FreelanceFailoverClientOptions.Retries"/> times.</summary>
    private int Tries => _endpoints.Length == 1 ? _options.Retries : _endpoints.Length;

    private string Endpoint(int attempt) => _endpoints.Length == 1 ? _endpoints[0] : _endpoints[attempt];

    private void NoResponse(string endpoint, int attempt) =>
        _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.NoResponse, endpoint, Count: _endpoints.Length == 1 ? Tries - attempt - 1 : 0));

    private bool TryOne(string endpoint, IReadOnlyList<byte[]> request, [NotNullWhen(true)] out List<byte[]>? reply)
    {
        _options.Observer?.Invoke(new FreelanceEvent(FreelanceEventKind.Trying, endpoint));
        // A fresh REQ per try, closed with zero linger: nothing of a failed try survives into the next.
        using var client = LazyReq.Open(_context, endpoint, connecting: null);
        reply = LazyReq.Exchange(client, request, _options.RequestTimeout);
        return reply is not null;
    }
}
