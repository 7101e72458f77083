namespace ZmqNative.Extensions.Hosting.Tests.Support;

/// <summary>A scoped dependency: one instance per DI scope, so a handler can show it got a scope per request.</summary>
public sealed class RequestScope
{
    public Guid Id { get; } = Guid.NewGuid();
}

/// <summary>Echoes the request's frames, and records the scope each request ran in.</summary>
public sealed class EchoHandler(RequestScope scope, ScopeLog log) : IZmqRequestHandler
{
    public ValueTask<IReadOnlyList<byte[]>> HandleAsync(ZmqRequest request, CancellationToken cancellation)
    {
        log.Scopes.Add(scope.Id);
        if (request.Frames.Count > 0 && request.Frames[0].AsSpan().SequenceEqual("fail"u8))
        {
            throw new InvalidOperationException("asked to fail");
        }

        return ValueTask.FromResult(request.Frames);
    }
}

/// <summary>Singleton: the scopes requests ran in.</summary>
public sealed class ScopeLog
{
    public System.Collections.Concurrent.ConcurrentBag<Guid> Scopes { get; } = [];
}
