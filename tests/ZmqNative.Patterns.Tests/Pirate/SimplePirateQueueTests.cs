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
}
