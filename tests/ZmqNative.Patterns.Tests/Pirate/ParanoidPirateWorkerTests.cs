using ZmqNative.Patterns.Pirate;
using static ZmqNative.Patterns.Tests.Pirate.PirateTesting;

namespace ZmqNative.Patterns.Tests.Pirate;

/// <summary>ParanoidPirateWorker in one process, against a hand-driven (raw ROUTER) queue; each test runs against Run and RunAsync.</summary>
[TestFixture(false)]
[TestFixture(true)]
[CancelAfter(60_000)]
public class ParanoidPirateWorkerTests(bool awaitable)
{
    [Test]
    public void Run_QueueSilent_ReconnectsWithDoublingBackoffCappedAtTheMax()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        string endpoint = Inproc("mute-queue");
        using var queue = context.CreateSocket(ZmqSocketType.Router);
        queue.Bind(endpoint);
        var events = new PirateEvents();
        var options = new ParanoidPirateWorkerOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(30),
            Liveness = 2,
            ReconnectInterval = TimeSpan.FromMilliseconds(20),
            ReconnectIntervalMax = TimeSpan.FromMilliseconds(80),
            Observer = events.Observer,
        };
        var running = Start(new ParanoidPirateWorker(context, endpoint, options), body => body, stop.Token);

        var reconnects = events.WaitFor(e => e.Kind == PirateEventKind.Reconnecting, 5);
        stop.Cancel();
        Join(running);

        Assert.That(reconnects.Take(5).Select(e => e.Delay.TotalMilliseconds), Is.EqualTo(new double[] { 20, 40, 80, 80, 80 }));
        Assert.That(events.All.Count(e => e.Kind == PirateEventKind.QueueLost), Is.GreaterThanOrEqualTo(5));
        // Every new socket says READY again first (RFC 6), each under a new random identity.
        var readies = new HashSet<string>();
        while (queue.TryReceiveMultipart(TimeSpan.Zero, out var message))
        {
            if (ParanoidPirateProtocol.IsCommand(message!.GetRange(1, message.Count - 1), ParanoidPirateProtocol.Ready))
            {
                readies.Add(Convert.ToHexString(message[0]));
            }
        }

        Assert.That(readies, Has.Count.GreaterThanOrEqualTo(5));
    }

    [Test]
    public void Run_QueueSendsRequest_RepliesBehindTheSameEnvelope()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        string endpoint = Inproc("hand-queue");
        using var queue = context.CreateSocket(ZmqSocketType.Router);
        queue.Bind(endpoint);
        var options = new ParanoidPirateWorkerOptions { Identity = Bytes("W"), HeartbeatInterval = TimeSpan.FromMilliseconds(100) };
        var running = Start(new ParanoidPirateWorker(context, endpoint, options), body => [Bytes("re:" + Text(body[0])), Bytes("second")], stop.Token);

        Assert.That(queue.TryReceiveMultipart(Wait, out var ready), Is.True);
        Assert.That(ready, Is.EqualTo(new[] { Bytes("W"), new[] { ParanoidPirateProtocol.Ready } }));
        queue.SendMultipart([Bytes("W"), Bytes("CLIENT"), [], Bytes("q")]);
        List<byte[]>? reply = null;
        while (reply is null)
        {
            Assert.That(queue.TryReceiveMultipart(Wait, out var message), Is.True);
            if (message!.Count > 2)
            {
                reply = message;
            }
        }

        stop.Cancel();
        Join(running);
        Assert.That(reply.Select(Text), Is.EqualTo(new[] { "W", "CLIENT", "", "re:q", "second" }));
    }

    [Test]
    public void Run_Cancelled_StopsEvenDuringABackoffWait()
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var events = new PirateEvents();
        var options = new ParanoidPirateWorkerOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(20),
            Liveness = 1,
            ReconnectInterval = TimeSpan.FromMinutes(10),
            ReconnectIntervalMax = TimeSpan.FromMinutes(10),
            Observer = events.Observer,
        };
        var running = Start(new ParanoidPirateWorker(context, Inproc("nobody"), options), body => body, stop.Token);
        events.WaitFor(PirateEventKind.Reconnecting);

        stop.Cancel();

        Join(running);
    }

    /// <summary>Runs the worker in the form this fixture tests: Run on a thread of its own, or RunAsync.</summary>
    private Task Start(ParanoidPirateWorker worker, Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> handler, CancellationToken stop) =>
        awaitable ? worker.RunAsync(handler, stop) : Background(() => worker.Run(handler, stop));
}
