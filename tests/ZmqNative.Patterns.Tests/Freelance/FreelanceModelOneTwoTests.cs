using ZmqNative.Patterns.Freelance;
using static ZmqNative.Patterns.Tests.Freelance.FreelanceTesting;

namespace ZmqNative.Patterns.Tests.Freelance;

/// <summary>FreelanceFailoverClient (model one) and FreelanceShotgunClient (model two) against in-process REP servers.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class FreelanceModelOneTwoTests
{
    [Test]
    public void Failover_FirstServerDead_TriesItOnceThenGetsTheSecond()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        string live = Inproc("live");
        var echo = EchoServer(context, live, stop.Token, reply: body => body);
        var events = new FreelanceEvents();
        string dead = Inproc("dead");
        var client = new FreelanceFailoverClient(context, [dead, live], new FreelanceFailoverClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(200), Observer = events.Observer });

        bool ok = client.TryRequest("Hello world", out var reply);

        stop.Cancel();
        Join(echo);
        Assert.That(ok, Is.True);
        Assert.That(reply, Is.EqualTo("Hello world"));
        Assert.That(events.All.Select(e => (e.Kind, e.Endpoint)), Is.EqualTo(new[]
        {
            (FreelanceEventKind.Trying, dead), (FreelanceEventKind.NoResponse, dead), (FreelanceEventKind.Trying, live),
        }));
    }

    [Test]
    public void Failover_SingleDeadServer_RetriesThenFails()
    {
        using var context = new ZmqContext();
        var events = new FreelanceEvents();
        var client = new FreelanceFailoverClient(context, [Inproc("dead")], new FreelanceFailoverClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(100), Observer = events.Observer });

        bool ok = client.TryRequest("x", out _);

        Assert.That(ok, Is.False);
        Assert.That(events.All.Where(e => e.Kind == FreelanceEventKind.NoResponse).Select(e => e.Count), Is.EqualTo(new[] { 2, 1, 0 }));
    }

    [Test]
    public void Shotgun_OneOfTwoServersNeverUp_EveryRequestStillAnsweredWithItsOwnNumber()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        string live = Inproc("live");
        var server = EchoServer(context, live, stop.Token, reply: body => [body[0], Bytes("OK")]);
        using var client = new FreelanceShotgunClient(context, new FreelanceShotgunClientOptions { GlobalTimeout = Wait });
        client.Connect(Inproc("never"));
        client.Connect(live);

        var replies = Enumerable.Range(0, 20).Select(_ => client.TryRequest("random name", out var reply) ? reply : null).ToList();

        stop.Cancel();
        Join(server);
        Assert.That(replies, Is.All.EqualTo("OK"));
    }

    [Test]
    public void Shotgun_DuplicateRepliesFromEarlierRequests_AreDropped()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        string endpoint = Inproc("doubler");
        var events = new FreelanceEvents();
        // Two connections to one REP server: each request arrives twice and is answered twice.
        var server = EchoServer(context, endpoint, stop.Token, reply: body => [body[0], Bytes("OK " + Text(body[0]))]);
        using var client = new FreelanceShotgunClient(context, new FreelanceShotgunClientOptions { GlobalTimeout = Wait, Observer = events.Observer });
        client.Connect(endpoint);
        client.Connect(endpoint);

        var replies = Enumerable.Range(0, 5).Select(_ => client.TryRequest("n", out var reply) ? reply : null).ToList();

        stop.Cancel();
        Join(server);
        Assert.That(replies, Is.EqualTo(new[] { "OK 1", "OK 2", "OK 3", "OK 4", "OK 5" }));
        Assert.That(events.All.Count(e => e.Kind == FreelanceEventKind.StaleReply), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public void Shotgun_NoServer_FailsAfterTheGlobalTimeout()
    {
        using var context = new ZmqContext();
        using var client = new FreelanceShotgunClient(context, new FreelanceShotgunClientOptions { GlobalTimeout = TimeSpan.FromMilliseconds(200) });
        client.Connect(Inproc("never"));

        Assert.That(client.TryRequest("x", out var reply), Is.False);
        Assert.That(reply, Is.Null);
    }

    /// <summary>A REP server on its own thread that answers every request with <paramref name="reply"/>(request) until stopped.</summary>
    private static Task EchoServer(ZmqContext context, string endpoint, CancellationToken stop, Func<List<byte[]>, List<byte[]>> reply)
    {
        var socket = context.CreateSocket(ZmqSocketType.Rep);
        socket.Bind(endpoint);
        return Background(() =>
        {
            using (socket)
            {
                while (!stop.IsCancellationRequested)
                {
                    if (socket.TryReceiveMultipart(TimeSpan.FromMilliseconds(50), out var request))
                    {
                        socket.SendMultipart(reply(request!));
                    }
                }
            }
        });
    }
}
