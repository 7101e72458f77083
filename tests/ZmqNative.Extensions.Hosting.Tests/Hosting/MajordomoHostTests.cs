using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ZmqNative.Extensions.Hosting.Tests.Support;

namespace ZmqNative.Extensions.Hosting.Tests.Hosting;

/// <summary>A generic host running a Majordomo broker and workers configured from an in-memory source.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class MajordomoHostTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static Dictionary<string, string?> Settings(int instances = 2) => new()
    {
        ["ZmqNative:IoThreads"] = "2",
        ["ZmqNative:DefaultLinger"] = "00:00:00.5",
        ["ZmqNative:ShutdownGrace"] = "00:00:01",
        ["ZmqNative:MajordomoBroker:Endpoints:0"] = "tcp://127.0.0.1:*",
        ["ZmqNative:MajordomoBroker:HeartbeatInterval"] = TestHost.Heartbeat,
        ["ZmqNative:MajordomoWorkers:echo:Instances"] = instances.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ZmqNative:MajordomoWorkers:echo:HeartbeatInterval"] = TestHost.Heartbeat,
        ["ZmqNative:MajordomoWorkers:echo:ReconnectInterval"] = TestHost.Heartbeat,
        ["ZmqNative:MajordomoClient:Timeout"] = "00:00:02",
    };

    private static IHost Build(LogCapture logs, Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var builder = TestHost.Builder(settings, logs);
        builder.Services.AddZmqNative()
            .AddMajordomoBroker()
            .AddMajordomoWorker<EchoHandler>("echo")
            .AddMajordomoRequester();
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    [Test]
    public async Task Host_BrokerAndWorkersFromConfiguration_EveryConcurrentRequestAnswered()
    {
        var logs = new LogCapture();
        using var host = Build(logs, Settings());
        using var metrics = TestHost.Metrics(host);
        await host.StartAsync();
        var requester = host.Services.GetRequiredService<MajordomoRequester>();
        Assert.That(logs.WaitFor(2000, Wait, e => Equals(e.Fields["Service"], "echo")), Is.Not.Null, "a worker registered");

        var replies = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => requester.RequestAsync("echo", "request " + i)));

        Assert.That(replies, Is.EqualTo(Enumerable.Range(0, 40).Select(i => "request " + i)));
        var scopes = host.Services.GetRequiredService<ScopeLog>().Scopes;
        Assert.That(scopes.Distinct().Count(), Is.EqualTo(40), "one DI scope per request");
        Assert.That(host.Services.GetRequiredService<ZmqContext>().IoThreads, Is.EqualTo(2), "ZmqNative:IoThreads bound");
        Assert.That(metrics.Counter("zmqnative.majordomo.replies", "service=echo"), Is.EqualTo(40));
        Assert.That(metrics.Counter("zmqnative.majordomo.requests", "service=echo"), Is.EqualTo(40));
        Assert.That(metrics.Gauge("zmqnative.majordomo.workers", "service=echo"), Is.EqualTo(2));
        Assert.That(metrics.Gauge("zmqnative.majordomo.queue.depth", "service=echo"), Is.EqualTo(0));
        await host.StopAsync();
    }

    [Test]
    public async Task Broker_WorkerGoesSilent_ExpiryLoggedWithEventIdAndCounted()
    {
        var logs = new LogCapture();
        using var host = Build(logs, Settings());
        using var metrics = TestHost.Metrics(host);
        await host.StartAsync();
        var broker = host.Services.GetRequiredService<MajordomoBrokerService>();

        // A raw MDP worker that registers and then never heartbeats.
        using (var silent = host.Services.GetRequiredService<ZmqContext>().CreateSocket(ZmqSocketType.Dealer))
        {
            silent.Connect(broker.Endpoints[0]);
            silent.SendMultipart([[], "MDPW01"u8.ToArray(), [0x01], "quiet"u8.ToArray()]);

            var expired = logs.WaitFor(2001, Wait, e => Equals(e.Fields["Service"], "quiet"));

            Assert.That(expired, Is.Not.Null);
            Assert.That(expired!.Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(expired.Fields["Worker"], Is.Not.Null.And.Not.Empty);
            Assert.That(metrics.Counter("zmqnative.majordomo.worker.expirations", "service=quiet"), Is.EqualTo(1));
            Assert.That(metrics.Gauge("zmqnative.majordomo.workers", "service=quiet"), Is.EqualTo(0));
        }

        await host.StopAsync();
    }

    [Test]
    public async Task Worker_HandlerThrows_ErrorLoggedAndWorkerServesTheNextRequest()
    {
        var logs = new LogCapture();
        using var host = Build(logs, Settings(instances: 1));
        await host.StartAsync();
        var requester = host.Services.GetRequiredService<MajordomoRequester>();

        var failed = await requester.RequestAsync("echo", "fail");
        var next = await requester.RequestAsync("echo", "after");

        Assert.That(failed, Is.Null, "MDP has no error reply: the client gave up");
        Assert.That(logs.Entries.Any(e => e.EventId == 1006 && e.Level == LogLevel.Error), Is.True);
        Assert.That(next, Is.EqualTo("after"));

        // Without an immediate re-registration the broker keeps the worker "busy" (no REPLY came), sends it nothing,
        // and the worker only recovers by declaring the broker lost after Liveness silent heartbeats (event 2011).
        Assert.That(logs.Entries.Any(e => e.EventId == 2011), Is.False, "the worker registered again at once");
        await host.StopAsync();
    }

    [Test]
    public async Task Host_ApplicationCodeBlockedInReceive_ShutdownEndsItThroughTheContext()
    {
        // The report: a worker blocked in receive held host shutdown for its whole timeout, silently.
        var logs = new LogCapture();
        var blocked = new BlockedReceiver();
        using var host = Build(logs, Settings(), s => s.AddSingleton<IHostedService>(sp => blocked.Attach(sp.GetRequiredService<ZmqContext>())));
        await host.StartAsync();
        Assert.That(blocked.Receiving.Wait(Wait), Is.True);

        await host.StopAsync();

        // Without ShutdownGrace the receive stays blocked until the host gives up on the service (its ShutdownTimeout).
        Assert.That(blocked.EndedBeforeHostGaveUp, Is.True, "the blocked receive ended before the host's shutdown timeout");
        Assert.That(blocked.Ended.Result, Is.InstanceOf<ContextTerminatedException>());
        Assert.That(logs.Entries.Any(e => e.EventId == 1001), Is.True, "the context shutdown is logged");
        Assert.That(logs.Entries.Where(e => e.EventId == 1003).Select(e => e.Fields["Component"]), Does.Contain("Majordomo broker").And.Contain("Majordomo worker echo"), "each service logs why it stopped");
        Assert.That(logs.Entries.Any(e => e.EventId == 1005), Is.False, "no service needed longer than its stop bound");
    }

    [Test]
    public async Task HealthChecks_RunningHost_HealthyThenUnhealthyAfterStop()
    {
        var logs = new LogCapture();
        using var host = Build(logs, Settings(), s => s.AddHealthChecks()
            .AddCheck<ZmqContextHealthCheck>("zmq-context")
            .AddCheck<MajordomoBrokerHealthCheck>("majordomo-broker"));
        await host.StartAsync();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var running = await health.CheckHealthAsync();
        await host.StopAsync();
        var stopped = await health.CheckHealthAsync();

        Assert.That(running.Status, Is.EqualTo(HealthStatus.Healthy), string.Join("; ", running.Entries.Select(e => $"{e.Key}: {e.Value.Description}")));
        Assert.That(stopped.Entries["zmq-context"].Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(stopped.Entries["majordomo-broker"].Status, Is.EqualTo(HealthStatus.Unhealthy));
    }

    [Test]
    public async Task AddMajordomoBroker_CalledTwice_OneBrokerStarts()
    {
        var logs = new LogCapture();
        using var host = Build(logs, Settings(), s => s.AddMajordomoBroker(o => o.MaxQueuedRequests = 500));
        await host.StartAsync();

        Assert.That(logs.Entries.Count(e => e.EventId == 1002 && Equals(e.Fields["Component"], "Majordomo broker")), Is.EqualTo(1));
        Assert.That(host.Services.GetRequiredService<MajordomoBrokerService>().MaxQueuedRequests, Is.EqualTo(500), "the second call's settings apply to the one broker");
        await host.StopAsync();
    }

    [Test]
    public void Start_BrokerWithoutEndpoints_FailsWithTheOptionName()
    {
        var logs = new LogCapture();
        var settings = Settings();
        settings.Remove("ZmqNative:MajordomoBroker:Endpoints:0");
        using var host = Build(logs, settings);

        var error = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("Endpoints"));
    }

    [Test]
    public void Start_NegativeIoThreadsInConfiguration_FailsValidation()
    {
        var logs = new LogCapture();
        var settings = Settings();
        settings["ZmqNative:IoThreads"] = "-1";
        using var host = Build(logs, settings);

        Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());
    }

    /// <summary>Application code that blocks in a receive without looking at any token: the case the context's ShutdownGrace covers.</summary>
    private sealed class BlockedReceiver : IHostedService
    {
        private readonly TaskCompletionSource<Exception?> _ended = new();
        private ZmqContext? _context;

        public ManualResetEventSlim Receiving { get; } = new();

        public Task<Exception?> Ended => _ended.Task;

        public BlockedReceiver Attach(ZmqContext context)
        {
            _context = context;
            return this;
        }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            new Thread(() =>
            {
                try
                {
                    using var socket = _context!.CreateSocket(ZmqSocketType.Pull);
                    socket.Bind("inproc://nobody-sends-here");
                    Receiving.Set();
                    socket.ReceiveString();
                    _ended.TrySetResult(null);
                }
                catch (Exception e)
                {
                    _ended.TrySetResult(e);
                }
            }) { IsBackground = true }.Start();
            return Task.CompletedTask;
        }

        public bool EndedBeforeHostGaveUp { get; private set; }

        // Waits for its thread, as BackgroundService.StopAsync waits for ExecuteAsync, until the host's shutdown token fires.
        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await Task.WhenAny(_ended.Task, Task.Delay(Timeout.Infinite, cancellationToken));
            EndedBeforeHostGaveUp = _ended.Task.IsCompleted;
        }
    }
}
