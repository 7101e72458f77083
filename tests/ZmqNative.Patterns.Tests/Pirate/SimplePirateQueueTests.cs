using ZmqNative.Patterns.Pirate;
using static ZmqNative.Patterns.Tests.Pirate.PirateTesting;

namespace ZmqNative.Patterns.Tests.Pirate;

/// <summary>SimplePirateQueue and SimplePirateWorker in one process, with a Lazy Pirate client.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class SimplePirateQueueTests
{
    [Test]
    public void Run_TwoWorkers_AnswersEveryRequestAndUsesBoth()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var queueEvents = new PirateEvents();
        using var queue = new SimplePirateQueue(context, Inproc("sp-front"), Inproc("sp-back"), new SimplePirateQueueOptions { Observer = queueEvents.Observer });
        var running = Background(() => queue.Run(stop.Token));
        var workers = new[] { "W1", "W2" }.Select(name => Background(() =>
            new SimplePirateWorker(context, queue.BackendEndpoint, new SimplePirateWorkerOptions { Identity = Bytes(name) })
                .Run(body => [Bytes($"{name}:{Text(body[0])}")], stop.Token))).ToList();
        queueEvents.WaitFor(e => e.Kind == PirateEventKind.WorkerReady, 2);

        var replies = new List<string>();
        using (var client = new LazyPirateClient(context, queue.FrontendEndpoint, new LazyPirateClientOptions { RequestTimeout = Wait }))
        {
            for (int i = 1; i <= 6; i++)
            {
                Assert.That(client.TryRequest(i.ToString(), out var reply), Is.True);
                replies.Add(reply!);
            }
        }

        stop.Cancel();
        Join(running);
        workers.ForEach(Join);
        Assert.That(replies.Select(r => r.Split(':')[1]), Is.EqualTo(new[] { "1", "2", "3", "4", "5", "6" }));
        // Least recently used: with both idle, the one that has waited longer gets the next request.
        Assert.That(replies.Select(r => r.Split(':')[0]).Distinct(), Is.EquivalentTo(new[] { "W1", "W2" }));
    }

    [Test]
    public void Run_WorkerStuckOnARequest_ClientRetryGoesToTheOtherWorker()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var queueEvents = new PirateEvents();
        using var queue = new SimplePirateQueue(context, Inproc("sp-front"), Inproc("sp-back"), new SimplePirateQueueOptions { Observer = queueEvents.Observer });
        var running = Background(() => queue.Run(stop.Token));
        using var release = new ManualResetEventSlim();
        var stuck = Background(() => new SimplePirateWorker(context, queue.BackendEndpoint, new SimplePirateWorkerOptions { Identity = Bytes("STUCK") })
            .Run(body => { release.Wait(Wait); return body; }, stop.Token));
        queueEvents.WaitFor(PirateEventKind.WorkerReady, "STUCK");
        var healthy = Background(() => new SimplePirateWorker(context, queue.BackendEndpoint, new SimplePirateWorkerOptions { Identity = Bytes("OK") })
            .Run(body => [Bytes("OK:" + Text(body[0]))], stop.Token));
        queueEvents.WaitFor(PirateEventKind.WorkerReady, "OK");

        LazyPirateResult result;
        using (var client = new LazyPirateClient(context, queue.FrontendEndpoint, new LazyPirateClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300), Attempts = 20 }))
        {
            result = client.Request([Bytes("x")]);
        }

        release.Set();
        stop.Cancel();
        Join(running);
        Join(stuck);
        Join(healthy);
        Assert.That(result.Succeeded, Is.True);
        Assert.That(result.ReplyText, Is.EqualTo("OK:x"));
        Assert.That(result.Attempts, Is.GreaterThanOrEqualTo(2), "the first copy went to the stuck worker, which had waited longest");
    }

    [Test]
    public void Run_ReadyFromMoreWorkersThanMaxWorkers_KeepsTheFirstAndRefusesTheRest()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var events = new PirateEvents();
        using var queue = new SimplePirateQueue(context, Inproc("sp-front"), Inproc("sp-back"), new SimplePirateQueueOptions { Observer = events.Observer, MaxWorkers = 3 });
        var running = Background(() => queue.Run(stop.Token));

        // Five READYs from five identities (a flood of fake workers looks the same): three fit.
        var fakes = Enumerable.Range(1, 5).Select(i =>
        {
            var fake = context.CreateSocket(ZmqSocketType.Req);
            fake.RoutingId = Bytes($"F{i}");
            fake.Connect(queue.BackendEndpoint);
            fake.Send([ParanoidPirateProtocol.Ready]);
            return fake;
        }).ToList();
        events.WaitFor(e => e.Kind is PirateEventKind.WorkerReady or PirateEventKind.InvalidMessage, 5);

        Assert.That(events.All.Count(e => e.Kind == PirateEventKind.WorkerReady), Is.EqualTo(3));
        Assert.That(SpinWait.SpinUntil(() => queue.WorkerCount == 3, Wait), Is.True, $"WorkerCount is {queue.WorkerCount}");
        stop.Cancel();
        Join(running);
        fakes.ForEach(f => f.Dispose());
    }

    [Test]
    public void Run_ClientRequestWithoutDelimiter_DroppedWithoutTakingAWorker()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var events = new PirateEvents();
        using var queue = new SimplePirateQueue(context, Inproc("sp-front"), Inproc("sp-back"), new SimplePirateQueueOptions { Observer = events.Observer });
        var running = Background(() => queue.Run(stop.Token));
        var worker = Background(() => new SimplePirateWorker(context, queue.BackendEndpoint, new SimplePirateWorkerOptions { Identity = Bytes("W") })
            .Run(body => [Bytes("W:" + Text(body[0]))], stop.Token));
        events.WaitFor(PirateEventKind.WorkerReady, "W");

        using (var rogue = context.CreateSocket(ZmqSocketType.Dealer))
        {
            rogue.Connect(queue.FrontendEndpoint);
            rogue.Send("junk");
            events.WaitFor(e => e.Kind == PirateEventKind.InvalidMessage && e.Frames is { Count: 2 } f && Text(f[1]) == "junk");
        }

        using (var client = new LazyPirateClient(context, queue.FrontendEndpoint, new LazyPirateClientOptions { RequestTimeout = Wait, Attempts = 1 }))
        {
            Assert.That(client.TryRequest("good", out var reply), Is.True);
            Assert.That(reply, Is.EqualTo("W:good"));
        }

        stop.Cancel();
        Join(running);
        Join(worker);
        Assert.That(events.All.Count(e => e.Kind == PirateEventKind.RequestRouted), Is.EqualTo(1), "only the good request reached the worker");
    }
}
