using static ZmqNative.Tests.SocketTypes.PatternTesting;

namespace ZmqNative.Tests.SocketTypes;

/// <summary>
/// PUSH and PULL as RFC 30 (PIPELINE) specifies them, the behaviour libzmq's test_spec_pushpull
/// and test_inproc_connect check.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class PushPullTests
{
    private const int Services = 5;

    // RFC 30: PUSH "SHALL route outgoing messages to connected peers using a round-robin strategy".
    // The PUSH connects, so each pipe exists, in connect order, when zmq_connect returns.
    [Test]
    public void Send_PushConnectedToSeveralPulls_RoundRobins([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        var pulls = new List<ZmqSocket>();
        for (int i = 0; i < Services; i++)
        {
            var pull = context.CreateSocket(ZmqSocketType.Pull);
            pulls.Add(pull);
            push.Connect(BindAny(pull, transport));
        }

        for (int i = 0; i < Services; i++)
        {
            SendStrings(push, $"ABC {i}");
        }

        for (int i = 0; i < Services; i++)
        {
            SendStrings(push, $"DEF {i}");
        }

        for (int i = 0; i < Services; i++)
        {
            Assert.That(ReceiveString(pulls[i]), Is.EqualTo($"ABC {i}"), $"PULL {i}, first lap");
            Assert.That(ReceiveString(pulls[i]), Is.EqualTo($"DEF {i}"), $"PULL {i}, second lap");
        }
    }

    // RFC 30: PULL "SHALL receive incoming messages from its peers using a fair-queuing strategy".
    // Over inproc all senders' pipes, each holding both messages, reach the PULL before its first
    // receive, so fair queuing shows as every sender's first message before any second one.
    [Test]
    public void Receive_PullFromSeveralPushes_FairQueues()
    {
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "inproc");
        for (int i = 0; i < Services; i++)
        {
            var push = context.CreateSocket(ZmqSocketType.Push);
            push.Connect(endpoint);
            SendStrings(push, $"{i}:first");
            SendStrings(push, $"{i}:second");
        }

        var received = Enumerable.Range(0, 2 * Services).Select(_ => ReceiveString(pull)).ToList();

        Assert.That(received.Take(Services), Is.EquivalentTo(Enumerable.Range(0, Services).Select(i => $"{i}:first")));
        Assert.That(received.Skip(Services), Is.EquivalentTo(Enumerable.Range(0, Services).Select(i => $"{i}:second")));
    }

    // Over tcp the order between senders is the network's, but nothing is lost or reordered
    // within one sender.
    [Test]
    public void Receive_PullFromSeveralPushesOverTcp_GetsEverythingInEachSendersOrder()
    {
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "tcp");
        const int PerSender = 20;
        for (int i = 0; i < Services; i++)
        {
            var push = context.CreateSocket(ZmqSocketType.Push);
            push.Connect(endpoint);
            for (int n = 0; n < PerSender; n++)
            {
                SendStrings(push, $"{i}:{n}");
            }
        }

        var next = new int[Services];
        for (int k = 0; k < Services * PerSender; k++)
        {
            var parts = ReceiveString(pull).Split(':');
            int sender = int.Parse(parts[0]);
            Assert.That(int.Parse(parts[1]), Is.EqualTo(next[sender]), $"sender {sender} in order");
            next[sender]++;
        }

        Assert.That(next, Is.All.EqualTo(PerSender));
    }

    // RFC 30: PUSH "SHALL block on sending, or return a suitable error, when it has no available
    // peers": with ZMQ_SNDTIMEO the blocking send gives up with EAGAIN. (TrySend returning false
    // without peers is checked in Sockets/ZmqSocketBasicsTests.)
    [Test]
    public void Send_PushWithNoPeers_FailsWithEAGAINWhenSendTimeoutPasses()
    {
        using var context = NewContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.SendTimeout = TimeSpan.FromMilliseconds(20);

        var error = Assert.Throws<ZmqException>(() => push.Send("x"u8))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EAGAIN));
    }

    // zmq_connect(3)/test_inproc_connect: since libzmq 4.0 an inproc connect may come before the
    // bind; messages sent meanwhile wait in the pipe and are delivered once the bind happens.
    [Test]
    public void Connect_InprocBeforeBind_DeliversWhatWasSentMeanwhile()
    {
        using var context = NewContext();
        string endpoint = InprocEndpoint("late-bind");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint);
        Assert.That(push.TrySend("early 1"u8), Is.True, "queued before any bind");
        Assert.That(push.TrySend("early 2"u8), Is.True);

        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind(endpoint);
        SendStrings(push, "after bind");

        Assert.That(ReceiveString(pull), Is.EqualTo("early 1"));
        Assert.That(ReceiveString(pull), Is.EqualTo("early 2"));
        Assert.That(ReceiveString(pull), Is.EqualTo("after bind"));
    }

    // zmq_socket(3): PULL cannot send, PUSH cannot receive (ENOTSUP).
    [Test]
    public void SendAndReceive_AgainstTheDirection_ThrowENOTSUP()
    {
        using var context = NewContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        using var pull = context.CreateSocket(ZmqSocketType.Pull);

        var receive = Assert.Throws<ZmqException>(() => push.TryReceive(new byte[1], out _))!;
        var send = Assert.Throws<ZmqException>(() => pull.TrySend("x"u8))!;

        Assert.That((receive.Error, send.Error), Is.EqualTo((ZmqErrorCode.ENOTSUP, ZmqErrorCode.ENOTSUP)));
    }
}
