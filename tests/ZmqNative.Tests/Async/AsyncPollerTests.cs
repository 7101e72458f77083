using System.Net;
using System.Net.Sockets;
using ZmqNative.Tests.Polling;

namespace ZmqNative.Tests.Async;

/// <summary>
/// <see cref="ZmqPoller.WaitAsync(TimeSpan, CancellationToken)"/> on both backends (the draft
/// zmq_poller and zmq_poll): readiness from each of several sockets, timeout, cancellation,
/// disposal of the poller, of a socket and of the context, concurrent waits, readiness that
/// ZMQ_FD will never signal, thread-safe draft sockets and raw descriptors.
/// </summary>
[TestFixture(true)]
[TestFixture(false)]
[CancelAfter(60_000)]
[NonParallelizable]
public class AsyncPollerTests : PollerBackendFixture
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public AsyncPollerTests(bool draft)
        : base(draft)
    {
    }

    [Test]
    public async Task WaitAsync_EachOfSeveralSockets_CompletesWithThatOneReady()
    {
        var pairs = Enumerable.Range(0, 3).Select(_ => AsyncSemanticsTests.PushPull(Context)).ToArray();
        try
        {
            using var poller = NewPoller();
            foreach (var (_, pull) in pairs)
            {
                poller.Add(pull, ZmqPollEvents.In);
            }

            foreach (int i in new[] { 2, 0, 1 })
            {
                var wait = poller.WaitAsync(Wait);
                Assert.That(wait.IsCompleted, Is.False, "completed with nothing sent");
                pairs[i].Push.Send("to " + i);
                Assert.That(await wait.AsTask().WaitAsync(Wait), Is.EqualTo(1));
                for (int k = 0; k < pairs.Length; k++)
                {
                    Assert.That(poller.IsReady(pairs[k].Pull), Is.EqualTo(k == i), $"socket {k} after a send to {i}");
                }

                Assert.That(poller.Ready[0].Socket, Is.SameAs(pairs[i].Pull));
                Assert.That(pairs[i].Pull.ReceiveString(), Is.EqualTo("to " + i), "the socket is not usable after the wait");
            }
        }
        finally
        {
            foreach (var (push, pull) in pairs)
            {
                push.Dispose();
                pull.Dispose();
            }
        }
    }

    [Test]
    public async Task WaitAsync_SomethingAlreadyReady_CompletesAtOnce()
    {
        var (push, pull) = AsyncSemanticsTests.PushPull(Context);
        using (push)
        using (pull)
        {
            using var poller = NewPoller();
            poller.Add(pull, ZmqPollEvents.In);
            push.Send("there");
            Assert.That(poller.Wait(Wait), Is.EqualTo(1)); // the message is in: a zero wait sees it too

            var wait = poller.WaitAsync(Wait);
            Assert.That(wait.IsCompletedSuccessfully, Is.True);
            Assert.That(await wait, Is.EqualTo(1));
        }
    }

    /// <summary>
    /// Two messages arrive, one is received: the receive processed the socket's commands, so its
    /// ZMQ_FD stays quiet although a message waits. Only the check before parking finds it.
    /// </summary>
    [Test]
    public async Task WaitAsync_ReadinessTheFdWillNeverSignal_IsNotLost()
    {
        var (push, pull) = AsyncSemanticsTests.PushPull(Context);
        using (push)
        using (pull)
        {
            using var poller = NewPoller();
            poller.Add(pull, ZmqPollEvents.In);
            push.Send("one");
            push.Send("two");
            Assert.That(pull.ReceiveString(), Is.EqualTo("one"));

            Assert.That(await poller.WaitAsync(Wait).AsTask().WaitAsync(Wait), Is.EqualTo(1));
            Assert.That(pull.ReceiveString(), Is.EqualTo("two"));
        }
    }

    /// <summary>The reactor is held before its wait while the message arrives (its fd signals then): the wait still ends.</summary>
    [Test]
    public async Task WaitAsync_SignalWhileTheReactorIsNotWaiting_IsNotLost()
    {
        var (push, pull) = AsyncSemanticsTests.PushPull(Context);
        using (push)
        using (pull)
        {
            using var poller = NewPoller();
            poller.Add(pull, ZmqPollEvents.In);
            var reactor = Context.AsyncReactor;
            using var gate = new ManualResetEventSlim(false);
            reactor.TestGate = gate;
            try
            {
                var wait = poller.WaitAsync(Wait).AsTask(); // starts the reactor, which stops at its gate
                Assert.That(reactor.TestAtGate.Wait(Wait), Is.True, "the reactor never reached its gate");
                push.Send("now");
                reactor.TestGate = null;
                gate.Set();
                Assert.That(await wait.WaitAsync(Wait), Is.EqualTo(1));
            }
            finally
            {
                reactor.TestGate = null;
                gate.Set();
            }
        }
    }

    [Test]
    public async Task WaitAsync_Timeout_CompletesWithZero_AndNothingReady()
    {
        var (push, pull) = AsyncSemanticsTests.PushPull(Context);
        using (push)
        using (pull)
        {
            using var poller = NewPoller();
            poller.Add(pull, ZmqPollEvents.In);
            Assert.That(await poller.WaitAsync(TimeSpan.FromMilliseconds(50)).AsTask().WaitAsync(Wait), Is.EqualTo(0));
            Assert.That(poller.Ready.Length, Is.EqualTo(0));
            Assert.That(await poller.WaitAsync(TimeSpan.Zero), Is.EqualTo(0), "a zero timeout only checks");

            // After a timeout the poller and the socket are free again.
            push.Send("later");
            Assert.That(poller.Wait(Wait), Is.EqualTo(1));
            Assert.That(pull.ReceiveString(), Is.EqualTo("later"));
        }
    }

    [Test]
    public async Task WaitAsync_Canceled_EndsCanceled_AndLetsThePollerAndSocketsGo()
    {
        var (push, pull) = AsyncSemanticsTests.PushPull(Context);
        using (push)
        using (pull)
        {
            using var poller = NewPoller();
            poller.Add(pull, ZmqPollEvents.In);
            using var cancel = new CancellationTokenSource();
            var wait = poller.WaitAsync(cancel.Token).AsTask();
            await Task.Delay(20);
            Assert.That(wait.IsCompleted, Is.False);
            cancel.Cancel();
            Assert.That(async () => await wait.WaitAsync(Wait), Throws.InstanceOf<OperationCanceledException>());

            push.Send("after");
            Assert.That(await poller.WaitAsync(Wait).AsTask().WaitAsync(Wait), Is.EqualTo(1), "the poller does not wait again after a cancellation");
            Assert.That(pull.ReceiveString(), Is.EqualTo("after"));

            using var canceled = new CancellationTokenSource();
            canceled.Cancel();
            Assert.That(poller.WaitAsync(canceled.Token).IsCanceled, Is.True, "an already canceled token");
        }
    }

    [Test]
    public async Task WaitAsync_WhileAnotherIsPending_IsRejected_AsIsUseOfItsSockets()
    {
        var (push, pull) = AsyncSemanticsTests.PushPull(Context);
        using (push)
        using (pull)
        {
            using var poller = NewPoller();
            poller.Add(pull, ZmqPollEvents.In);
            var first = poller.WaitAsync(Wait).AsTask();
            Assert.That(async () => await poller.WaitAsync(Wait), Throws.InvalidOperationException);
            Assert.That(() => poller.Wait(TimeSpan.Zero), Throws.InvalidOperationException);
            Assert.That(() => pull.TryReceive(new byte[1], out _), Throws.InvalidOperationException, "a socket in a pending wait is in use");
            Assert.That(first.IsCompleted, Is.False, "the rejected calls ended the first wait");

            push.Send("x");
            Assert.That(await first.WaitAsync(Wait), Is.EqualTo(1));
        }
    }

    [Test]
    public void WaitAsync_PollerDisposedWhilePending_EndsWithObjectDisposed()
    {
        var (push, pull) = AsyncSemanticsTests.PushPull(Context);
        using (push)
        using (pull)
        {
            var poller = NewPoller();
            poller.Add(pull, ZmqPollEvents.In);
            var wait = poller.WaitAsync().AsTask();
            Thread.Sleep(50);
            Assert.That(wait.IsCompleted, Is.False);
            poller.Dispose();
            Assert.That(async () => await wait.WaitAsync(Wait), Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(() => pull.TryReceive(new byte[1], out _), Throws.Nothing, "the socket is still held by the disposed poller's wait");
            Assert.That(async () => await poller.WaitAsync(), Throws.InstanceOf<ObjectDisposedException>());
        }
    }

    [Test]
    public void WaitAsync_SocketDisposedWhilePending_EndsWithObjectDisposed()
    {
        var (push, pull) = AsyncSemanticsTests.PushPull(Context);
        using (push)
        {
            using var poller = NewPoller();
            poller.Add(pull, ZmqPollEvents.In);
            var wait = poller.WaitAsync().AsTask();
            Thread.Sleep(50); // the reactor is waiting on the fds by now: only the disposal's wake-up ends the wait
            Assert.That(wait.IsCompleted, Is.False);
            pull.Dispose();
            Assert.That(async () => await wait.WaitAsync(Wait), Throws.InstanceOf<ObjectDisposedException>().With.Message.Contains("Pull").IgnoreCase);
            poller.Remove(pull);
        }
    }

    [Test]
    public void WaitAsync_ContextDisposedWhilePending_Ends()
    {
        var context = new ZmqContext();
        var (push, pull) = AsyncSemanticsTests.PushPull(context);
        var poller = NewPoller();
        poller.Add(pull, ZmqPollEvents.In);
        var wait = poller.WaitAsync().AsTask();
        Thread.Sleep(50);
        Assert.That(wait.IsCompleted, Is.False);

        // The context's Dispose waits for its sockets to close, and the poller holds one: dispose
        // it from another thread, as the wait's end lets the poller be disposed here.
        var disposing = Task.Run(context.Dispose);
        var error = Assert.CatchAsync(async () => await wait.WaitAsync(Wait));
        Assert.That(error, Is.InstanceOf<ObjectDisposedException>().Or.InstanceOf<ContextTerminatedException>());
        poller.Dispose();
        Assert.That(disposing.Wait(Wait), Is.True, "the context's Dispose hung");
    }

    [Test]
    public void WaitAsync_EmptyPoller_InfiniteIsRejected_TimedCompletesWithZero()
    {
        using var poller = NewPoller();
        Assert.That(async () => await poller.WaitAsync(), Throws.InvalidOperationException);
        Assert.That(async () => await poller.WaitAsync(TimeSpan.FromMilliseconds(10)), Is.EqualTo(0));
        Assert.That(() => poller.WaitAsync(TimeSpan.FromMilliseconds(-2)), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task WaitAsync_RawDescriptor_CompletesWhenItIsReadable()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();

        using var poller = NewPoller();
        poller.Add(server.Handle, ZmqPollEvents.In);
        var wait = poller.WaitAsync(Wait);
        Assert.That(wait.IsCompleted, Is.False);
        client.Send([1, 2, 3]);
        Assert.That(await wait.AsTask().WaitAsync(Wait), Is.EqualTo(1));
        Assert.That(poller.IsReady(server.Handle), Is.True);
    }

    [Test]
    public async Task WaitAsync_ThreadSafeDraftSockets()
    {
        using var server = Context.CreateSocket(ZmqSocketType.Server);
        string endpoint = AsyncSemanticsTests.Endpoint();
        server.Bind(endpoint);
        using var client = Context.CreateSocket(ZmqSocketType.Client);
        client.Connect(endpoint);
        using var poller = NewPoller();
        poller.Add(server, ZmqPollEvents.In);

        for (int round = 0; round < 50; round++)
        {
            var wait = poller.WaitAsync(Wait).AsTask();
            if (round % 10 == 0)
            {
                await Task.Delay(10);
                Assert.That(wait.IsCompleted, Is.False, "completed with nothing sent");
            }

            client.Send("r" + round);
            Assert.That(await wait.WaitAsync(Wait), Is.EqualTo(1));
            var message = new ZmqMessage();
            server.Receive(message);
            Assert.That(message.ToString(), Is.EqualTo("r" + round));
        }
    }

}
