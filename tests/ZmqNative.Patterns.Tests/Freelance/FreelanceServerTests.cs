using ZmqNative.Patterns.Freelance;
using static ZmqNative.Patterns.Tests.Freelance.FreelanceTesting;

namespace ZmqNative.Patterns.Tests.Freelance;

/// <summary>FreelanceServer: RFC 10 as a raw ROUTER client sees it; served by Run and by RunAsync.</summary>
[TestFixture(false)]
[TestFixture(true)]
[CancelAfter(30_000)]
public class FreelanceServerTests(bool awaitable)
{
    [Test]
    public void Run_PingAndRequest_AnswersPongAndReturnsTheControlFrameUnchanged()
    {
        using var context = new ZmqContext();
        using var server = new NamedServer(context, "S", awaitable: awaitable);
        using var client = context.CreateSocket(ZmqSocketType.Router);
        client.RouterMandatory = true;
        client.Connect(server.Endpoint);
        byte[] identity = Bytes(server.Endpoint);

        // The server's identity is its endpoint: once connected, the client can address it by name.
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            try
            {
                client.SendMultipart([identity, Bytes(FreelanceProtocol.Ping)]);
                break;
            }
            catch (ZmqException e) when (e.Error == ZmqErrorCode.EHOSTUNREACH && DateTime.UtcNow < deadline)
            {
                client.Poll(ZmqPollEvents.In, TimeSpan.FromMilliseconds(10)); // not connected yet
            }
        }

        Assert.That(client.TryReceiveMultipart(Wait, out var pong), Is.True);
        client.SendMultipart([identity, Bytes("17"), Bytes("name")]);
        Assert.That(client.TryReceiveMultipart(Wait, out var reply), Is.True);

        Assert.That(pong!.Select(Text), Is.EqualTo(new[] { server.Endpoint, "PONG" }));
        Assert.That(reply!.Select(Text), Is.EqualTo(new[] { server.Endpoint, "17", "S:name" }));
    }

    [Test]
    public void Constructor_WildcardPortWithoutPublicEndpoint_Throws()
    {
        using var context = new ZmqContext();

        Assert.That(() => new FreelanceServer(context, "tcp://127.0.0.1:*"), Throws.ArgumentException);
    }

    [Test]
    public void Constructor_GuideBindEndpoint_TakesLocalhostAsItsIdentity()
    {
        using var context = new ZmqContext();
        int port = ZmqNative.Examples.Tests.Support.ZguideProcess.FreePort();

        using var server = new FreelanceServer(context, $"tcp://*:{port}");

        Assert.That(server.PublicEndpoint, Is.EqualTo($"tcp://localhost:{port}"));
    }
}
