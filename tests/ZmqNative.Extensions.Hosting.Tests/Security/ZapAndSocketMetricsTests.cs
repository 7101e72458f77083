using Microsoft.Extensions.Logging;
using ZmqNative.Extensions.Hosting.Tests.Support;

namespace ZmqNative.Extensions.Hosting.Tests.Security;

/// <summary>The "ZmqNative" meter and log events: authenticator decisions (without secrets) and socket monitor events as counters.</summary>
[TestFixture]
[CancelAfter(30_000)]
public class ZapAndSocketMetricsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void Plain_OneGoodOneBadPassword_DecisionsLoggedAndCountedWithoutSecrets()
    {
        var logs = new LogCapture();
        using var metrics = new ZmqNativeMetrics();
        using var capture = new MetricCapture(null, metrics);
        using var context = new ZmqContext();
        using var auth = new ZmqAuthenticator(context).UseLogging(logs.CreateLogger("zap"), metrics);
        auth.UsePlain([new KeyValuePair<string, string>("admin", "s3cr3t-good")]);
        using var server = context.CreateSocket(ZmqSocketType.Pull);
        server.ConfigurePlainServer();
        server.Bind("tcp://127.0.0.1:*");
        using var monitor = ZmqSocketMetrics.Start(server, "ingest", metrics);

        using (var good = context.CreateSocket(ZmqSocketType.Push))
        using (var bad = context.CreateSocket(ZmqSocketType.Push))
        {
            good.ConfigurePlainClient("admin", "s3cr3t-good");
            good.Connect(server.LastEndpoint);
            good.Send("hello");
            Assert.That(server.TryReceiveString(Wait, out string? text), Is.True);
            Assert.That(text, Is.EqualTo("hello"));

            bad.ConfigurePlainClient("admin", "s3cr3t-bad");
            bad.Connect(server.LastEndpoint);
            Assert.That(capture.WaitForCounter("zmqnative.zap.decisions", "result=denied", 1, Wait), Is.EqualTo(1));
            Assert.That(capture.WaitForCounter("zmqnative.socket.events", "event=handshake_failed,socket=ingest", 1, Wait), Is.EqualTo(1));
            bad.Linger = TimeSpan.Zero;
        }

        Assert.That(capture.Counter("zmqnative.zap.decisions", "result=allowed"), Is.EqualTo(1));
        Assert.That(capture.WaitForCounter("zmqnative.socket.events", "event=handshake_succeeded,socket=ingest", 1, Wait), Is.EqualTo(1));
        Assert.That(logs.Entries.Where(e => e.EventId == 7000).Select(e => e.Message), Has.Some.Contains("PLAIN user 'admin'"));
        var refused = logs.Entries.Single(e => e.EventId == 7001);
        Assert.That(refused.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(refused.Fields["Decision"], Is.EqualTo("refused (400)"));
        Assert.That(logs.Entries.Select(e => e.Message), Has.None.Contains("s3cr3t"), "no password in any log line");
    }
}
