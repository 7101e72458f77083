using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using ZmqNative.Extensions.Hosting.Tests.Support;
using ZmqNative.Patterns.BinaryStar;
using ZmqNative.Patterns.Freelance;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Pirate;
using ZmqNative.Patterns.Titanic;

namespace ZmqNative.Extensions.Hosting.Tests.Hosting;

/// <summary>Titanic, Paranoid Pirate, Binary Star and Freelance as hosted services, each configured from an in-memory source and used by the Patterns' own clients.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class PatternServicesHostTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Titanic_RequestThroughHostedBrokerTitanicAndWorker_ReplyStoredThenClosed()
    {
        string directory = Path.Combine(Path.GetTempPath(), "zmqnative-hosting-titanic-" + Guid.NewGuid().ToString("N"));
        var logs = new LogCapture();
        var builder = TestHost.Builder(new()
        {
            ["ZmqNative:MajordomoBroker:Endpoints:0"] = "tcp://127.0.0.1:*",
            ["ZmqNative:MajordomoBroker:HeartbeatInterval"] = TestHost.Heartbeat,
            ["ZmqNative:MajordomoWorkers:echo:HeartbeatInterval"] = TestHost.Heartbeat,
            ["ZmqNative:Titanic:Directory"] = directory,
            ["ZmqNative:Titanic:HeartbeatInterval"] = TestHost.Heartbeat,
            ["ZmqNative:Titanic:DispatchInterval"] = "00:00:00.1",
        }, logs);
        builder.Services.AddMajordomoBroker().AddTitanic().AddMajordomoWorker<EchoHandler>("echo");
        try
        {
            using var host = builder.Build();
            using var metrics = TestHost.Metrics(host);
            await host.StartAsync();
            string broker = host.Services.GetRequiredService<MajordomoBrokerService>().Endpoints[0];
            using var client = new TitanicClient(host.Services.GetRequiredService<ZmqContext>(), broker, new MajordomoClientOptions { Timeout = TimeSpan.FromSeconds(2) });

            Assert.That(client.Submit("echo", "hello titanic", out string? uuid), Is.EqualTo(TitanicStatus.Ok));
            Assert.That(client.WaitForReply(uuid!, TimeSpan.FromMilliseconds(50), new CancellationTokenSource(Wait).Token, out var reply), Is.EqualTo(TitanicStatus.Ok));
            Assert.That(Encoding.UTF8.GetString(reply![0]), Is.EqualTo("hello titanic"));
            Assert.That(metrics.Gauge("zmqnative.titanic.stored", "directory=" + directory), Is.EqualTo(1));
            Assert.That(metrics.Gauge("zmqnative.titanic.pending", "directory=" + directory), Is.EqualTo(0));
            Assert.That(client.Close(uuid!), Is.EqualTo(TitanicStatus.Ok));
            Assert.That(metrics.Gauge("zmqnative.titanic.stored", "directory=" + directory), Is.EqualTo(0));
            Assert.That(logs.Entries.Any(e => e.EventId == 3000 && e.Message.Contains("titanic is active", StringComparison.Ordinal)), Is.True, "Titanic's lines become log events");
            await host.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task ParanoidPirate_QueueAndWorkerHosted_LazyPirateClientAnswered()
    {
        var logs = new LogCapture();
        var builder = TestHost.Builder(new()
        {
            ["ZmqNative:ParanoidPirateQueue:Frontend"] = "inproc://ppp-clients",
            ["ZmqNative:ParanoidPirateQueue:Backend"] = "inproc://ppp-workers",
            ["ZmqNative:ParanoidPirateQueue:HeartbeatInterval"] = TestHost.Heartbeat,
            ["ZmqNative:ParanoidPirateWorker:Endpoint"] = "inproc://ppp-workers",
            ["ZmqNative:ParanoidPirateWorker:HeartbeatInterval"] = TestHost.Heartbeat,
        }, logs);
        builder.Services.AddParanoidPirateQueue().AddParanoidPirateWorker<EchoHandler>();
        using var host = builder.Build();
        using var metrics = TestHost.Metrics(host);
        await host.StartAsync();
        Assert.That(logs.WaitFor(4000, Wait), Is.Not.Null, "the worker said READY");
        using var client = new LazyPirateClient(host.Services.GetRequiredService<ZmqContext>(), "inproc://ppp-clients");

        var results = Enumerable.Range(1, 5).Select(i => client.Request([Encoding.UTF8.GetBytes("n" + i)])).ToList();

        Assert.That(results.Select(r => r.ReplyText), Is.EqualTo(new[] { "n1", "n2", "n3", "n4", "n5" }));
        Assert.That(metrics.Gauge("zmqnative.pirate.workers"), Is.EqualTo(1));
        await host.StopAsync();
    }

    [Test]
    public async Task BinaryStar_PrimaryAloneGetsAVote_BecomesActiveServesAndReportsIt()
    {
        var logs = new LogCapture();
        var builder = TestHost.Builder(new()
        {
            ["ZmqNative:BinaryStar:Primary"] = "true",
            ["ZmqNative:BinaryStar:Frontend"] = "inproc://bstar-primary",
            ["ZmqNative:BinaryStar:LocalState"] = "inproc://bstar-primary-state",
            ["ZmqNative:BinaryStar:RemoteState"] = "inproc://bstar-backup-state",
            ["ZmqNative:BinaryStar:Heartbeat"] = TestHost.Heartbeat,
        }, logs);
        builder.Services.AddBinaryStarServer<EchoHandler>();
        builder.Services.AddHealthChecks().AddCheck<BinaryStarHealthCheck>("binary-star");
        using var host = builder.Build();
        using var metrics = TestHost.Metrics(host);
        await host.StartAsync();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var before = await health.CheckHealthAsync();
        using var client = new BinaryStarClient(host.Services.GetRequiredService<ZmqContext>(), "inproc://bstar-primary", "inproc://bstar-backup",
            new BinaryStarClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(500), SettleDelay = TimeSpan.FromMilliseconds(100) });

        // The first votes may come before the (absent) peer has been silent for two heartbeats: the client retries.
        var result = client.Request([Encoding.UTF8.GetBytes("vote")]);

        Assert.That(before.Status, Is.EqualTo(HealthStatus.Degraded), "a primary that has not paired yet");
        Assert.That(result.ReplyText, Is.EqualTo("vote"));
        Assert.That(host.Services.GetRequiredService<BinaryStarService>().State, Is.EqualTo(BinaryStarState.Active));
        Assert.That((await health.CheckHealthAsync()).Status, Is.EqualTo(HealthStatus.Healthy));
        Assert.That(metrics.Counter("zmqnative.binarystar.transitions", "from=Primary,to=Active"), Is.EqualTo(1));
        Assert.That(metrics.Gauge("zmqnative.binarystar.state"), Is.EqualTo((int)BinaryStarState.Active));
        Assert.That(logs.WaitFor(5000, Wait, e => Equals(e.Fields["To"], BinaryStarState.Active)), Is.Not.Null);
        await host.StopAsync();
    }

    [Test]
    public async Task Freelance_ServerHosted_ModelThreeClientAnswered()
    {
        var logs = new LogCapture();
        var builder = TestHost.Builder(new()
        {
            ["ZmqNative:FreelanceServer:Bind"] = "inproc://flp-1",
        }, logs);
        builder.Services.AddFreelanceServer<EchoHandler>();
        using var host = builder.Build();
        await host.StartAsync();
        using var client = new FreelanceClient(host.Services.GetRequiredService<ZmqContext>());
        client.Connect("inproc://flp-1");

        bool answered = client.TryRequest("freelance", out string? reply);

        Assert.That(answered, Is.True);
        Assert.That(reply, Is.EqualTo("freelance"));
        Assert.That(host.Services.GetRequiredService<FreelanceService>().BoundEndpoint, Is.EqualTo("inproc://flp-1"));
        await host.StopAsync();
    }
}
