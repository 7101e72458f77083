using static ZmqNative.Tests.SocketTypes.PatternTesting;

namespace ZmqNative.Tests.SocketTypes;

/// <summary>
/// REQ and REP as RFC 28 (REQ-REP) specifies them, the behaviour libzmq's test_spec_req and
/// test_spec_rep check: round-robin of requests, the envelope, strict alternation.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class ReqRepTests
{
    private const int Services = 5;

    // RFC 28: REQ "SHALL route outgoing messages to connected peers using a round-robin strategy".
    // The REQ connects to the REPs (the reverse of libzmq's test, which binds it and sleeps): a
    // connecting socket gets its pipe to each peer inside zmq_connect, in connect order, so the
    // round-robin is deterministic without waiting for connections to settle.
    [Test]
    public void Send_ReqConnectedToSeveralReps_RoundRobinsRequests([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        var reps = new List<ZmqSocket>();
        using var req = context.CreateSocket(ZmqSocketType.Req);
        for (int i = 0; i < Services; i++)
        {
            var rep = context.CreateSocket(ZmqSocketType.Rep);
            reps.Add(rep);
            req.Connect(BindAny(rep, transport));
        }

        // Twice round, so the second lap shows the order wraps around.
        for (int lap = 0; lap < 2; lap++)
        {
            for (int i = 0; i < Services; i++)
            {
                SendStrings(req, $"request {lap}.{i}");
                Assert.That(ReceiveString(reps[i]), Is.EqualTo($"request {lap}.{i}"), $"REP {i} is next in turn");
                SendStrings(reps[i], $"reply {lap}.{i}");
                Assert.That(ReceiveString(req), Is.EqualTo($"reply {lap}.{i}"));
            }
        }
    }

    // RFC 28: REQ prepends an empty delimiter frame; a ROUTER sees [routing id, "", data...] and
    // the reply it sends back with the same envelope reaches the REQ as the data frames alone.
    [Test]
    public void Send_ReqToRouter_AddsRoutingIdAndEmptyDelimiter([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var req = context.CreateSocket(ZmqSocketType.Req);
        string endpoint = BindAny(req, transport);
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.Connect(endpoint);

        SendStrings(req, "ABC", "DEF");

        Assert.That(router.TryReceiveMultipart(Wait, out var request), Is.True);
        Assert.That(request!, Has.Count.EqualTo(4));
        byte[] peer = request![0];
        Assert.That(peer, Is.Not.Empty, "ROUTER prefixes the peer's routing id");
        Assert.That(request[1], Is.Empty, "the REQ's delimiter");
        Assert.That(request.Skip(2).Select(f => System.Text.Encoding.UTF8.GetString(f)), Is.EqualTo(new[] { "ABC", "DEF" }));

        Assert.That(router.TrySendMultipart([peer, [], "GHI"u8.ToArray()], Wait), Is.True);

        Assert.That(ReceiveStrings(req), Is.EqualTo(new[] { "GHI" }), "the REQ strips the envelope");
    }

    // RFC 28: REQ "SHALL block on sending, or return a suitable error, when it has no connected peers".
    [Test]
    public void Send_ReqWithNoPeers_FailsWithEAGAINWhenSendTimeoutPasses()
    {
        using var context = NewContext();
        using var req = context.CreateSocket(ZmqSocketType.Req);
        req.SendTimeout = TimeSpan.FromMilliseconds(20);

        Assert.That(req.TrySend("x"u8), Is.False);
        var error = Assert.Throws<ZmqException>(() => req.Send("x"u8))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EAGAIN));
    }

    // zmq_socket(3): REQ is send, receive, send, receive...; anything else is EFSM.
    [Test]
    public void Receive_ReqBeforeItSent_ThrowsEFSM()
    {
        using var context = NewContext();
        using var req = context.CreateSocket(ZmqSocketType.Req);

        var error = Assert.Throws<ZmqException>(() => req.TryReceive(new byte[8], out _))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EFSM));
    }

    // zmq_socket(3): REP is receive, send, receive, send...; a send first is EFSM.
    [Test]
    public void Send_RepBeforeItReceived_ThrowsEFSM()
    {
        using var context = NewContext();
        using var rep = context.CreateSocket(ZmqSocketType.Rep);

        var error = Assert.Throws<ZmqException>(() => rep.TrySend("x"u8))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EFSM));
    }

    [Test]
    public void Send_RepTwiceForOneRequest_ThrowsEFSMAndTheFirstReplyStillArrives()
    {
        using var context = NewContext();
        using var rep = context.CreateSocket(ZmqSocketType.Rep);
        string endpoint = BindAny(rep, "inproc");
        using var req = context.CreateSocket(ZmqSocketType.Req);
        req.Connect(endpoint);
        SendStrings(req, "ping");
        Assert.That(ReceiveString(rep), Is.EqualTo("ping"));
        SendStrings(rep, "pong");

        var error = Assert.Throws<ZmqException>(() => rep.TrySend("again"u8))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EFSM));
        Assert.That(ReceiveString(req), Is.EqualTo("pong"));
    }

    // RFC 28: REP "SHALL receive incoming messages from its peers using a fair-queuing strategy"
    // and deliver each reply "back to the originating peer".
    [Test]
    public void Send_RepServingSeveralReqs_ReturnsEachReplyToItsRequester([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var rep = context.CreateSocket(ZmqSocketType.Rep);
        string endpoint = BindAny(rep, transport);
        var reqs = new List<ZmqSocket>();
        for (int i = 0; i < Services; i++)
        {
            var req = context.CreateSocket(ZmqSocketType.Req);
            reqs.Add(req);
            req.Connect(endpoint);
            SendStrings(req, $"from {i}");
        }

        var served = new List<string>();
        for (int i = 0; i < Services; i++)
        {
            string request = ReceiveString(rep);
            served.Add(request);
            SendStrings(rep, "reply to " + request);
        }

        Assert.That(served, Is.EquivalentTo(Enumerable.Range(0, Services).Select(i => $"from {i}")), "every request served once");
        for (int i = 0; i < Services; i++)
        {
            Assert.That(ReceiveString(reqs[i]), Is.EqualTo($"reply to from {i}"), $"REQ {i} gets its own reply");
        }
    }

    // RFC 28: REP removes the envelope up to and including the delimiter, hands the data frames
    // to the application, and puts the same envelope on the reply.
    [TestCase("inproc")]
    [TestCase("tcp")]
    public void Receive_RepFromDealer_StripsAndRestoresTheEnvelope(string transport)
    {
        using var context = NewContext();
        using var rep = context.CreateSocket(ZmqSocketType.Rep);
        string endpoint = BindAny(rep, transport);
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        dealer.Connect(endpoint);

        // Minimal envelope: just the delimiter.
        SendStrings(dealer, "", "A");
        Assert.That(ReceiveStrings(rep), Is.EqualTo(new[] { "A" }));
        SendStrings(rep, "B");
        Assert.That(ReceiveStrings(dealer), Is.EqualTo(new[] { "", "B" }));

        // A longer envelope, as after a chain of ROUTERs.
        SendStrings(dealer, "X", "Y", "", "C", "D");
        Assert.That(ReceiveStrings(rep), Is.EqualTo(new[] { "C", "D" }));
        SendStrings(rep, "E");
        Assert.That(ReceiveStrings(dealer), Is.EqualTo(new[] { "X", "Y", "", "E" }));
    }
}
