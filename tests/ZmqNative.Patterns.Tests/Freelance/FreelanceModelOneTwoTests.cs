using ZmqNative.Patterns.Freelance;
using static ZmqNative.Patterns.Tests.Freelance.FreelanceTesting;

namespace ZmqNative.Patterns.Tests.Freelance;

/// <summary>
/// FreelanceFailoverClient (model one) and FreelanceShotgunClient (model two) against in-process REP servers;
/// each test runs against TryRequest and RequestAsync.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
[CancelAfter(60_000)]
public class FreelanceModelOneTwoTests(bool awaitable)
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

        var reply = Request(client, "Hello world");

        stop.Cancel();
        Join(echo);
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

        Assert.That(Request(client, "x"), Is.Null);
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

        var replies = Enumerable.Range(0, 20).Select(_ => Request(client, "random name")).ToList();

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

        var replies = Enumerable.Range(0, 5).Select(_ => Request(client, "n")).ToList();

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

        Assert.That(Request(client, "x"), Is.Null);
    }

    [Test]
    public void Shotgun_RequestCancelled_ItsLateRepliesAreDroppedAndTheNextGetsItsOwn()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        using var hold = new ManualResetEventSlim();
        using var held = new ManualResetEventSlim();
        string endpoint = Inproc("slow");
        int calls = 0;
        // Holds its first request until the caller has given up on it, then answers it (late) and the rest at once.
        var server = EchoServer(context, endpoint, stop.Token, reply: body =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                held.Set();
                hold.Wait(Wait);
            }

            return [body[0], Bytes("OK " + Text(body[0]))];
        });
        var events = new FreelanceEvents();
        using var client = new FreelanceShotgunClient(context, new FreelanceShotgunClientOptions { GlobalTimeout = Wait, Observer = events.Observer });
        client.Connect(endpoint);
        using var cancel = new CancellationTokenSource();

        var first = client.RequestAsync("n", cancel.Token).AsTask();
        Assert.That(held.Wait(Wait), Is.True);
        cancel.Cancel();
        Assert.That(() => first.Wait(Wait), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>());
        hold.Set();
        var second = Request(client, "n");

        stop.Cancel();
        Join(server);
        Assert.That(second, Is.EqualTo("OK 2"));
        Assert.That(events.All.Count(e => e.Kind == FreelanceEventKind.StaleReply), Is.EqualTo(1));
    }

    [Test]
    public void Failover_RequestCancelledWhileAServerIsSilent_EndsThenWithoutWaitingForTheTimeout()
    {
        using var context = new ZmqContext();
        var events = new FreelanceEvents();
        // One silent server and a one-hour timeout: only the cancellation can end the request.
        var client = new FreelanceFailoverClient(context, [Inproc("dead")], new FreelanceFailoverClientOptions { RequestTimeout = TimeSpan.FromHours(1), Observer = events.Observer });
        using var cancel = new CancellationTokenSource();

        var first = client.RequestAsync("x", cancel.Token).AsTask();
        events.WaitFor(e => e.Kind == FreelanceEventKind.Trying);
        cancel.Cancel();

        Assert.That(() => first.Wait(Wait), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>());
        Assert.That(events.All.Select(e => e.Kind), Is.EqualTo(new[] { FreelanceEventKind.Trying }), "no retry after a cancellation");
    }

    private string? Request(FreelanceFailoverClient client, string request) =>
        awaitable ? client.RequestAsync(request).AsTask().GetAwaiter().GetResult() : client.TryRequest(request, out var reply) ? reply : null;

    private string? Request(FreelanceShotgunClient client, string request) =>
        awaitable ? client.RequestAsync(request).AsTask().GetAwaiter().GetResult() : client.TryRequest(request, out var reply) ? reply : null;

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
