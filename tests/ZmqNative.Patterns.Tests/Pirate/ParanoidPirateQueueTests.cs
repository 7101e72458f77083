using ZmqNative.Patterns.Pirate;
using static ZmqNative.Patterns.Tests.Pirate.PirateTesting;

namespace ZmqNative.Patterns.Tests.Pirate;

/// <summary>ParanoidPirateQueue in one process, against real and hand-driven (raw DEALER) workers.</summary>
[TestFixture]
[CancelAfter(60_000)]
public class ParanoidPirateQueueTests
{
    private static ParanoidPirateQueueOptions Options(PirateEvents events) => new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        Liveness = 3,
        Observer = events.Observer,
    };

    [Test]
    public void Run_WorkersAndLazyPirateClient_AnswersEveryRequestInOrder()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var events = new PirateEvents();
        using var queue = new ParanoidPirateQueue(context, Inproc("pp-front"), Inproc("pp-back"), Options(events));
        var running = Background(() => queue.Run(stop.Token));
        var workers = new[] { "W1", "W2" }.Select(name => Background(() =>
            new ParanoidPirateWorker(context, queue.BackendEndpoint, new ParanoidPirateWorkerOptions { Identity = Bytes(name), HeartbeatInterval = TimeSpan.FromMilliseconds(100) })
                .Run(body => [Bytes($"{name}:{Text(body[0])}")], stop.Token))).ToList();
        events.WaitFor(e => e.Kind == PirateEventKind.WorkerReady, 2);

        var replies = new List<string>();
        using (var client = new LazyPirateClient(context, queue.FrontendEndpoint, new LazyPirateClientOptions { RequestTimeout = Wait }))
        {
            for (int i = 1; i <= 8; i++)
            {
                Assert.That(client.TryRequest(i.ToString(), out var reply), Is.True);
                replies.Add(reply!);
            }
        }

        stop.Cancel();
        Join(running);
        workers.ForEach(Join);
        Assert.That(replies.Select(r => r.Split(':')[1]), Is.EqualTo(Enumerable.Range(1, 8).Select(i => i.ToString())));
        Assert.That(replies.Select(r => r.Split(':')[0]).Distinct(), Is.EquivalentTo(new[] { "W1", "W2" }));
    }

    [Test]
    public void Run_IdleWorkerGoesSilent_ExpiresItAndHeartbeatsItUntilThen()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var events = new PirateEvents();
        using var queue = new ParanoidPirateQueue(context, Inproc("pp-front"), Inproc("pp-back"), Options(events));
        var running = Background(() => queue.Run(stop.Token));

        using (var worker = context.CreateSocket(ZmqSocketType.Dealer))
        {
            worker.RoutingId = Bytes("SILENT");
            worker.Connect(queue.BackendEndpoint);
            worker.Send([ParanoidPirateProtocol.Ready]);
            events.WaitFor(PirateEventKind.WorkerReady, "SILENT");
            // The queue heartbeats the workers it knows (RFC 6: both ways).
            Assert.That(worker.TryReceiveMultipart(Wait, out var heartbeat), Is.True);
            Assert.That(heartbeat, Is.EqualTo(new[] { new[] { ParanoidPirateProtocol.Heartbeat } }));

            // Then it says nothing more, and the queue drops it after its liveness.
            events.WaitFor(PirateEventKind.IdleWorkerExpired, "SILENT");
        }

        stop.Cancel();
        Join(running);
        Assert.That(events.All.Any(e => e.Kind == PirateEventKind.BusyWorkerExpired), Is.False);
    }

    [Test]
    public void Run_BusyWorkerKeepsHeartbeating_GetsNoSecondRequestUntilItReplies()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var events = new PirateEvents();
        using var queue = new ParanoidPirateQueue(context, Inproc("pp-front"), Inproc("pp-back"), Options(events));
        var running = Background(() => queue.Run(stop.Token));

        // A hand-driven worker takes request A and, while it works on it, keeps heartbeating.
        using var slow = context.CreateSocket(ZmqSocketType.Dealer);
        slow.RoutingId = Bytes("SLOW");
        slow.Connect(queue.BackendEndpoint);
        slow.Send([ParanoidPirateProtocol.Ready]);
        events.WaitFor(PirateEventKind.WorkerReady, "SLOW");
        using var clientA = context.CreateSocket(ZmqSocketType.Req);
        clientA.Connect(queue.FrontendEndpoint);
        clientA.Send("A");
        List<byte[]>? requestA = null;
        while (requestA is null)
        {
            Assert.That(slow.TryReceiveMultipart(Wait, out var message), Is.True);
            if (message!.Count > 1)
            {
                requestA = message;
            }
        }

        slow.Send([ParanoidPirateProtocol.Heartbeat]);
        events.WaitFor(PirateEventKind.HeartbeatReceived, "SLOW");

        // A second worker arrives; request B must go to it, not to the busy one.
        var fast = Background(() => new ParanoidPirateWorker(context, queue.BackendEndpoint, new ParanoidPirateWorkerOptions { Identity = Bytes("FAST"), HeartbeatInterval = TimeSpan.FromMilliseconds(100) })
            .Run(body => [Bytes("FAST:" + Text(body[0]))], stop.Token));
        events.WaitFor(PirateEventKind.WorkerReady, "FAST");
        using var clientB = context.CreateSocket(ZmqSocketType.Req);
        clientB.Connect(queue.FrontendEndpoint);
        clientB.Send("B");
        Assert.That(clientB.TryReceiveString(Wait, out var replyB), Is.True);

        // The slow worker finishes A; its client gets the reply.
        slow.SendMultipart([.. requestA.Take(requestA.Count - 1), Bytes("SLOW:A")]);
        Assert.That(clientA.TryReceiveString(Wait, out var replyA), Is.True);

        stop.Cancel();
        Join(running);
        Join(fast);
        Assert.That(replyB, Is.EqualTo("FAST:B"));
        Assert.That(replyA, Is.EqualTo("SLOW:A"));
        Assert.That(events.All.Where(e => e.Kind == PirateEventKind.RequestRouted).Select(e => e.Peer), Is.EqualTo(new[] { "SLOW", "FAST" }));
    }

    [Test]
    public void Run_ClientRequestsWithoutDelimiter_DropsThemAndKeepsServing()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var events = new PirateEvents();
        using var queue = new ParanoidPirateQueue(context, Inproc("pp-front"), Inproc("pp-back"), Options(events));
        var running = Background(() => queue.Run(stop.Token));
        var worker = Background(() => new ParanoidPirateWorker(context, queue.BackendEndpoint, new ParanoidPirateWorkerOptions { Identity = Bytes("ONLY"), HeartbeatInterval = TimeSpan.FromMilliseconds(100) })
            .Run(body => [Bytes("ONLY:" + Text(body[0]))], stop.Token));
        events.WaitFor(PirateEventKind.WorkerReady, "ONLY");

        // A DEALER sends no empty delimiter: the queue reads [client][junk], [client][junk][more] and
        // [client][""] (a delimiter and no body). None is a PPP request; the one worker must not be spent on them.
        using (var rogue = context.CreateSocket(ZmqSocketType.Dealer))
        {
            rogue.Connect(queue.FrontendEndpoint);
            rogue.Send("junk");
            rogue.SendMultipart([Bytes("junk"), Bytes("more")]);
            rogue.Send(ReadOnlySpan<byte>.Empty);
            events.WaitFor(e => e.Frames is { } f && f.Count >= 2 && (f.Any(x => Text(x) == "junk") || f[^1].Length == 0)
                && e.Kind is PirateEventKind.InvalidMessage or PirateEventKind.RequestRouted, 3);
        }

        using (var client = new LazyPirateClient(context, queue.FrontendEndpoint, new LazyPirateClientOptions { RequestTimeout = Wait, Attempts = 1 }))
        {
            Assert.That(client.TryRequest("good", out var reply), Is.True, "the queue still serves after malformed requests");
            Assert.That(reply, Is.EqualTo("ONLY:good"));
        }

        stop.Cancel();
        Join(running);
        Join(worker);
    }

    [Test]
    public void Run_BusyWorkerAnswersWithoutEnvelope_FreesTheWorker()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var events = new PirateEvents();

        // A liveness far longer than the test, so the hand-driven worker never expires while it is silent.
        var options = new ParanoidPirateQueueOptions { HeartbeatInterval = TimeSpan.FromSeconds(1), Liveness = 100, Observer = events.Observer };
        using var queue = new ParanoidPirateQueue(context, Inproc("pp-front"), Inproc("pp-back"), options);
        var running = Background(() => queue.Run(stop.Token));

        using var odd = context.CreateSocket(ZmqSocketType.Dealer);
        odd.RoutingId = Bytes("ODD");
        odd.Connect(queue.BackendEndpoint);
        odd.Send([ParanoidPirateProtocol.Ready]);
        events.WaitFor(PirateEventKind.WorkerReady, "ODD");
        using var client = context.CreateSocket(ZmqSocketType.Req);
        client.Connect(queue.FrontendEndpoint);
        client.Send("first");
        Assert.That(ReceiveRequest(odd), Is.Not.Null);

        // The worker answers with something that is not [client][""][reply]: dropped, but the worker is free.
        odd.Send("no envelope");
        events.WaitFor(PirateEventKind.InvalidMessage, "ODD");
        using var second = context.CreateSocket(ZmqSocketType.Req);
        second.Connect(queue.FrontendEndpoint);
        second.Send("second");
        var request = ReceiveRequest(odd);
        Assert.That(request, Is.Not.Null, "the worker got the next request");
        Assert.That(Text(request![^1]), Is.EqualTo("second"));

        stop.Cancel();
        Join(running);
    }

    /// <summary>The next request a hand-driven worker gets, skipping heartbeats; null if none comes within <see cref="PirateTesting.Wait"/>.</summary>
    private static List<byte[]>? ReceiveRequest(ZmqSocket worker)
    {
        var deadline = DateTime.UtcNow + Wait;
        for (var left = Wait; left > TimeSpan.Zero; left = deadline - DateTime.UtcNow)
        {
            if (!worker.TryReceiveMultipart(left, out var message))
            {
                return null;
            }

            if (message.Count > 1)
            {
                return message;
            }
        }

        return null;
    }

    [Test]
    public void Constructor_ZeroLiveness_Throws()
    {
        using var context = new ZmqContext();
        Assert.That(() => new ParanoidPirateQueue(context, Inproc("f"), Inproc("b"), new ParanoidPirateQueueOptions { Liveness = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
