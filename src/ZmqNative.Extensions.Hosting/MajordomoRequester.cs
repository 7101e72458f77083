using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Options;
using ZmqNative.Patterns.Majordomo;

namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Sends Majordomo requests from any thread, e.g. from ASP.NET Core endpoints handling many HTTP requests at once
/// (<see cref="ZmqNativeServiceCollectionExtensions.AddMajordomoRequester"/>). A socket is used by one thread at a
/// time, so each request in flight takes a <see cref="MajordomoClient"/> of its own from a pool (at most
/// <see cref="MajordomoRequesterOptions.MaxConcurrentRequests"/>; further callers wait for one) and gives it back after.
/// </summary>
/// <remarks>
/// The wait for the reply is <see cref="MajordomoClient.SendAsync"/>: no thread is blocked while a request is in flight.
/// </remarks>
public sealed class MajordomoRequester : IDisposable
{
    private readonly ZmqContext _context;
    private readonly MajordomoRequesterOptions _options;
    private readonly IServiceProvider _services;
    private readonly ConcurrentBag<MajordomoClient> _idle = [];
    private readonly SemaphoreSlim _slots;
    private string? _broker;
    private int _disposed;

    /// <summary>Creates the pool (the DI container does); clients are created on first use.</summary>
    /// <param name="context">The host's context.</param>
    /// <param name="options">Broker, timeout, retries, concurrency.</param>
    /// <param name="services">Used to find the host's own broker when no endpoint is configured.</param>
    public MajordomoRequester(ZmqContext context, IOptions<MajordomoRequesterOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _options = options.Value;
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConcurrentRequests, 1, nameof(MajordomoRequesterOptions.MaxConcurrentRequests));
        _services = services;
        _slots = new SemaphoreSlim(_options.MaxConcurrentRequests, _options.MaxConcurrentRequests);
    }

    /// <summary>Sends a request and waits for its reply, retrying as configured.</summary>
    /// <param name="service">The service name.</param>
    /// <param name="request">The request's body frames.</param>
    /// <param name="cancellation">Ends the wait for a free client or for the reply (<see cref="OperationCanceledException"/>; a request already sent may still be served).</param>
    /// <returns>The reply's body frames, or null when every attempt timed out.</returns>
    /// <exception cref="ContextTerminatedException">The host is shutting down.</exception>
    public async Task<IReadOnlyList<byte[]>?> RequestAsync(string service, IReadOnlyList<byte[]> request, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _slots.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            MajordomoClient client = _idle.TryTake(out var pooled) ? pooled : NewClient();
            List<byte[]>? reply;
            try
            {
                reply = await client.SendAsync(service, request, cancellation).ConfigureAwait(false);
            }
            catch
            {
                client.Dispose();
                throw;
            }

            Return(client);
            return reply;
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Sends a one-frame UTF-8 text request and returns the reply's first frame as text.</summary>
    /// <param name="service">The service name.</param>
    /// <param name="request">The request text.</param>
    /// <param name="cancellation">Ends the wait for a free client.</param>
    /// <returns>The reply text, or null when every attempt timed out.</returns>
    public async Task<string?> RequestAsync(string service, string request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reply = await RequestAsync(service, [Encoding.UTF8.GetBytes(request)], cancellation).ConfigureAwait(false);
        return reply is { Count: > 0 } ? Encoding.UTF8.GetString(reply[0]) : null;
    }

    /// <summary>Closes the idle clients; later requests throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryTake(out var client))
        {
            client.Dispose();
        }
    }

    private MajordomoClient NewClient()
    {
        _broker ??= InHostBroker.Resolve(_options.Broker, _services, "The Majordomo requester");
        return new MajordomoClient(_context, _broker, new MajordomoClientOptions { Timeout = _options.Timeout, Retries = _options.Retries });
    }

    private void Return(MajordomoClient client)
    {
        _idle.Add(client);
        if (Volatile.Read(ref _disposed) != 0 && _idle.TryTake(out var late))
        {
            late.Dispose();
        }
    }
}
