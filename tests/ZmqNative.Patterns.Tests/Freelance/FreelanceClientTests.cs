using ZmqNative.Patterns.Freelance;
using static ZmqNative.Patterns.Tests.Freelance.FreelanceTesting;

namespace ZmqNative.Patterns.Tests.Freelance;

/// <summary>FreelanceClient (model three, the agent) against in-process FreelanceServers.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class FreelanceClientTests
{
    private static FreelanceClientOptions Options(FreelanceEvents? events = null) => new()
    {
        GlobalTimeout = TimeSpan.FromSeconds(10),
        PingInterval = TimeSpan.FromMilliseconds(200),
        ServerTtl = TimeSpan.FromMilliseconds(600),
        RetryInterval = TimeSpan.FromMilliseconds(200),
        Observer = events?.Observer,
    };

    private static void WaitUntilAlive(FreelanceEvents events, params string[] endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            events.WaitFor(e => e.Kind == FreelanceEventKind.ServerAlive && e.Endpoint == endpoint);
        }
    }

    [Test]
    public void TryRequest_AllServersUp_PrefersTheFirstConnected()
    {
        using var context = new ZmqContext();
        var events = new FreelanceEvents();
        using var a = new NamedServer(context, "A");
        using var b = new NamedServer(context, "B");
        using var client = new FreelanceClient(context, Options(events));
        client.Connect(a.Endpoint);
        client.Connect(b.Endpoint);
        // Until both have answered a ping, whichever answered first is the only live server.
        WaitUntilAlive(events, a.Endpoint, b.Endpoint);

        var replies = Enumerable.Range(1, 5).Select(i => client.TryRequest(i.ToString(), out var reply) ? reply : null).ToList();

        Assert.That(replies, Is.EqualTo(new[] { "A:1", "A:2", "A:3", "A:4", "A:5" }));
    }

    [Test]
    public void TryRequest_PreferredServerGone_FailsOverToTheNextWithoutFailing()
    {
        using var context = new ZmqContext();
        var events = new FreelanceEvents();
        var a = new NamedServer(context, "A");
        using var b = new NamedServer(context, "B");
        using var client = new FreelanceClient(context, Options(events));
        client.Connect(a.Endpoint);
        client.Connect(b.Endpoint);
        WaitUntilAlive(events, a.Endpoint, b.Endpoint);
        Assert.That(client.TryRequest("1", out var first), Is.True);

        a.Dispose();
        var after = Enumerable.Range(2, 5).Select(i => client.TryRequest(i.ToString(), out var reply) ? reply : null).ToList();

        Assert.That(first, Is.EqualTo("A:1"));
        Assert.That(after, Is.EqualTo(new[] { "B:2", "B:3", "B:4", "B:5", "B:6" }));
        events.WaitFor(e => e.Kind == FreelanceEventKind.ServerDead && e.Endpoint == a.Endpoint);
    }

    [Test]
    public void TryRequest_ServerHangsHoldingTheRequest_IsRetriedOnTheNextServer()
    {
        using var context = new ZmqContext();
        using var release = new ManualResetEventSlim();
        var events = new FreelanceEvents();
        using var hung = new NamedServer(context, "HUNG", body =>
        {
            release.Wait(Wait);
            return [Bytes("HUNG:" + Text(body[0]))];
        });
        using var b = new NamedServer(context, "B");
        using var client = new FreelanceClient(context, Options(events));
        client.Connect(hung.Endpoint);
        client.Connect(b.Endpoint);
        events.WaitFor(e => e.Kind == FreelanceEventKind.ServerAlive && e.Endpoint == hung.Endpoint);

        bool ok = client.TryRequest("x", out var reply);
        release.Set();

        Assert.That(ok, Is.True);
        Assert.That(reply, Is.EqualTo("B:x"));
        Assert.That(events.All.Where(e => e.Kind == FreelanceEventKind.RequestSent).Select(e => e.Endpoint).Take(2), Is.EqualTo(new[] { hung.Endpoint, b.Endpoint }));
    }

    [Test]
    public void TryRequest_LateReplyToAnEarlierRequestArrivesFirst_IsDroppedAsStale()
    {
        using var context = new ZmqContext();
        using var release = new ManualResetEventSlim();
        int calls = 0;
        // SLOW sits on its first request until the client has moved on to the next one.
        NamedServer? slow = null;
        slow = new NamedServer(context, "SLOW", body =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                release.Wait(Wait);
            }

            return [Bytes("SLOW:" + Text(body[0]))];
        });
        using var b = new NamedServer(context, "B");
        var events = new FreelanceEvents();
        var options = Options(events);
        options.Observer = e =>
        {
            events.Observer(e);
            // Request 2 goes to SLOW, which still holds request 1: let it answer both now, the stale one first.
            if (e.Kind == FreelanceEventKind.RequestSent && e.Endpoint == slow.Endpoint && Text(e.Frames![1]) == "2")
            {
                release.Set();
            }
        };
        bool firstOk, secondOk;
        string? first, second;
        try
        {
            using var client = new FreelanceClient(context, options);
            client.Connect(slow.Endpoint);
            client.Connect(b.Endpoint);
            events.WaitFor(e => e.Kind == FreelanceEventKind.ServerAlive && e.Endpoint == slow.Endpoint);

            firstOk = client.TryRequest("1", out first);
            secondOk = client.TryRequest("2", out second);
        }
        finally
        {
            release.Set();
            slow.Dispose();
        }

        Assert.That(firstOk && secondOk, Is.True);

        Assert.That(first, Is.EqualTo("B:1"));
        Assert.That(second, Does.EndWith(":2"));
        Assert.That(events.All.Any(e => e.Kind == FreelanceEventKind.StaleReply), Is.True);
    }

    [Test]
    public void TryRequest_NoServerAnswers_FailsAfterTheGlobalTimeout()
    {
        using var context = new ZmqContext();
        var options = Options();
        options.GlobalTimeout = TimeSpan.FromMilliseconds(300);
        using var client = new FreelanceClient(context, options);
        client.Connect(Inproc("nobody"));

        bool ok = client.TryRequest("x", out var reply);

        Assert.That(ok, Is.False);
        Assert.That(reply, Is.Null);
    }

    [Test]
    public void Connect_MalformedEndpoint_Throws()
    {
        using var client = new FreelanceClient(Options());

        Assert.That(() => client.Connect("nonsense"), Throws.InstanceOf<ZmqException>());
    }
}
