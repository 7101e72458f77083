using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZmqNative.Patterns.Freelance;

namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Runs a <see cref="FreelanceServer"/> (RFC 10/FLP) in the host (<see cref="ZmqNativeServiceCollectionExtensions.AddFreelanceServer{THandler}"/>):
/// pings are answered by the server itself, requests by an <see cref="IZmqRequestHandler"/> from a new DI scope. A
/// handler that throws ends the server and stops the host (FLP has no error reply; clients fail over to another server).
/// </summary>
public sealed class FreelanceService : ZmqServiceBase
{
    private readonly FreelanceServiceOptions _options;
    private readonly RequestDispatcher _dispatcher;
    private FreelanceServer? _server;

    internal FreelanceService(ZmqContext context, FreelanceServiceOptions options, RequestDispatcher dispatcher, ILogger logger, IHostApplicationLifetime lifetime)
        : base("Freelance server", context, logger, lifetime)
    {
        _options = options;
        _dispatcher = dispatcher;
    }

    /// <summary>The bound endpoint, once started.</summary>
    public string? BoundEndpoint => _server?.BoundEndpoint;

    /// <inheritdoc/>
    protected override string Open()
    {
        _server = new FreelanceServer(Context, _options.Bind, string.IsNullOrEmpty(_options.PublicEndpoint) ? null : _options.PublicEndpoint, new FreelanceServerOptions
        {
            Observer = e =>
            {
                if (e.Kind == FreelanceEventKind.InvalidMessage)
                {
                    Log.InvalidMessage(Logger, Name, "not an FLP request");
                }
            },
        });
        return $"{_server.BoundEndpoint} as {_server.PublicEndpoint}";
    }

    /// <inheritdoc/>
    protected override void Run(CancellationToken cancellation) => _server!.Run(frames => _dispatcher.Handle(frames, cancellation), cancellation);

    /// <inheritdoc/>
    protected override void Close() => _server?.Dispose();
}
