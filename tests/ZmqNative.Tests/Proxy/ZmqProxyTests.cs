namespace ZmqNative.Tests.Proxy;

/// <summary>ZmqProxy (zmq_proxy, zmq_proxy_steerable) and its typed control client.</summary>
[TestFixture]
[CancelAfter(30_000)]
public class ZmqProxyTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);

    [Test]
    public void Run_RouterDealer_ForwardsRequestsAndReplies()
    {
        var context = new ZmqContext();
        try
        {
            var q = Queue.Start(context, steerable: false);
            using var client = q.Client();
            using var worker = q.Worker();

            for (int i = 0; i < 3; i++)
            {
                client.Send("request " + i);
                Assert.That(worker.TryReceiveString(Wait, out var request), Is.True);
                worker.Send("reply to " + request);
                Assert.That(client.TryReceiveString(Wait, out var reply), Is.True);
                Assert.That(reply, Is.EqualTo("reply to request " + i));
            }

            // Disposing the context is how a plain proxy ends: Run returns (no exception).
            context.Dispose();
            q.AssertEndedCleanly();
        }
        finally
        {
            context.Dispose();
        }
    }

    [Test]
    public void Run_XSubXPub_ForwardsPublicationsAndSubscriptions()
    {
        using var context = new ZmqContext();
        using var frontend = context.CreateSocket(ZmqSocketType.XSub);
        string frontendEndpoint = "inproc://xsub-" + Guid.NewGuid().ToString("N");
        frontend.Bind(frontendEndpoint);
        using var backend = context.CreateSocket(ZmqSocketType.XPub);
        string backendEndpoint = "inproc://xpub-" + Guid.NewGuid().ToString("N");
        backend.Bind(backendEndpoint);
        var run = ProxyThread.Start(() => ZmqProxy.Run(frontend, backend));
        using var publisher = context.CreateSocket(ZmqSocketType.Pub);
        publisher.Connect(frontendEndpoint);
        using var subscriber = context.CreateSocket(ZmqSocketType.Sub);
        subscriber.Subscribe("weather");
        subscriber.Connect(backendEndpoint);

        // The subscription travels subscriber -> XPUB -> proxy -> XSUB -> publisher; until it arrives
        // the publisher drops messages, so publish until one gets through.
        string? received = null;
        var deadline = DateTime.UtcNow + Wait;
        while (received is null && DateTime.UtcNow < deadline)
        {
            publisher.Send("sports 1-0");
            publisher.Send("weather sunny");
            subscriber.TryReceiveString(Short, out received);
        }

        Assert.That(received, Is.EqualTo("weather sunny"));
        context.Shutdown();
        run.AssertEnded();
    }

    [Test]
    public void Run_WithCapture_CaptureSeesEveryForwardedFrame()
    {
        var context = new ZmqContext();
        try
        {
            string captureEndpoint = "inproc://capture-" + Guid.NewGuid().ToString("N");
            using var captured = context.CreateSocket(ZmqSocketType.Pull);
            captured.Bind(captureEndpoint);
            var capture = context.CreateSocket(ZmqSocketType.Push);
            capture.Connect(captureEndpoint);
            var q = Queue.Start(context, steerable: false, capture);
            using var client = q.Client();
            using var worker = q.Worker();

            client.Send("question");
            Assert.That(worker.TryReceiveString(Wait, out _), Is.True);
            worker.Send("answer");
            Assert.That(client.TryReceiveString(Wait, out _), Is.True);

            // ROUTER adds the client's routing id, REQ/REP the empty delimiter: three frames each way.
            var request = ReceiveFrames(captured);
            var reply = ReceiveFrames(captured);
            Assert.That(request, Has.Count.EqualTo(3));
            Assert.That(request[1], Is.Empty);
            Assert.That(System.Text.Encoding.UTF8.GetString(request[2]), Is.EqualTo("question"));
            Assert.That(reply[0], Is.EqualTo(request[0]), "the reply is routed back by the same id");
            Assert.That(System.Text.Encoding.UTF8.GetString(reply[2]), Is.EqualTo("answer"));

            context.Dispose();
            q.AssertEndedCleanly();
        }
        finally
        {
            context.Dispose();
        }
    }

    [Test]
    public void Run_SocketUsedByAnotherThreadWhileProxyRuns_ThatUseThrows()
    {
        var context = new ZmqContext();
        try
        {
            var q = Queue.Start(context, steerable: false);
            using var client = q.Client();
            using var worker = q.Worker();
            client.Send("prove the proxy runs");
            Assert.That(worker.TryReceiveString(Wait, out _), Is.True);

            var error = Assert.Throws<InvalidOperationException>(() => q.Frontend.TrySend("sneak"u8))!;

            Assert.That(error.Message, Does.Contain("one thread at a time"));
            context.Dispose();
            q.AssertEndedCleanly();
        }
        finally
        {
            context.Dispose();
        }
    }

    [Test]
    public void Run_DisposedSocket_ThrowsObjectDisposed()
    {
        using var context = new ZmqContext();
        using var frontend = context.CreateSocket(ZmqSocketType.Router);
        using var backend = context.CreateSocket(ZmqSocketType.Dealer);
        backend.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ZmqProxy.Run(frontend, backend));
        Assert.That(frontend.Poll(ZmqPollEvents.In, TimeSpan.Zero), Is.EqualTo(ZmqPollEvents.None), "the frontend was released");
    }

    [Test]
    public void RunSteerable_PauseThenResume_HoldsThenForwards()
    {
        using var context = new ZmqContext();
        var q = Queue.Start(context, steerable: true);
        using var client = q.Client();
        using var worker = q.Worker();
        using var control = q.Control();

        control.Pause();
        // STATISTICS is answered in order, so once it is back the proxy has read PAUSE.
        control.GetStatistics();
        client.Send("while paused");
        bool arrivedWhilePaused = worker.TryReceiveString(Short, out _);
        control.Resume();
        bool arrivedAfterResume = worker.TryReceiveString(Wait, out var request);

        Assert.That(arrivedWhilePaused, Is.False);
        Assert.That(arrivedAfterResume, Is.True);
        Assert.That(request, Is.EqualTo("while paused"));

        control.Terminate();
        q.AssertEndedCleanly();
    }

    [Test]
    public void RunSteerable_Statistics_CountMessagesAndBytesBothWays()
    {
        using var context = new ZmqContext();
        var q = Queue.Start(context, steerable: true);
        using var client = q.Client();
        using var worker = q.Worker();
        using var control = q.Control();
        var before = control.GetStatistics();

        for (int i = 0; i < 2; i++)
        {
            client.Send("12345");
            Assert.That(worker.TryReceiveString(Wait, out _), Is.True);
            worker.Send("1234567890");
            Assert.That(client.TryReceiveString(Wait, out _), Is.True);
        }

        Assert.That(control.TryGetStatistics(Wait, out var after), Is.True);

        Assert.That(before, Is.EqualTo(default(ZmqProxyStatistics)));
        // A multipart message counts once; its bytes are all its frames: routing id (5 bytes for a
        // ROUTER-made id, zmq_socket(3)), empty delimiter, body.
        Assert.That(after.Frontend, Is.EqualTo(new ZmqProxySocketStatistics(2, 2 * (5 + 5), 2, 2 * (5 + 10))));
        Assert.That(after.Backend, Is.EqualTo(new ZmqProxySocketStatistics(2, 2 * (5 + 10), 2, 2 * (5 + 5))));

        control.Terminate();
        q.AssertEndedCleanly();
    }

    [Test]
    public void RunSteerable_Terminate_ReturnsAndReleasesTheSockets()
    {
        using var context = new ZmqContext();
        var q = Queue.Start(context, steerable: true);
        using var control = q.Control();

        control.Terminate();
        q.AssertEndedCleanly();

        Assert.That(q.Frontend.Poll(ZmqPollEvents.In, TimeSpan.Zero), Is.EqualTo(ZmqPollEvents.None), "usable again from this thread");
    }

    [Test]
    public void RunSteerable_ContextDisposed_Returns()
    {
        var context = new ZmqContext();
        var q = Queue.Start(context, steerable: true);
        using var control = q.Control();
        control.GetStatistics(); // the proxy is running

        context.Dispose();

        q.AssertEndedCleanly();
    }

    [Test]
    public void TryGetStatistics_ProxyNotRunning_TimesOutAndLaterReplyIsSkipped()
    {
        using var context = new ZmqContext();
        string endpoint = "inproc://late-control-" + Guid.NewGuid().ToString("N");
        using var control = new ZmqProxyControl(context, endpoint);

        bool answered = control.TryGetStatistics(Short, out _);
        // Now start the proxy: it answers the stale request at once (all zeros), then forwards one
        // request, then answers the new STATISTICS, which must be the one returned.
        var q = Queue.Start(context, steerable: true, controlEndpoint: endpoint);
        using var client = q.Client();
        using var worker = q.Worker();
        client.Send("counted");
        Assert.That(worker.TryReceiveString(Wait, out _), Is.True);
        var statistics = control.GetStatistics();

        Assert.That(answered, Is.False);
        Assert.That(statistics.Frontend.MessagesIn, Is.EqualTo(1));
        control.Terminate();
        q.AssertEndedCleanly();
    }

    private static List<byte[]> ReceiveFrames(ZmqSocket socket)
    {
        Assert.That(socket.TryReceiveMultipart(Wait, out var frames), Is.True);
        return frames!;
    }

    /// <summary>A thread running a proxy, and what ended it.</summary>
    private sealed class ProxyThread
    {
        private readonly Thread _thread;
        private Exception? _error;

        private ProxyThread(Action run)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    run();
                }
                catch (Exception error)
                {
                    _error = error;
                }
            })
            { IsBackground = true, Name = "proxy under test" };
        }

        public static ProxyThread Start(Action run)
        {
            var proxy = new ProxyThread(run);
            proxy._thread.Start();
            return proxy;
        }

        public void AssertEnded()
        {
            Assert.That(_thread.Join(Wait), Is.True, "the proxy thread ended");
            Assert.That(_error, Is.Null, "the proxy returned without an exception");
        }
    }

    /// <summary>A ROUTER/DEALER shared queue (zmq_proxy(3)'s example) on its own thread.</summary>
    private sealed class Queue
    {
        private readonly ZmqContext _context;
        private readonly string _frontendEndpoint;
        private readonly string _backendEndpoint;
        private ProxyThread _thread = null!;

        private Queue(ZmqContext context)
        {
            _context = context;
            // Endpoints are kept: while the proxy runs its sockets are busy, even for LastEndpoint.
            Frontend = context.CreateSocket(ZmqSocketType.Router);
            Frontend.Bind(_frontendEndpoint = "inproc://frontend-" + Guid.NewGuid().ToString("N"));
            Backend = context.CreateSocket(ZmqSocketType.Dealer);
            Backend.Bind(_backendEndpoint = "inproc://backend-" + Guid.NewGuid().ToString("N"));
        }

        public ZmqSocket Frontend { get; }

        public ZmqSocket Backend { get; }

        public string ControlEndpoint { get; private set; } = "";

        public static Queue Start(ZmqContext context, bool steerable, ZmqSocket? capture = null, string? controlEndpoint = null)
        {
            var queue = new Queue(context);
            if (steerable)
            {
                queue.ControlEndpoint = controlEndpoint ?? "inproc://control-" + Guid.NewGuid().ToString("N");
                var control = context.CreateSocket(ZmqSocketType.Pair);
                control.Bind(queue.ControlEndpoint);
                queue._thread = ProxyThread.Start(() =>
                {
                    ZmqProxy.RunSteerable(queue.Frontend, queue.Backend, capture, control);
                    queue.Dispose(control, capture);
                });
            }
            else
            {
                queue._thread = ProxyThread.Start(() =>
                {
                    ZmqProxy.Run(queue.Frontend, queue.Backend, capture);
                    queue.Dispose(null, capture);
                });
            }

            return queue;
        }

        public ZmqSocket Client()
        {
            var client = _context.CreateSocket(ZmqSocketType.Req);
            client.Connect(_frontendEndpoint);
            return client;
        }

        public ZmqSocket Worker()
        {
            var worker = _context.CreateSocket(ZmqSocketType.Rep);
            worker.Connect(_backendEndpoint);
            return worker;
        }

        public ZmqProxyControl Control() => new(_context, ControlEndpoint);

        public void AssertEndedCleanly() => _thread.AssertEnded();

        private void Dispose(ZmqSocket? control, ZmqSocket? capture)
        {
            // The frontend stays open for tests that use it after the proxy.
            Backend.Dispose();
            control?.Dispose();
            capture?.Dispose();
        }
    }
}
