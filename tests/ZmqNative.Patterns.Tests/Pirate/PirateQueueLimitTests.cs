using System.Collections.Concurrent;
using ZmqNative.Patterns.Pirate;
using static ZmqNative.Patterns.Tests.Pirate.PirateTesting;

namespace ZmqNative.Patterns.Tests.Pirate;

/// <summary>
/// The Pirate queues' default frame limit (issue 16, "keep memory bounded"): while no worker is idle,
/// requests wait in ZeroMQ's pipes, so the size of each frame is what bounds them. With the defaults,
/// a client that sends a frame above 1 MiB is disconnected and its request never reaches a worker,
/// while good clients go on being served. Over tcp:// (ZMQ_MAXMSGSIZE does not apply to inproc://).
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class PirateQueueLimitTests
{
    private const int Oversized = (int)ParanoidPirateProtocol.DefaultMaxMessageSize + 1;

    [TestCase("simple")]
    [TestCase("paranoid")]
    public void DefaultOptions_FrameOverOneMiB_SenderDisconnectedAndGoodClientServed(string kind)
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var seen = new ConcurrentBag<int>();
        var (queue, run, worker) = Start(kind, context, body =>
        {
            seen.Add(body[0].Length);
            return [Bytes("ok")];
        }, stop.Token);
        using var owned = queue;
        var running = Background(() => run());
        var working = Background(() => worker());

        using (var rogue = context.CreateSocket(ZmqSocketType.Dealer))
        using (var monitor = new ZmqMonitor(rogue, ZmqMonitorEvents.Connected | ZmqMonitorEvents.Disconnected))
        {
            rogue.Connect(Endpoint(queue).Frontend);
            Assert.That(monitor.WaitFor(ZmqMonitorEvents.Connected, Wait, out _), Is.True, "the rogue client did not connect");
            rogue.SendMultipart([[], new byte[Oversized]]);
            Assert.That(monitor.WaitFor(ZmqMonitorEvents.Disconnected, Wait, out _), Is.True,
                "a client that sent a frame over the default limit was not disconnected");
        }

        using (var client = new LazyPirateClient(context, Endpoint(queue).Frontend, new LazyPirateClientOptions { RequestTimeout = Wait, Attempts = 1 }))
        {
            Assert.That(client.TryRequest("small", out var reply), Is.True);
            Assert.That(reply, Is.EqualTo("ok"));
        }

        stop.Cancel();
        Join(running);
        Join(working);
        Assert.That(seen, Has.None.GreaterThan((int)ParanoidPirateProtocol.DefaultMaxMessageSize), "an oversized request reached the worker");
    }

    [TestCase("simple")]
    [TestCase("paranoid")]
    public void NoLimit_FrameOverOneMiB_IsRelayed(string kind)
    {
        using var context = new ZmqContext();
        using var stop = new CancellationTokenSource();
        var (queue, run, worker) = Start(kind, context, body => [Bytes(body[0].Length.ToString())], stop.Token, unlimited: true);
        using var owned = queue;
        var running = Background(() => run());
        var working = Background(() => worker());

        using (var client = new LazyPirateClient(context, Endpoint(queue).Frontend, new LazyPirateClientOptions { RequestTimeout = Wait, Attempts = 1 }))
        {
            var result = client.Request([new byte[Oversized]]);
            Assert.That(result.Succeeded, Is.True);
            Assert.That(result.ReplyText, Is.EqualTo(Oversized.ToString()));
        }

        stop.Cancel();
        Join(running);
        Join(working);
    }

    private static (IDisposable Queue, Action Run, Action Worker) Start(
        string kind, ZmqContext context, Func<IReadOnlyList<byte[]>, IReadOnlyList<byte[]>> handler, CancellationToken stop, bool unlimited = false)
    {
        const string Tcp = "tcp://127.0.0.1:*";
        if (kind == "simple")
        {
            var options = new SimplePirateQueueOptions();
            if (unlimited)
            {
                options.MaxMessageSize = null;
            }

            var queue = new SimplePirateQueue(context, Tcp, Tcp, options);
            return (queue, () => queue.Run(stop), () => new SimplePirateWorker(context, queue.BackendEndpoint).Run(handler, stop));
        }
        else
        {
            var options = new ParanoidPirateQueueOptions();
            if (unlimited)
            {
                options.MaxMessageSize = null;
            }

            var queue = new ParanoidPirateQueue(context, Tcp, Tcp, options);
            return (queue, () => queue.Run(stop), () => new ParanoidPirateWorker(context, queue.BackendEndpoint).Run(handler, stop));
        }
    }

    private static (string Frontend, string Backend) Endpoint(IDisposable queue) => queue switch
    {
        SimplePirateQueue q => (q.FrontendEndpoint, q.BackendEndpoint),
        ParanoidPirateQueue q => (q.FrontendEndpoint, q.BackendEndpoint),
        _ => throw new ArgumentException("not a Pirate queue", nameof(queue)),
    };
}
