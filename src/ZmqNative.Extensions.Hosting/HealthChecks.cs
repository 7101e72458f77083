using Microsoft.Extensions.Diagnostics.HealthChecks;
using ZmqNative.Patterns.BinaryStar;

namespace ZmqNative.Extensions.Hosting;

/// <summary>
/// Healthy while the host's context can still create a socket (it is not shut down or disposed). Register it with
/// <c>services.AddHealthChecks().AddCheck&lt;ZmqContextHealthCheck&gt;("zmq-context")</c>.
/// </summary>
/// <param name="context">The host's context.</param>
public sealed class ZmqContextHealthCheck(ZmqContext context) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext healthContext, CancellationToken cancellationToken = default)
    {
        try
        {
            // zmq_socket(3) fails with ETERM once the context is shut down: the cheapest real probe there is.
            using var probe = context.CreateSocket(ZmqSocketType.Pair);
            return Task.FromResult(HealthCheckResult.Healthy("the ZeroMQ context is running"));
        }
        catch (Exception e) when (e is ZmqException or ObjectDisposedException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the ZeroMQ context is shut down", e));
        }
    }
}

/// <summary>
/// The Majordomo broker's health: unhealthy unless its loop runs; degraded when its waiting requests pass 90 % of
/// <see cref="MajordomoBrokerServiceOptions.MaxQueuedRequests"/> (workers do not keep up, and the oldest requests are
/// about to be dropped); healthy otherwise. Data: queued, dropped.
/// </summary>
/// <param name="broker">The hosted broker.</param>
public sealed class MajordomoBrokerHealthCheck(MajordomoBrokerService broker) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["queued"] = broker.QueuedRequests, ["dropped"] = broker.DroppedRequests };
        HealthCheckResult result = broker.Status != ZmqServiceStatus.Running
            ? HealthCheckResult.Unhealthy($"the Majordomo broker is {broker.Status}", data: data)
            : broker.QueuedRequests * 10L >= broker.MaxQueuedRequests * 9L
                ? HealthCheckResult.Degraded($"{broker.QueuedRequests} requests wait for workers (bound {broker.MaxQueuedRequests})", data: data)
                : HealthCheckResult.Healthy("the Majordomo broker is serving", data);
        return Task.FromResult(result);
    }
}

/// <summary>
/// A Binary Star server's health: healthy when active or passive (a passive server is a working standby), degraded while
/// it has not heard its peer yet (still <see cref="BinaryStarState.Primary"/> or <see cref="BinaryStarState.Backup"/>),
/// unhealthy when its loop has stopped (a conflict, or the host stopping). Data: state.
/// </summary>
/// <param name="server">The hosted server.</param>
public sealed class BinaryStarHealthCheck(BinaryStarService server) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = server.State;
        var data = new Dictionary<string, object> { ["state"] = state?.ToString() ?? "not started" };
        HealthCheckResult result = server.Status != ZmqServiceStatus.Running
            ? HealthCheckResult.Unhealthy($"the Binary Star server is {server.Status}", data: data)
            : state is BinaryStarState.Active or BinaryStarState.Passive
                ? HealthCheckResult.Healthy($"the Binary Star server is {state}", data)
                : HealthCheckResult.Degraded($"the Binary Star server is {state}, waiting for its peer", data: data);
        return Task.FromResult(result);
    }
}
