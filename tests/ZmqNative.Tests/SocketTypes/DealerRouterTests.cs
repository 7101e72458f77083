using System.Text;
using static ZmqNative.Tests.SocketTypes.PatternTesting;

namespace ZmqNative.Tests.SocketTypes;

/// <summary>
/// DEALER and ROUTER as RFC 28 specifies them, the behaviour libzmq's test_spec_dealer,
/// test_spec_router, test_connect_rid, test_router_mandatory and test_router_mandatory_hwm check.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class DealerRouterTests
{
    private const int Services = 5;

    // RFC 28: DEALER "SHALL route outgoing messages to available peers using a round-robin strategy".
    // The DEALER connects, so its pipes exist in connect order when zmq_connect returns.
    [Test]
    public void Send_DealerConnectedToSeveralReps_RoundRobins([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        var reps = new List<ZmqSocket>();
        for (int i = 0; i < Services; i++)
        {
            var rep = context.CreateSocket(ZmqSocketType.Rep);
            reps.Add(rep);
            dealer.Connect(BindAny(rep, transport));
        }

        for (int i = 0; i < Services; i++)
        {
            SendStrings(dealer, "", $"ABC {i}");
        }

        for (int i = 0; i < Services; i++)
        {
            Assert.That(ReceiveString(reps[i]), Is.EqualTo($"ABC {i}"), $"REP {i} got exactly the {i}th request");
        }
    }

    // RFC 28: DEALER "SHALL receive incoming messages from its peers using a fair-queuing strategy".
    // Over inproc every sender's pipe reaches the receiver in connect order, holding both of its
    // messages before the first receive, so fair queuing shows as one message from each sender
    // before any sender's second. (Over tcp the arrival order is up to the network.)
    [Test]
    public void Receive_DealerFromSeveralDealers_FairQueues()
    {
        using var context = NewContext();
        using var receiver = context.CreateSocket(ZmqSocketType.Dealer);
        string endpoint = BindAny(receiver, "inproc");
        var senders = new List<ZmqSocket>();
        for (int i = 0; i < Services; i++)
        {
            var sender = context.CreateSocket(ZmqSocketType.Dealer);
            senders.Add(sender);
            sender.Connect(endpoint);
            SendStrings(sender, $"{i}:first");
            SendStrings(sender, $"{i}:second");
        }

        var received = Enumerable.Range(0, 2 * Services).Select(_ => ReceiveString(receiver)).ToList();

        Assert.That(received.Take(Services), Is.EquivalentTo(Enumerable.Range(0, Services).Select(i => $"{i}:first")));
        Assert.That(received.Skip(Services), Is.EquivalentTo(Enumerable.Range(0, Services).Select(i => $"{i}:second")));
    }

    // RFC 28: ROUTER fair-queues incoming messages and prefixes each with the routing id of the
    // peer it came from (ZMQ_ROUTING_ID set by the DEALER).
    [Test]
    public void Receive_RouterFromNamedDealers_FairQueuesAndPrefixesTheirRoutingIds()
    {
        using var context = NewContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        string endpoint = BindAny(router, "inproc");
        var names = Enumerable.Range(0, Services).Select(i => ((char)('A' + i)).ToString()).ToList();
        var dealers = new List<ZmqSocket>();
        foreach (string name in names)
        {
            var dealer = context.CreateSocket(ZmqSocketType.Dealer);
            dealers.Add(dealer);
            dealer.RoutingId = Encoding.UTF8.GetBytes(name);
            dealer.Connect(endpoint);
            SendStrings(dealer, "M1");
            SendStrings(dealer, "M2");
        }

        var first = Enumerable.Range(0, Services).Select(_ => ReceiveStrings(router)).ToList();
        var second = Enumerable.Range(0, Services).Select(_ => ReceiveStrings(router)).ToList();

        Assert.That(first.Select(m => m[1]), Is.All.EqualTo("M1"));
        Assert.That(first.Select(m => m[0]), Is.EquivalentTo(names), "one message from each dealer first");
        Assert.That(second.Select(m => m[1]), Is.All.EqualTo("M2"));
        Assert.That(second.Select(m => m[0]), Is.EquivalentTo(names));
    }

    // The routing id is the address: what the ROUTER sends to an id reaches that peer and no other.
    [Test]
    public void Send_RouterToEachRoutingId_ReachesOnlyThatDealer([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.RouterMandatory = true; // an unknown id would throw rather than vanish
        string endpoint = BindAny(router, transport);
        var dealers = new Dictionary<string, ZmqSocket>();
        foreach (string name in new[] { "alpha", "beta", "gamma" })
        {
            var dealer = context.CreateSocket(ZmqSocketType.Dealer);
            dealer.RoutingId = Encoding.UTF8.GetBytes(name);
            dealer.Connect(endpoint);
            dealers[name] = dealer;
            SendStrings(dealer, "hello"); // when the ROUTER has this, it knows the peer
        }

        var known = Enumerable.Range(0, dealers.Count).Select(_ => ReceiveStrings(router)[0]).ToList();
        Assert.That(known, Is.EquivalentTo(dealers.Keys));

        foreach (string name in dealers.Keys)
        {
            SendStrings(router, name, "for " + name);
        }

        foreach (var (name, dealer) in dealers)
        {
            Assert.That(ReceiveStrings(dealer), Is.EqualTo(new[] { "for " + name }));
            Assert.That(dealer.TryReceive(new byte[16], TimeSpan.Zero, out _), Is.False, $"{name} got nothing else");
        }
    }

    // DEALER/ROUTER carry multipart messages whole and in order, both ways.
    [Test]
    public void SendMultipart_BetweenDealerAndRouter_KeepsEveryFrameInOrder([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        string endpoint = BindAny(router, transport);
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        dealer.RoutingId = "D"u8.ToArray();
        dealer.Connect(endpoint);

        SendStrings(dealer, "a", "", "ccc", "dddd");
        Assert.That(ReceiveStrings(router), Is.EqualTo(new[] { "D", "a", "", "ccc", "dddd" }));

        SendStrings(router, "D", "1", "22", "", "4444");
        Assert.That(ReceiveStrings(dealer), Is.EqualTo(new[] { "1", "22", "", "4444" }));
    }

    // ZMQ_CONNECT_ROUTING_ID (test_connect_rid): a ROUTER names the peer of its next connect
    // itself, so it can address that peer at once, before the peer ever speaks.
    [Test]
    public void Send_RouterWithConnectRoutingId_AddressesThePeerBeforeItSpeaks([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var bound = context.CreateSocket(ZmqSocketType.Router);
        bound.RoutingId = "X"u8.ToArray();
        string endpoint = BindAny(bound, transport);
        using var connecting = context.CreateSocket(ZmqSocketType.Router);
        connecting.RoutingId = "Y"u8.ToArray();
        connecting.ConnectRoutingId = "conn1"u8.ToArray();
        connecting.Connect(endpoint);

        SendStrings(connecting, "conn1", "hi");

        Assert.That(ReceiveStrings(bound), Is.EqualTo(new[] { "Y", "hi" }), "the bound side sees the connector's own routing id");
        SendStrings(bound, "Y", "ok");
        Assert.That(ReceiveStrings(connecting), Is.EqualTo(new[] { "conn1", "ok" }), "the connector sees its chosen name for the peer");
    }

    // test_router_mandatory: with ZMQ_ROUTER_MANDATORY a send to a known peer succeeds ...
    [Test]
    public void Send_RouterMandatoryToKnownPeer_Succeeds()
    {
        using var context = NewContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.RouterMandatory = true;
        string endpoint = BindAny(router, "tcp");
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        dealer.RoutingId = "X"u8.ToArray();
        dealer.Connect(endpoint);
        SendStrings(dealer, "Hello");
        Assert.That(ReceiveStrings(router), Is.EqualTo(new[] { "X", "Hello" }));

        router.SendMultipart(["X"u8.ToArray(), "Hello"u8.ToArray()]);

        Assert.That(ReceiveStrings(dealer), Is.EqualTo(new[] { "Hello" }));
    }

    // ... and EHOSTUNREACH is an error, not "would block": Try* throws it rather than returning false.
    [Test]
    public void TrySendMultipart_RouterMandatoryToUnknownPeer_ThrowsEHOSTUNREACH()
    {
        using var context = NewContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.RouterMandatory = true;
        BindAny(router, "inproc");

        var error = Assert.Throws<ZmqException>(() => router.TrySendMultipart(["nobody"u8.ToArray(), "hi"u8.ToArray()]))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EHOSTUNREACH));
    }

    // test_router_mandatory_hwm: a mandatory ROUTER reports a full peer with EAGAIN, which a Try
    // send reports as false, having sent nothing; once the peer reads, sending works again.
    [Test]
    public void TrySendMultipart_RouterMandatoryPeerAtHighWatermark_ReturnsFalseUntilThePeerReads()
    {
        using var context = NewContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.RouterMandatory = true;
        router.SendHighWatermark = 1;
        string endpoint = BindAny(router, "inproc");
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        dealer.ReceiveHighWatermark = 1;
        dealer.RoutingId = "X"u8.ToArray();
        dealer.Connect(endpoint);
        SendStrings(dealer, "Hello");
        Assert.That(ReceiveStrings(router), Is.EqualTo(new[] { "X", "Hello" }));

        int sent = 0;
        while (router.TrySendMultipart(["X"u8.ToArray(), Encoding.UTF8.GetBytes($"m{sent}"), "tail"u8.ToArray()]))
        {
            sent++;
            Assert.That(sent, Is.LessThan(100), "the high-water mark never stopped the ROUTER");
        }

        Assert.That(sent, Is.GreaterThanOrEqualTo(1));
        for (int i = 0; i < sent; i++)
        {
            Assert.That(ReceiveStrings(dealer), Is.EqualTo(new[] { $"m{i}", "tail" }), "whole messages only");
        }

        Assert.That(dealer.TryReceive(new byte[16], TimeSpan.Zero, out _), Is.False, "the refused message left nothing behind");
        Assert.That(router.TrySendMultipart(["X"u8.ToArray(), "after"u8.ToArray()], Wait), Is.True, "room again once the peer read");
        Assert.That(ReceiveStrings(dealer), Is.EqualTo(new[] { "after" }));
    }
}
