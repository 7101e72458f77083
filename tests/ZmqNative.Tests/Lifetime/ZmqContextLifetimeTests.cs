using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace ZmqNative.Tests.Lifetime;

/// <summary>
/// How a context ends: disposal that never hangs, ends blocked calls, still delivers what was
/// sent, and a context never disposed that is terminated without blocking the finalizer thread.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class ZmqContextLifetimeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void Dispose_Twice_IsHarmlessAndLaterUseThrowsObjectDisposed()
    {
        var context = new ZmqContext();
        var socket = context.CreateSocket(ZmqSocketType.Pair);

        context.Dispose();
        context.Dispose();

        Assert.That(socket.IsDisposed, Is.True, "the context disposed its socket");
        Assert.That(() => context.CreateSocket(ZmqSocketType.Pair), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => new ZmqSocket(context, ZmqSocketType.Pair), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => context.IoThreads, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => context.MaxSockets = 10, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => context.GetOption(1), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => socket.Send("x"), Throws.TypeOf<ObjectDisposedException>());
        Assert.DoesNotThrow(context.Shutdown, "Shutdown after disposal has nothing left to do");
    }

    [Test]
    public void Dispose_WhileAnotherThreadReceives_EndsTheReceiveWithContextTerminated()
    {
        var context = new ZmqContext();
        var socket = context.CreateSocket(ZmqSocketType.Pull);
        socket.Bind("inproc://blocked");
        Exception? ended = null;
        var receiver = new Thread(() =>
        {
            try
            {
                socket.ReceiveBytes(); // blocking, no timeout
            }
            catch (Exception e)
            {
                ended = e;
            }
        })
        { IsBackground = true };
        receiver.Start();
        Assert.That(SpinWait.SpinUntil(() => socket.IsBusy, Wait), Is.True, "the receiver is inside Receive");

        var disposal = Task.Run(context.Dispose);

        Assert.That(receiver.Join(Wait), Is.True, "the blocked receive ended");
        Assert.That(ended, Is.TypeOf<ContextTerminatedException>());
        Assert.That(disposal.Wait(Wait), Is.True, "disposal returned");
        Assert.That(socket.IsDisposed, Is.True);
        Assert.That(() => socket.ReceiveBytes(), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void DefaultLinger_IsOneSecondAndGivenToEachNewSocket()
    {
        using var context = new ZmqContext();
        Assert.That(context.DefaultLinger, Is.EqualTo(TimeSpan.FromSeconds(1)));

        context.DefaultLinger = TimeSpan.FromMilliseconds(250);
        using var socket = context.CreateSocket(ZmqSocketType.Push);

        Assert.That(socket.Linger, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
    }

    [Test]
    public void Dispose_MessageQueuedForAPeerThatNeverComes_ReturnsAfterTheLinger()
    {
        string nowhere = UnusedTcpEndpoint();
        var context = new ZmqContext { DefaultLinger = TimeSpan.FromMilliseconds(100) };
        var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(nowhere);
        push.Send("queued, never delivered");

        // With libzmq's default linger (infinite) zmq_ctx_term would wait for this message forever.
        var disposal = Task.Run(context.Dispose);

        Assert.That(disposal.Wait(Wait), Is.True, "disposal returned");
    }

    [Test]
    public void Dispose_RightAfterSendingToAReaderInAnotherContext_StillDeliversOverTcp()
    {
        const int count = 200;
        using var receiverContext = new ZmqContext();
        using var pull = receiverContext.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("tcp://127.0.0.1:*");
        var senderContext = new ZmqContext();
        var push = senderContext.CreateSocket(ZmqSocketType.Push);
        push.Connect(pull.LastEndpoint);
        push.Send("hello");
        Assert.That(pull.TryReceiveString(Wait, out _), Is.True, "connected");
        var payload = new byte[64 * 1024];
        Random.Shared.NextBytes(payload);

        // 12.5 MiB: more than the kernel's socket buffers hold, so most of it is still queued in
        // libzmq when the context is disposed; the linger lets it go out.
        for (int i = 0; i < count; i++)
        {
            push.Send(payload);
        }

        push.Send("last");
        senderContext.Dispose();

        var buffer = new byte[payload.Length];
        for (int i = 0; i < count; i++)
        {
            Assert.That(pull.TryReceive(buffer, Wait, out int size), Is.True, $"message {i}");
            Assert.That(size, Is.EqualTo(payload.Length));
            Assert.That(buffer.AsSpan().SequenceEqual(payload), Is.True, $"message {i} content");
        }

        Assert.That(pull.TryReceiveString(Wait, out var last), Is.True);
        Assert.That(last, Is.EqualTo("last"));
    }

    [Test]
    [Platform(Include = "Linux", Reason = "counts descriptors in /proc/self/fd")]
    public void Finalize_ContextAndSocketNeverDisposed_AreClosedAndTheirDescriptorsFreed()
    {
        WarmUp();
        int before = ProcessResources.OpenFileDescriptors();
        string endpoint = AbandonContextWithBoundSocket();

        var finalizers = Task.Run(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        });

        Assert.That(finalizers.Wait(Wait), Is.True, "the finalizer thread is not blocked");
        Assert.That(ProcessResources.WaitUntil(() => ProcessResources.OpenFileDescriptors() <= before, Wait), Is.True,
            $"descriptors back to {before} (now {ProcessResources.OpenFileDescriptors()})");
        using var context = new ZmqContext();
        using var again = context.CreateSocket(ZmqSocketType.Pull);
        again.Bind(endpoint); // the port is free: the collected socket's listener is closed
    }

    [Test]
    public void Finalize_ContextWithInfiniteLingerAndQueuedMessage_DoesNotBlockTheFinalizerThreadAndStillDelivers()
    {
        using var receiverContext = new ZmqContext();
        string endpoint = UnusedTcpEndpoint();
        AbandonContextWithQueuedMessage(endpoint);

        // zmq_ctx_term of that context waits for the message forever (linger infinite): it must
        // not do so on the finalizer thread.
        var finalizers = Task.Run(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        });
        Assert.That(finalizers.Wait(Wait), Is.True, "the finalizer thread is not blocked");

        // The abandoned context keeps reconnecting while it lingers: a reader that comes now gets
        // the message, which also lets that termination finish.
        using var pull = receiverContext.CreateSocket(ZmqSocketType.Pull);
        pull.Bind(endpoint);
        Assert.That(pull.TryReceiveString(Wait, out var text), Is.True);
        Assert.That(text, Is.EqualTo("from beyond"));
    }

    [Test]
    [Platform(Include = "Linux", Reason = "counts descriptors in /proc/self/fd and reads /proc/self/status")]
    public void CreateAndDispose_AThousandContexts_LeaksNoDescriptorsOrMemory()
    {
        const int count = 1_000;
        CreateAndDisposeContexts(count / 5); // warm up: JIT, thread pool, heap arenas
        ProcessResources.CollectEverything();
        int fdsBefore = ProcessResources.OpenFileDescriptors();
        long memoryBefore = ProcessResources.ResidentAnonymousBytes();

        CreateAndDisposeContexts(count);

        ProcessResources.CollectEverything();
        int fdsAfter = ProcessResources.OpenFileDescriptors();
        long memoryAfter = ProcessResources.ResidentAnonymousBytes();
        TestContext.Out.WriteLine($"descriptors {fdsBefore} -> {fdsAfter}, anonymous memory {memoryBefore / 1024} KiB -> {memoryAfter / 1024} KiB");
        // Each context holds a few descriptors (mailboxes, epoll) and two threads; a leak of
        // either would show by the thousand. A little slack absorbs the runtime's own.
        Assert.That(fdsAfter, Is.LessThanOrEqualTo(fdsBefore + 4));
        // A leaked context with its I/O thread costs far more than 16 KiB, so 1,000 of them
        // would exceed this bound many times over; noise from the runtime stays well under it.
        Assert.That(memoryAfter - memoryBefore, Is.LessThan(16L * 1024 * 1024));
    }

    private static void CreateAndDisposeContexts(int count)
    {
        for (int i = 0; i < count; i++)
        {
            using var context = new ZmqContext();
            using var socket = context.CreateSocket(ZmqSocketType.Dealer); // starts the I/O and reaper threads
        }
    }

    private static void WarmUp()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);
        socket.Bind("tcp://127.0.0.1:*");
        ProcessResources.CollectEverything();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string AbandonContextWithBoundSocket()
    {
        var context = new ZmqContext();
        var socket = context.CreateSocket(ZmqSocketType.Pull);
        socket.Bind("tcp://127.0.0.1:*");
        return socket.LastEndpoint;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonContextWithQueuedMessage(string endpoint)
    {
        var context = new ZmqContext { DefaultLinger = Timeout.InfiniteTimeSpan };
        var push = context.CreateSocket(ZmqSocketType.Push);
        push.ReconnectInterval = TimeSpan.FromMilliseconds(20);
        push.Connect(endpoint);
        push.Send("from beyond");
    }

    private static string UnusedTcpEndpoint()
    {
        // A port the OS just gave out and that is closed again (synchronously): nobody listens there.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return "tcp://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
