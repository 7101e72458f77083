using System.Collections.Concurrent;
using System.Text;
using ZmqNative.Patterns.Majordomo;
using ZmqNative.Patterns.Tests.Pirate;

namespace ZmqNative.Patterns.Tests.Majordomo;

/// <summary>MajordomoWorker against a hand-driven (raw ROUTER) broker; each test runs against Receive and ReceiveAsync.</summary>
[TestFixture(false)]
[TestFixture(true)]
[CancelAfter(60_000)]
public class MajordomoWorkerTests(bool awaitable)
{
    private static readonly byte[] Header = Encoding.ASCII.GetBytes(MajordomoProtocol.WorkerHeader);

    [Test]
    public void Receive_BrokerSilent_HeartbeatsThenCallsItLostAndRegistersAgainOnANewSocket()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var broker = context.CreateSocket(ZmqSocketType.Router);
        string endpoint = PirateTesting.Inproc("mute-broker");
        broker.Bind(endpoint);
        var events = new ConcurrentQueue<MajordomoEvent>();
        using var lost = new SemaphoreSlim(0);
        using var worker = new MajordomoWorker(context, endpoint, "echo", new MajordomoWorkerOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(30),
            Liveness = 2,
            ReconnectInterval = TimeSpan.FromMilliseconds(20),
            Observer = e =>
            {
                events.Enqueue(e);
                if (e.Kind == MajordomoEventKind.BrokerLost)
                {
                    lost.Release();
                }
            },
        });
        using var stop = new CancellationTokenSource();

        var receiving = Receive(worker, stop.Token);
        for (int i = 0; i < 3; i++)
        {
            Assert.That(lost.Wait(PirateTesting.Wait), Is.True, "the worker noticed the silent broker");
        }

        stop.Cancel();
        Assert.That(receiving.Wait(PirateTesting.Wait), Is.True);
        Assert.That(receiving.Result, Is.Null, "cancelled: no request");
        var ready = new HashSet<string>();
        int heartbeats = 0;
        while (broker.TryReceiveMultipart(TimeSpan.Zero, out var message))
        {
            Assert.That(message![2], Is.EqualTo(Header));
            if (message[3][0] == MajordomoProtocol.Ready)
            {
                ready.Add(Convert.ToHexString(message[0]));
            }
            else if (message[3][0] == MajordomoProtocol.Heartbeat)
            {
                heartbeats++;
            }
        }

        Assert.That(ready, Has.Count.GreaterThanOrEqualTo(3), "READY again from each new socket (the first, and one after each of the first two losses)");
        Assert.That(heartbeats, Is.GreaterThanOrEqualTo(3), "heartbeats while it waited");
        Assert.That(events.Count(e => e.Kind == MajordomoEventKind.Connecting), Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public void Receive_RequestFromTheBroker_ReturnsItsBodyAndTheReplyGoesBackToItsClient()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        using var broker = context.CreateSocket(ZmqSocketType.Router);
        string endpoint = PirateTesting.Inproc("hand-broker");
        broker.Bind(endpoint);
        using var worker = new MajordomoWorker(context, endpoint, "echo", new MajordomoWorkerOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(100) });
        Assert.That(broker.TryReceiveMultipart(PirateTesting.Wait, out var ready), Is.True);
        byte[] identity = ready![0];

        broker.SendMultipart([identity, [], Header, [MajordomoProtocol.Request], PirateTesting.Bytes("CLIENT"), [], PirateTesting.Bytes("q")]);
        var request = Receive(worker, CancellationToken.None);
        Assert.That(request.Wait(PirateTesting.Wait), Is.True);
        worker.Reply([PirateTesting.Bytes("re:" + PirateTesting.Text(request.Result![0]))]);

        List<byte[]>? reply = null;
        while (reply is null)
        {
            Assert.That(broker.TryReceiveMultipart(PirateTesting.Wait, out var message), Is.True);
            if (message![3][0] == MajordomoProtocol.Reply)
            {
                reply = message;
            }
        }

        Assert.That(reply.Skip(4).Select(PirateTesting.Text), Is.EqualTo(new[] { "CLIENT", "", "re:q" }));
    }

    /// <summary>The next request in the form this fixture tests (Receive on a thread of its own, or ReceiveAsync).</summary>
    private Task<List<byte[]>?> Receive(MajordomoWorker worker, CancellationToken stop) =>
        awaitable ? worker.ReceiveAsync(stop).AsTask() : Task.Factory.StartNew(() => worker.Receive(stop), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
