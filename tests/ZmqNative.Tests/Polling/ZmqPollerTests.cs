using System.Net;
using System.Net.Sockets;

namespace ZmqNative.Tests.Polling;

/// <summary>
/// ZmqPoller on both backends: libzmq's draft poller (zmq_poller_*) and zmq_poll.
/// </summary>
[TestFixture(true)]
[TestFixture(false)]
[CancelAfter(30_000)]
public class ZmqPollerTests : PollerBackendFixture
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    public ZmqPollerTests(bool draft)
        : base(draft)
    {
    }

    [Test]
    public void Backend_AsChosen_IsUsed()
    {
        using var poller = NewPoller();

        Assert.That(poller.Backend, Is.EqualTo(Draft ? ZmqPollerBackend.DraftPoller : ZmqPollerBackend.Poll));
    }

    [Test]
    public void Wait_MessageOnOneOfSeveralSockets_ReportsOnlyThatSocket()
    {
        var (pulls, pushes) = PushPullPairs(3);
        using var poller = NewPoller();
        foreach (var pull in pulls)
        {
            poller.Add(pull, ZmqPollEvents.In);
        }

        pushes[1].Send("ping");
        int ready = poller.Wait(Wait);

        Assert.That(ready, Is.EqualTo(1));
        Assert.That(poller.IsReady(pulls[1], ZmqPollEvents.In), Is.True);
        Assert.That(poller.ReadyEvents(pulls[0]), Is.EqualTo(ZmqPollEvents.None));
        Assert.That(poller.ReadyEvents(pulls[2]), Is.EqualTo(ZmqPollEvents.None));
        Assert.That(poller.Ready.Length, Is.EqualTo(1));
        Assert.That(poller.Ready[0].Socket, Is.SameAs(pulls[1]));
        Assert.That(poller.Ready[0].Events, Is.EqualTo(ZmqPollEvents.In));
        Assert.That(poller.Ready[0].FileDescriptor, Is.EqualTo((nint)(-1)));
    }

    [Test]
    public void Wait_MessagesOnTwoSockets_ReportsBoth()
    {
        var (pulls, pushes) = PushPullPairs(3);
        using var poller = NewPoller();
        foreach (var pull in pulls)
        {
            poller.Add(pull, ZmqPollEvents.In);
        }

        pushes[0].Send("a");
        pushes[2].Send("c");
        // Both messages are in flight on inproc pipes; wait until the poller has seen both.
        WaitUntil(poller, () => poller.IsReady(pulls[0]) && poller.IsReady(pulls[2]));

        Assert.That(poller.Ready.Length, Is.EqualTo(2));
        Assert.That(poller.IsReady(pulls[1]), Is.False);
    }

    [Test]
    public void Wait_ConnectedSenders_ReportOut()
    {
        var (pulls, pushes) = PushPullPairs(2);
        using var poller = NewPoller();
        poller.Add(pushes[0], ZmqPollEvents.Out);
        poller.Add(pushes[1], ZmqPollEvents.In | ZmqPollEvents.Out);
        poller.Add(pulls[0], ZmqPollEvents.In);

        WaitUntil(poller, () => poller.IsReady(pushes[0], ZmqPollEvents.Out) && poller.IsReady(pushes[1], ZmqPollEvents.Out));

        Assert.That(poller.ReadyEvents(pushes[1]), Is.EqualTo(ZmqPollEvents.Out), "a PUSH never has input");
        Assert.That(poller.IsReady(pulls[0]), Is.False);
    }

    [Test]
    public void Wait_NothingReady_ReturnsZeroWhenTimeoutPasses()
    {
        var (pulls, _) = PushPullPairs(2);
        using var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);
        poller.Add(pulls[1], ZmqPollEvents.In);

        int ready = poller.Wait(Short);

        Assert.That(ready, Is.EqualTo(0));
        Assert.That(poller.Ready.Length, Is.EqualTo(0));
        Assert.That(poller.ReadyEvents(pulls[0]), Is.EqualTo(ZmqPollEvents.None));
    }

    [Test]
    public void Wait_ResultsOfEarlierWait_AreNotReportedAgain()
    {
        var (pulls, pushes) = PushPullPairs(1);
        using var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);
        pushes[0].Send("x");
        Assert.That(poller.Wait(Wait), Is.EqualTo(1));
        Assert.That(pulls[0].TryReceiveString(Wait, out _), Is.True);

        int ready = poller.Wait(TimeSpan.Zero);

        Assert.That(ready, Is.EqualTo(0));
        Assert.That(poller.IsReady(pulls[0]), Is.False);
    }

    [Test]
    public void Wait_RawDescriptorBecomesReadable_ReportsIt()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var accepted = listener.Accept();
        var (pulls, _) = PushPullPairs(1);
        using var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);
        poller.Add(accepted.Handle, ZmqPollEvents.In);
        Assert.That(poller.Wait(TimeSpan.Zero), Is.EqualTo(0), "nothing was sent yet");

        client.Send("hello"u8);
        int ready = poller.Wait(Wait);

        Assert.That(ready, Is.EqualTo(1));
        Assert.That(poller.IsReady(accepted.Handle, ZmqPollEvents.In), Is.True);
        Assert.That(poller.Ready[0].Socket, Is.Null);
        Assert.That(poller.Ready[0].FileDescriptor, Is.EqualTo(accepted.Handle));
        Assert.That(poller.IsReady(pulls[0]), Is.False);
    }

    [Test]
    public void Remove_RawDescriptor_NoLongerReported()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var accepted = listener.Accept();
        using var poller = NewPoller();
        poller.Add(accepted.Handle, ZmqPollEvents.In);
        client.Send("hello"u8);
        Assert.That(poller.Wait(Wait), Is.EqualTo(1));

        poller.Remove(accepted.Handle);

        Assert.That(poller.Contains(accepted.Handle), Is.False);
        Assert.That(poller.Count, Is.EqualTo(0));
        Assert.That(poller.Wait(TimeSpan.Zero), Is.EqualTo(0));
    }

    [Test]
    public void Remove_OneOfThree_OthersStillReported()
    {
        var (pulls, pushes) = PushPullPairs(3);
        using var poller = NewPoller();
        foreach (var pull in pulls)
        {
            poller.Add(pull, ZmqPollEvents.In);
        }

        poller.Remove(pulls[0]); // moves the last registration into its place
        pushes[0].Send("to the removed one");
        pushes[2].Send("to the last one");
        WaitUntil(poller, () => poller.IsReady(pulls[2]));

        Assert.That(poller.Count, Is.EqualTo(2));
        Assert.That(poller.Contains(pulls[0]), Is.False);
        Assert.That(poller.IsReady(pulls[0]), Is.False);
        Assert.That(poller.Ready.ToArray().Select(r => r.Socket), Is.EquivalentTo(new[] { pulls[2] }));
    }

    [Test]
    public void Remove_ThenAddAgain_Works()
    {
        var (pulls, pushes) = PushPullPairs(1);
        using var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);
        poller.Remove(pulls[0]);

        poller.Add(pulls[0], ZmqPollEvents.In);
        pushes[0].Send("x");

        Assert.That(poller.Wait(Wait), Is.EqualTo(1));
        Assert.That(poller.IsReady(pulls[0]), Is.True);
    }

    [Test]
    public void Add_SameSocketTwice_ThrowsArgumentException()
    {
        var (pulls, _) = PushPullPairs(1);
        using var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);

        Assert.Throws<ArgumentException>(() => poller.Add(pulls[0], ZmqPollEvents.Out));
        Assert.That(poller.Count, Is.EqualTo(1));
    }

    [Test]
    public void Remove_NotRegistered_ThrowsArgumentException()
    {
        var (pulls, _) = PushPullPairs(1);
        using var poller = NewPoller();

        Assert.Throws<ArgumentException>(() => poller.Remove(pulls[0]));
        Assert.Throws<ArgumentException>(() => poller.Remove((nint)12345));
    }

    [Test]
    public void Modify_ToNoneAndBack_ParksAndRestoresTheSocket()
    {
        var (pulls, pushes) = PushPullPairs(1);
        using var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);
        pushes[0].Send("x");
        Assert.That(poller.Wait(Wait), Is.EqualTo(1));

        poller.Modify(pulls[0], ZmqPollEvents.None);
        int parked = poller.Wait(TimeSpan.Zero);
        poller.Modify(pulls[0], ZmqPollEvents.In);
        int restored = poller.Wait(TimeSpan.Zero);

        Assert.That(parked, Is.EqualTo(0));
        Assert.That(restored, Is.EqualTo(1));
    }

    [Test]
    public void Dispose_Twice_IsHarmless()
    {
        var (pulls, _) = PushPullPairs(1);
        var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);

        poller.Dispose();
        poller.Dispose();

        Assert.Throws<ObjectDisposedException>(() => poller.Wait(TimeSpan.Zero));
    }

    [Test]
    public void Dispose_RegisteredSocketDisposedEarlier_ClosesIt()
    {
        var (pulls, _) = PushPullPairs(1);
        var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);
        pulls[0].Dispose();
        Assert.That(pulls[0].IsDisposed, Is.True);
        Assert.That(pulls[0].Handle.IsClosed, Is.False, "the registration keeps the native socket open");

        poller.Dispose();

        Assert.That(pulls[0].Handle.IsClosed, Is.True);
    }

    [Test]
    public void Wait_RegisteredSocketWasDisposed_ThrowsObjectDisposedUntilRemoved()
    {
        var (pulls, pushes) = PushPullPairs(2);
        using var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);
        poller.Add(pulls[1], ZmqPollEvents.In);

        pulls[0].Dispose();
        var error = Assert.Throws<ObjectDisposedException>(() => poller.Wait(TimeSpan.Zero))!;
        Assert.That(error.Message, Does.Contain("Remove"));
        poller.Remove(pulls[0]);
        pushes[1].Send("x");

        Assert.That(pulls[0].Handle.IsClosed, Is.True, "removing the registration closed the socket");
        Assert.That(poller.Wait(Wait), Is.EqualTo(1));
        Assert.That(poller.IsReady(pulls[1]), Is.True);
    }

    [Test]
    public void Add_DisposedSocket_ThrowsObjectDisposed()
    {
        var (pulls, _) = PushPullPairs(1);
        using var poller = NewPoller();
        pulls[0].Dispose();

        Assert.Throws<ObjectDisposedException>(() => poller.Add(pulls[0], ZmqPollEvents.In));
    }

    [Test]
    public void Wait_ContextShutDown_ThrowsContextTerminated()
    {
        var (pulls, _) = PushPullPairs(1);
        using var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);

        Context.Shutdown();

        Assert.Throws<ContextTerminatedException>(() => poller.Wait(Wait));
    }

    [Test]
    public void Wait_ContextShutDownDuringInfiniteWait_EndsWithContextTerminated()
    {
        var (pulls, _) = PushPullPairs(1);
        using var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);
        var waiting = Task.Run(() => poller.Wait(Timeout.InfiniteTimeSpan));
        // Shutdown ends a wait that has begun, and makes one that begins later fail at once.
        Context.Shutdown();

        var error = Assert.Throws<AggregateException>(() => waiting.Wait(Wait))!;
        Assert.That(error.InnerException, Is.TypeOf<ContextTerminatedException>());
    }

    [Test]
    public void Wait_InfiniteOnEmptyPoller_ThrowsInvalidOperation()
    {
        using var poller = NewPoller();

        Assert.Throws<InvalidOperationException>(() => poller.Wait(Timeout.InfiniteTimeSpan));
        Assert.That(poller.Wait(TimeSpan.FromMilliseconds(1)), Is.EqualTo(0));
    }

    [Test]
    public void Wait_RegisteredSocketUsedByAnotherThread_ThatUseThrows()
    {
        var (pulls, pushes) = PushPullPairs(1);
        using var poller = NewPoller();
        poller.Add(pulls[0], ZmqPollEvents.In);
        var waiting = Task.Run(() => poller.Wait(Timeout.InfiniteTimeSpan));

        // Until the wait has begun the receive just finds nothing; once it has, the socket is busy.
        // If both start at the same instant the wait is the one that throws: start it again.
        InvalidOperationException? busy = null;
        var deadline = DateTime.UtcNow + Wait;
        var buffer = new byte[16];
        while (busy is null && DateTime.UtcNow < deadline)
        {
            try
            {
                pulls[0].TryReceive(buffer, out _);
                if (waiting.IsFaulted && waiting.Exception!.InnerException is InvalidOperationException)
                {
                    waiting = Task.Run(() => poller.Wait(Timeout.InfiniteTimeSpan));
                }

                Thread.Yield();
            }
            catch (InvalidOperationException error)
            {
                busy = error;
            }
        }

        pushes[0].Send("wake up");
        Assert.That(waiting.Wait(Wait), Is.True);
        Assert.That(busy, Is.Not.Null);
        Assert.That(busy!.Message, Does.Contain("one thread at a time"));
        Assert.That(waiting.Result, Is.EqualTo(1));
    }

    [Test]
    public void Wait_SteadyState_AllocatesNothing()
    {
        var (pulls, pushes) = PushPullPairs(3);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1); // a listening socket with no pending connection: never ready
        using var poller = NewPoller();
        foreach (var pull in pulls)
        {
            poller.Add(pull, ZmqPollEvents.In);
        }

        poller.Add(listener.Handle, ZmqPollEvents.In);
        pushes[1].Send("stays queued, so the socket stays ready");
        WaitUntil(poller, () => poller.IsReady(pulls[1]));
        long seen = 0;
        for (int i = 0; i < 1_000; i++)
        {
            seen += Loop(poller, pulls[1]);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            seen += Loop(poller, pulls[1]);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.EqualTo(0));
        Assert.That(seen, Is.EqualTo(11_000 * 3));

        static int Loop(ZmqPoller poller, ZmqSocket ready)
        {
            int n = poller.Wait(TimeSpan.Zero);
            foreach (var result in poller.Ready)
            {
                n += result.Events == ZmqPollEvents.In ? 1 : 0;
            }

            return n + (poller.IsReady(ready) ? 1 : 0);
        }
    }


    /// <summary>Waits on the poller until <paramref name="condition"/> holds after a wait, at most <see cref="Wait"/> in all.</summary>
    private static void WaitUntil(ZmqPoller poller, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            poller.Wait(TimeSpan.FromMilliseconds(100));
            if (condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("the poller never reported what the test waited for");
            }
        }
    }

    private (ZmqSocket[] Pulls, ZmqSocket[] Pushes) PushPullPairs(int count)
    {
        var pulls = new ZmqSocket[count];
        var pushes = new ZmqSocket[count];
        for (int i = 0; i < count; i++)
        {
            string endpoint = "inproc://poller-" + Guid.NewGuid().ToString("N");
            pulls[i] = Context.CreateSocket(ZmqSocketType.Pull);
            pulls[i].Bind(endpoint);
            pushes[i] = Context.CreateSocket(ZmqSocketType.Push);
            pushes[i].Connect(endpoint);
        }

        return (pulls, pushes);
    }
}
