using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Bounds the host's shutdown by the context: <see cref="ZmqNativeOptions.ShutdownGrace"/> after the host
/// starts stopping, the context is shut down (zmq_ctx_shutdown(3)), so a call still blocked on one of its
/// sockets ends with <see cref="ContextTerminatedException"/> instead of holding the host for its whole
/// shutdown timeout. It also shuts the context down when it is itself stopped (it is registered before the
/// services that use the context, so it stops after them). The container disposes the context afterwards.
/// </summary>
internal sealed class ZmqContextLifetime(
    ZmqContext context,
    IOptions<ZmqNativeOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ZmqContextLifetime> logger) : IHostedService, IDisposable
{
    private readonly TimeSpan _grace = options.Value.ShutdownGrace;
    private CancellationTokenRegistration _stopping;
    private Timer? _timer;
    private int _shutDown;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(() =>
            _timer = new Timer(_ => ShutDown($"the host began stopping {_grace} ago (ShutdownGrace)"), null, _grace, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        ShutDown("the host stopped its ZeroMQ services");
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _timer?.Dispose();
    }

    private void ShutDown(string reason)
    {
        if (Interlocked.Exchange(ref _shutDown, 1) == 0)
        {
            context.Shutdown();
            Log.ContextShutdown(logger, reason);
        }
    }
}
