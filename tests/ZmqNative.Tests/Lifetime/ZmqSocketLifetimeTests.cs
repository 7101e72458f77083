using System.Runtime.CompilerServices;

namespace ZmqNative.Tests.Lifetime;

/// <summary>
/// How a socket ends: disposal (twice, from another thread, never), and that opening and closing
/// many of them leaks nothing.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class ZmqSocketLifetimeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void Dispose_ThenAnyCall_ThrowsObjectDisposed()
    {
        using var context = new ZmqContext();
        var socket = context.CreateSocket(ZmqSocketType.Sub);
        using var message = new ZmqMessage();

        socket.Dispose();
        socket.Dispose();

        var calls = new (string Name, TestDelegate Call)[]
        {
            ("Connect", () => socket.Connect("inproc://x")),
            ("Unbind", () => socket.Unbind("inproc://x")),
            ("Disconnect", () => socket.Disconnect("inproc://x")),
            ("TrySend", () => socket.TrySend("x"u8)),
            ("Receive(buffer)", () => socket.Receive(new byte[1])),
            ("TryReceive(message)", () => socket.TryReceive(message)),
            ("TryReceive(timeout)", () => socket.TryReceive(message, TimeSpan.FromSeconds(1))),
            ("ReceiveMultipart", () => socket.ReceiveMultipart()),
            ("Poll", () => socket.Poll(ZmqPollEvents.In, TimeSpan.Zero)),
            ("Subscribe", () => socket.Subscribe("")),
            ("Events", () => _ = socket.Events),
            ("FileDescriptor", () => _ = socket.FileDescriptor),
            ("ReceiveTimeout", () => socket.ReceiveTimeout = TimeSpan.Zero),
            ("GetOption", () => socket.GetOption(16)),
            ("Monitor", () => new ZmqMonitor(socket)),
        };
        foreach (var (name, call) in calls)
        {
            Assert.That(call, Throws.TypeOf<ObjectDisposedException>(), name);
        }

        Assert.That(socket.IsDisposed, Is.True);
    }

    [Test]
    public void Dispose_FromAnotherThreadDuringAReceive_ClosesWhenTheReceiveReturns()
    {
        using var context = new ZmqContext();
        var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://dispose-during-receive");
        pull.ReceiveTimeout = Wait;
        var receiver = Task.Run(pull.ReceiveString);
        Assert.That(SpinWait.SpinUntil(() => pull.IsBusy, Wait), Is.True, "the receiver is inside Receive");

        pull.Dispose(); // the blocked call keeps the native socket open until it returns

        Assert.That(pull.IsDisposed, Is.True);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect("inproc://dispose-during-receive");
        push.Send("still delivered");
        Assert.That(receiver.Wait(Wait), Is.True);
        Assert.That(receiver.Result, Is.EqualTo("still delivered"));
        Assert.That(() => pull.ReceiveString(), Throws.TypeOf<ObjectDisposedException>());
        // Closed now: the name can be bound again by another socket.
        using var again = context.CreateSocket(ZmqSocketType.Pull);
        Assert.That(ProcessResources.WaitUntil(() => TryBind(again, "inproc://dispose-during-receive"), Wait), Is.True);
    }

    [Test]
    public void Finalize_SocketNeverDisposed_IsClosedAndItsPortCanBeBoundAgain()
    {
        using var context = new ZmqContext();
        string endpoint = AbandonBoundSocket(context);

        var finalizers = Task.Run(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        });

        Assert.That(finalizers.Wait(Wait), Is.True, "the finalizer thread is not blocked");
        using var again = context.CreateSocket(ZmqSocketType.Pull);
        // zmq_close hands the socket to the reaper thread, which closes the listener shortly after.
        Assert.That(ProcessResources.WaitUntil(() => TryBind(again, endpoint), Wait), Is.True, $"{endpoint} is free again");
    }

    [Test]
    [Platform(Include = "Linux", Reason = "counts descriptors in /proc/self/fd and reads /proc/self/status")]
    public void CreateAndDispose_TenThousandSockets_LeaksNoDescriptorsOrMemory()
    {
        const int count = 10_000;
        using var context = new ZmqContext();
        using var anchor = context.CreateSocket(ZmqSocketType.Dealer); // the context's threads run from here on
        ProcessResources.CollectEverything();
        int fdsBefore = ProcessResources.OpenFileDescriptors();
        CreateAndDispose(context, count / 5); // warm up: JIT, heap arenas
        Assert.That(ProcessResources.WaitUntil(() => ProcessResources.OpenFileDescriptors() <= fdsBefore + 4, Wait), Is.True, "after the warm-up");
        ProcessResources.CollectEverything();
        long memoryBefore = ProcessResources.ResidentAnonymousBytes();

        CreateAndDispose(context, count);

        // The reaper thread closes the sockets' mailboxes shortly after zmq_close returns.
        bool settled = ProcessResources.WaitUntil(() => ProcessResources.OpenFileDescriptors() <= fdsBefore + 4, Wait);
        ProcessResources.CollectEverything();
        int fdsAfter = ProcessResources.OpenFileDescriptors();
        long memoryAfter = ProcessResources.ResidentAnonymousBytes();
        TestContext.Out.WriteLine($"descriptors {fdsBefore} -> {fdsAfter}, anonymous memory {memoryBefore / 1024} KiB -> {memoryAfter / 1024} KiB");
        // Each open socket holds a descriptor (its mailbox's eventfd): a leak shows by the thousand.
        Assert.That(settled, Is.True, $"descriptors {fdsBefore} -> {fdsAfter}");
        // An open libzmq socket costs about 3 KiB of native memory, so 10,000 leaked ones would
        // take about 30 MiB; runtime noise stays well under this bound.
        Assert.That(memoryAfter - memoryBefore, Is.LessThan(12L * 1024 * 1024));
    }

    private static void CreateAndDispose(ZmqContext context, int count)
    {
        for (int i = 0; i < count; i++)
        {
            using var socket = context.CreateSocket(ZmqSocketType.Dealer);
        }
    }

    private static bool TryBind(ZmqSocket socket, string endpoint)
    {
        try
        {
            socket.Bind(endpoint);
            return true;
        }
        catch (ZmqException e) when (e.Error == ZmqErrorCode.EADDRINUSE)
        {
            return false;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string AbandonBoundSocket(ZmqContext context)
    {
        var socket = context.CreateSocket(ZmqSocketType.Pull);
        socket.Bind("tcp://127.0.0.1:*");
        return socket.LastEndpoint;
    }
}
