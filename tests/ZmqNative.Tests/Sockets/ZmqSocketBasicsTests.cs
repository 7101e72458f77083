namespace ZmqNative.Tests.Sockets;

/// <summary>The first things a user does with a socket: bind, connect, send, receive, and get errors right.</summary>
[TestFixture]
[CancelAfter(30_000)]
public class ZmqSocketBasicsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void SendReceive_ReqRepOverTcp_RoundTrips()
    {
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Rep);
        server.Bind("tcp://127.0.0.1:*");
        using var client = context.CreateSocket(ZmqSocketType.Req);
        client.Connect(server.LastEndpoint);

        client.Send("Hello");
        Assert.That(server.TryReceiveString(Wait, out var request), Is.True);
        server.Send("World");
        Assert.That(client.TryReceiveString(Wait, out var reply), Is.True);

        Assert.That((request, reply), Is.EqualTo(("Hello", "World")));
    }

    [Test]
    public void LastEndpoint_BoundToWildcardPort_NamesTheChosenPort()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);

        socket.Bind("tcp://127.0.0.1:*");

        Assert.That(socket.LastEndpoint, Does.Match(@"^tcp://127\.0\.0\.1:\d+$"));
        Assert.That(socket.LastEndpoint, Does.Not.EndWith(":0"));
    }

    [TestCase("tcp://127.0.0.1", ZmqErrorCode.EINVAL)]
    [TestCase("nonsense", ZmqErrorCode.EINVAL)]
    [TestCase("bogus://127.0.0.1:5555", ZmqErrorCode.EPROTONOSUPPORT)]
    public void Bind_BadEndpoint_ThrowsZmqExceptionNamingIt(string endpoint, ZmqErrorCode expected)
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);

        var error = Assert.Throws<ZmqException>(() => socket.Bind(endpoint))!;

        Assert.That(error.Error, Is.EqualTo(expected));
        Assert.That(error.ErrorName, Is.EqualTo(expected.ToString()));
        Assert.That(error.Message, Does.Contain(endpoint));
        Assert.That(error.Message, Does.Contain("zmq_bind"));
    }

    [Test]
    public void Bind_IpcPathLongerThanSunPath_ThrowsENAMETOOLONG()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "ipc:// paths are AF_UNIX paths");
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = "ipc:///tmp/" + new string('x', 200);

        var error = Assert.Throws<ZmqException>(() => socket.Bind(endpoint))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.ENAMETOOLONG));
    }

    [Test]
    public void Bind_PortInUse_ThrowsEADDRINUSE()
    {
        using var context = new ZmqContext();
        using var first = context.CreateSocket(ZmqSocketType.Pull);
        first.Bind("tcp://127.0.0.1:*");
        using var second = context.CreateSocket(ZmqSocketType.Pull);

        var error = Assert.Throws<ZmqException>(() => second.Bind(first.LastEndpoint))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EADDRINUSE));
    }

    [Test]
    public void Send_ReqTwiceWithoutReply_ThrowsEFSM()
    {
        using var context = new ZmqContext();
        var (_, client) = Pair(context, ZmqSocketType.Rep, ZmqSocketType.Req, "inproc://efsm");
        client.Send("one");

        var error = Assert.Throws<ZmqException>(() => client.Send("two"))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EFSM));
    }

    [Test]
    public void TrySend_PushWithNoPeer_ReturnsFalse()
    {
        using var context = new ZmqContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Bind("inproc://nopeer");

        Assert.That(push.TrySend("x"u8), Is.False);
        Assert.That(push.TrySend("x"u8, TimeSpan.FromMilliseconds(20)), Is.False);
    }

    [Test]
    public void Send_RouterMandatoryToUnknownPeer_ThrowsEHOSTUNREACH()
    {
        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.RouterMandatory = true;
        router.Bind("inproc://mandatory");

        var error = Assert.Throws<ZmqException>(() => router.SendMultipart(["nobody"u8.ToArray(), "hi"u8.ToArray()]))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EHOSTUNREACH));
    }

    // A ROUTER reports POLLOUT when any peer has room, so a timed send to a full peer must wait
    // for that peer (backing off between tries) rather than spin, and succeed once it drains.
    [Test]
    public void TrySendMultipartWithTimeout_RouterMandatoryToAFullPeerWhileAnotherHasRoom_WaitsThenSends()
    {
        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.RouterMandatory = true;
        router.SendHighWatermark = 1;
        router.Bind("inproc://mandatory-full");
        using var full = context.CreateSocket(ZmqSocketType.Dealer);
        full.RoutingId = "full"u8.ToArray();
        full.ReceiveHighWatermark = 1;
        full.Connect("inproc://mandatory-full");
        using var idle = context.CreateSocket(ZmqSocketType.Dealer);
        idle.RoutingId = "idle"u8.ToArray();
        idle.Connect("inproc://mandatory-full");
        byte[][] toFull = ["full"u8.ToArray(), "x"u8.ToArray()];
        int queued = 0;
        while (router.TrySendMultipart(toFull))
        {
            Assert.That(++queued, Is.LessThan(1000), "the full peer's pipe never filled");
        }

        Assert.That(router.Poll(ZmqPollEvents.Out, TimeSpan.Zero), Is.EqualTo(ZmqPollEvents.Out), "the idle peer has room");
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        Assert.That(router.TrySendMultipart(toFull, TimeSpan.FromMilliseconds(500)), Is.False, "the addressed peer stays full");
        TestContext.Out.WriteLine($"process CPU during the 500 ms wait: {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms");

        Assert.That(full.TryReceiveMultipart(Wait, out var drained), Is.True);
        Assert.That(drained![0], Is.EqualTo("x"u8.ToArray()));
        Assert.That(router.TrySendMultipart(toFull, Wait), Is.True, "sent once the peer had room");
    }

    [Test]
    public void Receive_FrameLargerThanBuffer_ReportsFullSizeAndKeepsThePrefix()
    {
        using var context = new ZmqContext();
        var (pull, push) = Pair(context, ZmqSocketType.Pull, ZmqSocketType.Push, "inproc://truncate");
        push.Send("0123456789"u8);

        var buffer = new byte[4];
        Assert.That(pull.TryReceive(buffer, Wait, out int size), Is.True);

        Assert.That(size, Is.EqualTo(10));
        Assert.That(buffer, Is.EqualTo("0123"u8.ToArray()));
    }

    [Test]
    public void Receive_AfterABlockingReceiveWaited_EveryLaterReceiveKindStillGetsEachMessageOnceInOrder()
    {
        // A blocking receive that finds the queue empty makes the next blocking receives skip
        // their first attempt (ReceiveAttempts); non-blocking ones still attempt.
        using var context = new ZmqContext();
        var (pull, push) = Pair(context, ZmqSocketType.Pull, ZmqSocketType.Push, "inproc://after-wait");
        pull.ReceiveTimeout = TimeSpan.FromMilliseconds(20);
        using var message = new ZmqMessage();
        var buffer = new byte[8];
        var got = new List<int>();

        for (int round = 0; round < 3; round++)
        {
            var timedOut = Assert.Throws<ZmqException>(() => pull.Receive(message), "a blocking receive on an empty queue")!;
            Assert.That(timedOut.Error, Is.EqualTo(ZmqErrorCode.EAGAIN));
            Assert.That(pull.TryReceive(buffer, out _), Is.False, "non-blocking on an empty queue");
            for (int i = 0; i <= 40; i++)
            {
                push.Send(BitConverter.GetBytes(round * 100 + i));
            }

            for (int i = 0; i <= 40; i++)
            {
                switch (i % 3)
                {
                    case 0:
                        pull.Receive(message);
                        got.Add(BitConverter.ToInt32(message.Data));
                        break;
                    case 1:
                        Assert.That(pull.Receive(buffer), Is.EqualTo(4));
                        got.Add(BitConverter.ToInt32(buffer));
                        break;
                    default:
                        Assert.That(pull.TryReceive(message), Is.True);
                        got.Add(BitConverter.ToInt32(message.Data));
                        break;
                }
            }

            Assert.That(pull.TryReceive(message), Is.False, "nothing left over");
        }

        var expected = Enumerable.Range(0, 3).SelectMany(r => Enumerable.Range(r * 100, 41)).ToList();
        Assert.That(got, Is.EqualTo(expected));
    }

    [Test]
    public void ReceiveMultipart_ThreeFrames_ArriveInOrderWithMoreFlags()
    {
        using var context = new ZmqContext();
        var (pull, push) = Pair(context, ZmqSocketType.Pull, ZmqSocketType.Push, "inproc://multi");

        push.SendMultipart(["a", "bb", ""]);

        Assert.That(pull.TryReceiveMultipart(Wait, out var frames), Is.True);
        Assert.That(frames!.ConvertAll(f => System.Text.Encoding.UTF8.GetString(f)), Is.EqualTo(new[] { "a", "bb", "" }));
    }

    [Test]
    public void Options_DefaultsAndRoundTrips_AreTyped()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Dealer);

        Assert.That(socket.Linger, Is.EqualTo(TimeSpan.FromSeconds(1)), "ZmqContext.DefaultLinger");
        Assert.That(socket.ReceiveTimeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
        socket.SendHighWatermark = 5;
        socket.ReceiveTimeout = TimeSpan.FromMilliseconds(250);
        socket.RoutingId = "me"u8.ToArray();
        socket.Immediate = true;

        Assert.That(socket.SendHighWatermark, Is.EqualTo(5));
        Assert.That(socket.ReceiveTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That(socket.RoutingId, Is.EqualTo("me"u8.ToArray()));
        Assert.That(socket.Immediate, Is.True);
        Assert.That(socket.Mechanism, Is.EqualTo(ZmqSecurityMechanism.Null));
        Assert.That(socket.GetOption(16), Is.EqualTo((int)ZmqSocketType.Dealer), "ZMQ_TYPE by number");
    }

    [Test]
    public void Options_WrongValues_ThrowNamingTheOption()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Dealer);

        Assert.That(() => socket.SendHighWatermark = -1,
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("ZMQ_SNDHWM"));
        Assert.That(() => socket.CurveServerKey = new byte[31],
            Throws.ArgumentException.With.Message.Contains("ZMQ_CURVE_SERVERKEY").And.Message.Contains("31"));
        Assert.That(() => socket.ReceiveTimeout = TimeSpan.FromMilliseconds(-5),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("ZMQ_RCVTIMEO"));
        var unknown = Assert.Throws<ZmqException>(() => socket.SetOption(9999, 1))!;
        Assert.That(unknown.Error, Is.EqualTo(ZmqErrorCode.EINVAL));
        Assert.That(unknown.Message, Does.Contain("option 9999"));
    }

    [Test]
    public void Dispose_Twice_IsHarmlessAndLaterUseThrowsObjectDisposed()
    {
        using var context = new ZmqContext();
        var socket = context.CreateSocket(ZmqSocketType.Pair);

        socket.Dispose();
        socket.Dispose();

        Assert.That(socket.IsDisposed, Is.True);
        Assert.That(() => socket.Bind("inproc://late"), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => socket.Send("x"), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => socket.Linger, Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void CreateSocket_EveryType_Works()
    {
        using var context = new ZmqContext();
        foreach (var type in Enum.GetValues<ZmqSocketType>())
        {
            using var socket = context.CreateSocket(type);
            Assert.That(socket.GetOption(16), Is.EqualTo((int)type), type.ToString());
        }
    }

    /// <summary>A socket bound to <paramref name="endpoint"/> and one connected to it; disposing the context closes both.</summary>
    private static (ZmqSocket Bound, ZmqSocket Connected) Pair(ZmqContext context, ZmqSocketType bound, ZmqSocketType connected, string endpoint)
    {
        var first = context.CreateSocket(bound);
        first.Bind(endpoint);
        var second = context.CreateSocket(connected);
        second.Connect(endpoint);
        return (first, second);
    }
}
