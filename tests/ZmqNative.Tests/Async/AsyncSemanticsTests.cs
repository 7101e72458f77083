using System.Buffers.Binary;
using System.Text;

namespace ZmqNative.Tests.Async;

/// <summary>
/// The semantics of issue 19, one test each: back-pressure, cancellation that never loses or
/// duplicates a message, disposal while pending, order, the one-thread rule, where
/// continuations run, and the thread-safe draft types.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
[NonParallelizable]
public class AsyncSemanticsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static int s_endpoint;

    internal static string Endpoint() => $"inproc://async-{Interlocked.Increment(ref s_endpoint)}";

    internal static (ZmqSocket Push, ZmqSocket Pull) PushPull(ZmqContext context, int hwm = 1000)
    {
        var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.ReceiveHighWatermark = hwm;
        string endpoint = Endpoint();
        pull.Bind(endpoint);
        var push = context.CreateSocket(ZmqSocketType.Push);
        push.SendHighWatermark = hwm;
        push.Connect(endpoint);
        return (push, pull);
    }

    private static byte[] Number(int i)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, i);
        return bytes;
    }

    [Test]
    public async Task ReceiveAsync_NothingThere_WaitsUntilAFrameArrives()
    {
        using var context = new ZmqContext();
        var (push, pull) = PushPull(context);
        using (push)
        using (pull)
        {
            var buffer = new byte[16];
            var receive = pull.ReceiveAsync(buffer).AsTask();
            await Task.Delay(50);
            Assert.That(receive.IsCompleted, Is.False, "completed with nothing sent");
            await push.SendAsync("hello"u8.ToArray());
            Assert.That(await receive.WaitAsync(Wait), Is.EqualTo(5));
            Assert.That(Encoding.ASCII.GetString(buffer, 0, 5), Is.EqualTo("hello"));
        }
    }

    [Test]
    public async Task SendAsync_FullHighWaterMark_WaitsAndNeverDrops()
    {
        using var context = new ZmqContext();
        var (push, pull) = PushPull(context, hwm: 1);
        using (push)
        using (pull)
        {
            // Fill the pipe until a send has to wait.
            int sent = 0;
            ValueTask pending;
            while ((pending = push.SendAsync(Number(sent))).IsCompleted)
            {
                await pending;
                sent++;
                Assert.That(sent, Is.LessThan(100), "a HWM of 1 never filled up");
            }

            var waiting = pending.AsTask();
            var more = Enumerable.Range(sent + 1, 50).Select(i => push.SendAsync(Number(i)).AsTask()).ToArray();
            await Task.Delay(50);
            Assert.That(waiting.IsCompleted, Is.False, "a send into a full pipe completed");

            var buffer = new byte[4];
            for (int expected = 0; expected <= sent + 50; expected++)
            {
                Assert.That(await pull.ReceiveAsync(buffer).AsTask().WaitAsync(Wait), Is.EqualTo(4));
                Assert.That(BinaryPrimitives.ReadInt32LittleEndian(buffer), Is.EqualTo(expected), "lost or reordered");
            }

            await Task.WhenAll(more.Append(waiting)).WaitAsync(Wait);
        }
    }

    /// <summary>
    /// 10,000 rounds, each a receive waiting on an empty socket while one thread sends it a
    /// message and another cancels it, at once: either the receive completes with that message,
    /// or it is canceled and the message is still in the socket. Every message is counted once.
    /// </summary>
    [Test]
    public async Task Cancel_RacingWithArrivals_NoMessageLostOrDuplicated()
    {
        const int Rounds = 10_000;
        using var context = new ZmqContext();
        var (push, pull) = PushPull(context);
        using (push)
        using (pull)
        {
            int delivered = 0, canceled = 0;
            var buffer = new byte[4];
            for (int i = 0; i < Rounds; i++)
            {
                using var cts = new CancellationTokenSource();
                var receive = pull.ReceiveAsync(buffer, cts.Token).AsTask();
                int n = i, go = 0;
                var sender = Task.Run(() =>
                {
                    while (Volatile.Read(ref go) == 0)
                    {
                    }

                    push.Send(Number(n));
                });
                var canceller = Task.Run(() =>
                {
                    while (Volatile.Read(ref go) == 0)
                    {
                    }

                    Thread.SpinWait((n % 200) * 500); // vary which side wins
                    cts.Cancel();
                });
                Volatile.Write(ref go, 1);
                await Task.WhenAll(sender, canceller).WaitAsync(Wait);
                try
                {
                    Assert.That(await receive.WaitAsync(Wait), Is.EqualTo(4));
                    delivered++;
                }
                catch (OperationCanceledException)
                {
                    canceled++;
                    Assert.That(pull.TryReceive(buffer, Wait, out _), Is.True, $"round {n}: canceled, and its message is gone");
                }

                Assert.That(BinaryPrimitives.ReadInt32LittleEndian(buffer), Is.EqualTo(n), "a message of another round");
                Assert.That(pull.TryReceive(buffer, out _), Is.False, $"round {n}: a message left over (received twice?)");
            }

            TestContext.Out.WriteLine($"{Rounds} rounds: {delivered} delivered to the racing receive, {canceled} canceled (message then received synchronously)");
            Assert.That(delivered, Is.GreaterThan(0));
            Assert.That(canceled, Is.GreaterThan(0));
        }
    }

    [Test]
    public void Dispose_SocketWhileOperationsPending_EachEndsWithObjectDisposed()
    {
        using var context = new ZmqContext();
        var (push, pull) = PushPull(context);
        using (push)
        {
            var receives = Enumerable.Range(0, 10).Select(_ => pull.ReceiveStringAsync().AsTask()).ToArray();
            Assert.That(pull.IsBusy, Is.True, "pending operations hold the socket");
            pull.Dispose();
            foreach (var receive in receives)
            {
                Assert.That(async () => await receive.WaitAsync(Wait), Throws.InstanceOf<ObjectDisposedException>());
            }

            Assert.That(pull.IsDisposed, Is.True);
        }
    }

    [Test]
    public void Dispose_ContextWhileOperationsPending_EachEndsPromptly()
    {
        var context = new ZmqContext();
        var (_, idle) = PushPull(context); // nothing is sent to it: its receives wait
        var (push, _) = PushPull(context, hwm: 1); // nothing reads from it: its later sends wait
        var receives = Enumerable.Range(0, 10).Select(_ => idle.ReceiveAsync(new byte[8]).AsTask()).ToArray();
        var sends = new List<Task>();
        for (int i = 0; i < 10; i++)
        {
            sends.Add(push.SendAsync(Number(i)).AsTask());
        }

        Assert.That(sends.Any(s => !s.IsCompleted), Is.True, "no send waits");
        context.Dispose();
        foreach (var task in receives.Cast<Task>().Concat(sends.Where(s => !s.IsCompletedSuccessfully)))
        {
            var error = Assert.CatchAsync<Exception>(async () => await task.WaitAsync(Wait));
            Assert.That(error, Is.InstanceOf<ObjectDisposedException>().Or.InstanceOf<ContextTerminatedException>());
        }
    }

    [Test]
    public async Task ReceiveAsync_ManyPending_ServedInOrder()
    {
        const int Count = 200;
        using var context = new ZmqContext();
        var (push, pull) = PushPull(context);
        using (push)
        using (pull)
        {
            var receives = Enumerable.Range(0, Count).Select(_ => pull.ReceiveStringAsync().AsTask()).ToArray();
            var sends = Enumerable.Range(0, Count).Select(i => push.SendAsync(i.ToString()).AsTask()).ToArray();
            await Task.WhenAll(sends).WaitAsync(Wait);
            for (int i = 0; i < Count; i++)
            {
                Assert.That(await receives[i].WaitAsync(Wait), Is.EqualTo(i.ToString()));
            }
        }
    }

    [Test]
    public async Task SyncCall_WhileAsyncPending_ThrowsInvalidOperation_AndWorksAfter()
    {
        using var context = new ZmqContext();
        var (push, pull) = PushPull(context);
        using (push)
        using (pull)
        {
            var receive = pull.ReceiveStringAsync().AsTask();
            var error = Assert.Throws<InvalidOperationException>(() => pull.TryReceive(new byte[4], out _));
            Assert.That(error!.Message, Does.Contain("async"));
            await push.SendAsync("x");
            Assert.That(await receive.WaitAsync(Wait), Is.EqualTo("x"));
            Assert.That(pull.IsBusy, Is.False, "the engine let the socket go when its queue emptied");
            push.Send("y");
            Assert.That(pull.ReceiveString(), Is.EqualTo("y"));
        }
    }

    /// <summary>
    /// The edge-triggered trap, made to happen: a receive waits on PAIR a; a message arrives
    /// (a's fd signals) while the reactor is held before its wait; then a send on a processes a's
    /// commands, which drains the fd. The reactor then waits on a quiet fd: only re-reading
    /// ZMQ_EVENTS after that send completes the receive.
    /// </summary>
    [Test]
    public async Task SendOnTheSameSocket_EatsThePendingReceivesWakeUp_ReceiveStillCompletes()
    {
        using var context = new ZmqContext();
        using var a = context.CreateSocket(ZmqSocketType.Pair);
        using var b = context.CreateSocket(ZmqSocketType.Pair);
        string endpoint = Endpoint();
        a.Bind(endpoint);
        b.Connect(endpoint);

        // One receive that waits, so a is in the reactor's set (it stays there while idle).
        var first = a.ReceiveStringAsync().AsTask();
        b.Send("first");
        Assert.That(await first.WaitAsync(Wait), Is.EqualTo("first"));

        var reactor = context.AsyncReactor;
        using var gate = new ManualResetEventSlim(false);
        reactor.TestGate = gate;
        try
        {
            reactor.Wake();
            Assert.That(reactor.TestAtGate.Wait(Wait), Is.True, "the reactor never reached its gate");
            var receive = a.ReceiveStringAsync().AsTask();
            b.Send("second"); // a's fd signals; no one is waiting on it
            Thread.Sleep(20); // past libzmq's command throttle (max_command_delay), so the send processes commands
            await a.SendAsync("ping"); // processes a's commands: the fd is drained
            reactor.TestGate = null;
            gate.Set();
            Assert.That(await receive.WaitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo("second"));
        }
        finally
        {
            reactor.TestGate = null;
            gate.Set();
        }
    }

    [Test]
    public async Task Continuations_NeverRunOnTheReactorThread()
    {
        using var context = new ZmqContext();
        var (push, pull) = PushPull(context);
        using (push)
        using (pull)
        {
            var threads = new List<int>();
            var reader = Task.Run(async () =>
            {
                for (int i = 0; i < 100; i++)
                {
                    await pull.ReceiveStringAsync(); // waits: completed by the reactor
                    threads.Add(Environment.CurrentManagedThreadId);
                }
            });
            for (int i = 0; i < 100; i++)
            {
                await Task.Delay(1);
                await push.SendAsync("m");
            }

            await reader.WaitAsync(Wait);
            var reactor = context.AsyncReactor.Thread;
            Assert.That(reactor, Is.Not.Null, "the receives never waited");
            Assert.That(threads, Has.None.EqualTo(reactor!.ManagedThreadId));
        }
    }

    [Test]
    public async Task ThreadSafeDraftSockets_ReceiveAndSendAsync()
    {
        if (!Zmq.Has("draft"))
        {
            Assert.Ignore("libzmq without the draft API");
        }

        using var context = new ZmqContext();
        using var gather = context.CreateSocket(ZmqSocketType.Gather);
        string endpoint = Endpoint();
        gather.Bind(endpoint);
        using var scatter = context.CreateSocket(ZmqSocketType.Scatter);
        scatter.Connect(endpoint);

        for (int round = 0; round < 200; round++)
        {
            var receive = gather.ReceiveStringAsync().AsTask(); // pending first: it must wait on the poller's fd
            if (round % 50 == 0)
            {
                await Task.Delay(20);
                Assert.That(receive.IsCompleted, Is.False);
            }

            await scatter.SendAsync("r" + round);
            Assert.That(await receive.WaitAsync(Wait), Is.EqualTo("r" + round));
        }

        // A synchronous call alongside is allowed on a thread-safe socket.
        var pending = gather.ReceiveStringAsync().AsTask();
        Assert.That(gather.SendHighWatermark, Is.GreaterThan(0));
        scatter.Send("last");
        Assert.That(await pending.WaitAsync(Wait), Is.EqualTo("last"));
    }

    [Test]
    public async Task Multipart_AndRouted_RoundTrip()
    {
        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        string endpoint = Endpoint();
        router.Bind(endpoint);
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        dealer.Connect(endpoint);

        var request = router.ReceiveRoutedAsync().AsTask();
        await dealer.SendMultipartAsync(["", "a", "b"]);
        var routed = await request.WaitAsync(Wait);
        await router.SendRoutedAsync(routed.Reply(["ok"u8.ToArray()]));
        var reply = await dealer.ReceiveMultipartAsync().AsTask().WaitAsync(Wait);
        Assert.That(reply.Select(f => Encoding.ASCII.GetString(f)), Is.EqualTo(new[] { "", "ok" }));

        using var cts = new CancellationTokenSource();
        var read = new List<string>();
        var reader = Task.Run(async () =>
        {
            await foreach (var message in dealer.ReadAllAsync(cts.Token))
            {
                read.Add(Encoding.ASCII.GetString(message[^1]));
                if (read.Count == 3)
                {
                    cts.Cancel();
                }
            }
        });
        for (int i = 0; i < 3; i++)
        {
            await router.SendRoutedAsync(routed.Reply([Encoding.ASCII.GetBytes("m" + i)]));
        }

        Assert.That(async () => await reader.WaitAsync(Wait), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(read, Is.EqualTo(new[] { "m0", "m1", "m2" }));
    }
}
