using Microsoft.Extensions.DependencyInjection;

namespace ZmqNative.Extensions.Hosting;

/// <summary>Calls a request handler in a new DI scope per request, waiting for it on the service's thread.</summary>
internal sealed class RequestDispatcher(IServiceScopeFactory scopes, Func<IServiceProvider, IZmqRequestHandler> resolve, string service)
{
    public string Service { get; } = service;

    /// <summary>Handles one request; exceptions (the handler's, or an empty reply) propagate to the caller, which decides what a failure means for its protocol.</summary>
    public IReadOnlyList<byte[]> Handle(IReadOnlyList<byte[]> frames, CancellationToken cancellation)
    {
        using var scope = scopes.CreateScope();
        var handler = resolve(scope.ServiceProvider);
        ValueTask<IReadOnlyList<byte[]>> pending = handler.HandleAsync(new ZmqRequest(Service, frames), cancellation);

        // The loops are synchronous: this thread is the service's own (no synchronization context), so waiting is safe.
        IReadOnlyList<byte[]> reply = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (reply is null || reply.Count == 0)
        {
            throw new InvalidOperationException($"the request handler for {Service} returned no reply frames");
        }

        return reply;
    }
}

/// <summary>An <see cref="IZmqRequestHandler"/> made of a delegate.</summary>
internal sealed class DelegateRequestHandler(IServiceProvider services, Func<IServiceProvider, ZmqRequest, CancellationToken, ValueTask<IReadOnlyList<byte[]>>> handler) : IZmqRequestHandler
{
    public ValueTask<IReadOnlyList<byte[]>> HandleAsync(ZmqRequest request, CancellationToken cancellation) => handler(services, request, cancellation);
}

/// <summary>Finds the endpoint of the broker this host runs, for clients and workers configured without one.</summary>
internal static class InHostBroker
{
    public static string Resolve(string? configured, IServiceProvider services, string who)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var broker = services.GetService<MajordomoBrokerService>()
            ?? throw new InvalidOperationException($"{who} has no Broker endpoint configured and this host runs no Majordomo broker (AddMajordomoBroker)");
        var endpoints = broker.Endpoints;
        if (endpoints.Count == 0)
        {
            throw new InvalidOperationException($"{who} has no Broker endpoint configured and this host's Majordomo broker has not bound yet: call AddMajordomoBroker before the services that use it (hosted services start in registration order)");
        }

        // A wildcard bind reports the any-address; connect to the loopback one instead.
        return endpoints[0].Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://[::]:", "://[::1]:", StringComparison.Ordinal);
    }
}
