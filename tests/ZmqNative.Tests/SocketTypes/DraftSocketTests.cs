using System.Text;
using static ZmqNative.Tests.SocketTypes.PatternTesting;

namespace ZmqNative.Tests.SocketTypes;

/// <summary>
/// The draft socket types (libzmq's test_client_server and test_radio_dish): SERVER addresses
/// CLIENTs by the routing id on each message; RADIO sends to groups that DISH sockets join.
/// Skipped when the loaded libzmq has no draft API.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class DraftSocketTests
{
    [SetUp]
    public void RequireDraftApi() =>
        Assume.That(Zmq.Has("draft"), Is.True, "the loaded libzmq was built without the draft API");

    // zmq_socket(3), ZMQ_SERVER: each received message carries the routing id of its CLIENT;
    // setting it on a reply sends the reply to that CLIENT.
    [Test]
    public void Send_ServerReplyWithReceivedRoutingId_ReachesThatClient([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var server = context.CreateSocket(ZmqSocketType.Server);
        string endpoint = BindAny(server, transport);
        using var first = context.CreateSocket(ZmqSocketType.Client);
        first.Connect(endpoint);
        using var second = context.CreateSocket(ZmqSocketType.Client);
        second.Connect(endpoint);
        Assert.That(first.TrySend("one"u8, Wait), Is.True);
        Assert.That(second.TrySend("two"u8, Wait), Is.True);

        var routingIds = new Dictionary<string, uint>();
        using var message = new ZmqMessage();
        for (int i = 0; i < 2; i++)
        {
            Assert.That(server.TryReceive(message, Wait), Is.True);
            Assert.That(message.RoutingId, Is.Not.Zero, "a SERVER message names its CLIENT");
            routingIds[message.ToString()] = message.RoutingId;
        }

        Assert.That(routingIds.Keys, Is.EquivalentTo(new[] { "one", "two" }));
        Assert.That(routingIds["one"], Is.Not.EqualTo(routingIds["two"]));
        foreach (var (text, routingId) in routingIds)
        {
            using var reply = new ZmqMessage("re: " + text);
            reply.RoutingId = routingId;
            Assert.That(server.TrySend(reply, Wait), Is.True);
        }

        Assert.That(ReceiveString(first), Is.EqualTo("re: one"));
        Assert.That(ReceiveString(second), Is.EqualTo("re: two"));
    }

    // zmq_socket(3): CLIENT, SERVER, RADIO, DISH, SCATTER, GATHER, PEER and CHANNEL are thread-safe,
    // so the one-thread-at-a-time check must not refuse overlapping calls on them.
    [Test]
    public void Send_ClientFromFourThreadsAtOnce_EveryMessageArrives()
    {
        const int Threads = 4, Each = 500;
        using var context = NewContext();
        using var server = context.CreateSocket(ZmqSocketType.Server);
        server.Bind("inproc://thread-safe-client");
        using var client = context.CreateSocket(ZmqSocketType.Client);
        client.Connect("inproc://thread-safe-client");
        Assert.That(client.IsThreadSafe, Is.True);
        Assert.That(context.CreateSocket(ZmqSocketType.Dealer).IsThreadSafe, Is.False);

        using var start = new Barrier(Threads);
        var senders = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < Each; i++)
            {
                client.Send(Encoding.ASCII.GetBytes($"{t}:{i}"));
                _ = client.SendHighWatermark; // an option read overlapping the other threads' sends
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        var seen = new HashSet<string>();
        using var message = new ZmqMessage();
        while (seen.Count < Threads * Each && server.TryReceive(message, Wait))
        {
            Assert.That(seen.Add(message.ToString()), Is.True, "received twice: " + message);
        }

        Assert.That(Task.WaitAll(senders, Wait), Is.True);
        Assert.That(seen, Has.Count.EqualTo(Threads * Each));
    }

    [Test]
    public void Dispose_ThreadSafeSocketWhileTwoThreadsReceive_ClosesWhenTheLastLeaves()
    {
        using var context = NewContext();
        using var server = context.CreateSocket(ZmqSocketType.Server);
        server.Bind("inproc://thread-safe-dispose");
        var client = context.CreateSocket(ZmqSocketType.Client);
        client.Connect("inproc://thread-safe-dispose");
        client.ReceiveTimeout = Wait;
        client.Send("hello"u8);
        using var hello = new ZmqMessage();
        Assert.That(server.TryReceive(hello, Wait), Is.True);
        uint clientId = hello.RoutingId;

        var receivers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(client.ReceiveString, TaskCreationOptions.LongRunning)).ToArray();
        Assert.That(SpinWait.SpinUntil(() => client.BusyCount == 2, Wait), Is.True, "both threads are inside Receive");

        client.Dispose();
        Assert.That(client.IsDisposed, Is.True);
        Assert.That(client.Handle.IsClosed, Is.False, "two calls are still inside");
        Assert.That(() => client.Send("late"u8), Throws.TypeOf<ObjectDisposedException>());

        foreach (string text in new[] { "first", "second" })
        {
            using var reply = new ZmqMessage(text);
            reply.RoutingId = clientId;
            Assert.That(server.TrySend(reply, Wait), Is.True);
        }

        Assert.That(Task.WaitAll(receivers, Wait), Is.True);
        Assert.That(receivers.Select(r => r.Result), Is.EquivalentTo(new[] { "first", "second" }));
        Assert.That(client.Handle.IsClosed, Is.True, "the last call out closed it");
    }

    [Test]
    public void Send_ServerToUnknownRoutingId_ThrowsEHOSTUNREACH()
    {
        using var context = NewContext();
        using var server = context.CreateSocket(ZmqSocketType.Server);
        BindAny(server, "inproc");
        using var message = new ZmqMessage("lost");
        message.RoutingId = 12345;

        var error = Assert.Throws<ZmqException>(() => server.TrySend(message))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EHOSTUNREACH));
    }

    // zmq_socket(3): the thread-safe draft sockets carry single-frame messages only.
    [Test]
    public void Send_ClientWithMore_ThrowsEINVAL()
    {
        using var context = NewContext();
        using var client = context.CreateSocket(ZmqSocketType.Client);

        var error = Assert.Throws<ZmqException>(() => client.TrySend("part"u8, more: true))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EINVAL));
    }

    [Test]
    public void RoutingId_SetToZero_ThrowsZmqException()
    {
        using var message = new ZmqMessage();

        Assert.That(() => message.RoutingId = 0, Throws.TypeOf<ZmqException>().With.Message.Contains("zmq_msg_set_routing_id"));
    }

    // zmq_socket(3), ZMQ_RADIO/ZMQ_DISH: a DISH receives the RADIO's messages for the groups it
    // joined, each with its group; leaving stops them. Joins travel to the RADIO asynchronously:
    // the RADIO repeats a probe until the DISH gets it, and the RADIO's messages arrive in
    // order, so a filtered-out message sent before an end marker would have arrived before it.
    [Test]
    public void Receive_DishJoinedGroups_GetsOnlyThoseGroupsUntilItLeaves([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var radio = context.CreateSocket(ZmqSocketType.Radio);
        string endpoint = BindAny(radio, transport);
        using var dish = context.CreateSocket(ZmqSocketType.Dish);
        dish.Join("Movies");
        dish.Join("TV");
        dish.Connect(endpoint);
        AwaitGroup(radio, dish, "TV");

        Publish(radio, "Radio", "not joined");
        Publish(radio, "Movies", "Godfather");
        Publish(radio, "TV", "Friends");
        Assert.That(ReceiveUntil(dish, "TV", "Friends"), Is.EqualTo(new[] { ("Movies", "Godfather"), ("TV", "Friends") }));

        dish.Leave("TV");
        dish.Join("probe"); // travels after the leave: when it works, so does the leave
        AwaitGroup(radio, dish, "probe");
        Publish(radio, "TV", "Friends again");
        Publish(radio, "Movies", "Godfather II");
        Assert.That(ReceiveUntil(dish, "Movies", "Godfather II"), Is.EqualTo(new[] { ("Movies", "Godfather II") }));
    }

    // test_radio_dish: joining twice, leaving a group not joined, and a group longer than
    // ZMQ_GROUP_MAX_LENGTH (255) are EINVAL.
    [Test]
    public void JoinAndLeave_Misused_ThrowEINVAL()
    {
        using var context = NewContext();
        using var dish = context.CreateSocket(ZmqSocketType.Dish);
        dish.Join("Movies");

        var twice = Assert.Throws<ZmqException>(() => dish.Join("Movies"))!;
        var notJoined = Assert.Throws<ZmqException>(() => dish.Leave("TV"))!;
        var tooLong = Assert.Throws<ZmqException>(() => dish.Join(new string('g', 256)))!;

        Assert.That(new[] { twice.Error, notJoined.Error, tooLong.Error }, Is.All.EqualTo(ZmqErrorCode.EINVAL));
        Assert.That(twice.Message, Does.Contain("zmq_join(Movies)"));
        Assert.That(notJoined.Message, Does.Contain("zmq_leave(TV)"));
        dish.Join(new string('g', 255)); // the longest allowed
        dish.Leave("Movies");
    }

    [Test]
    public void Join_OnASocketThatIsNotDish_ThrowsENOTSUP()
    {
        using var context = NewContext();
        using var sub = context.CreateSocket(ZmqSocketType.Sub);

        var error = Assert.Throws<ZmqException>(() => sub.Join("Movies"))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.ENOTSUP));
        Assert.That(() => sub.Join(null!), Throws.ArgumentNullException);
        Assert.That(() => sub.Join("a\0b"), Throws.ArgumentException);
    }

    [Test]
    public void Group_OnAMessage_RoundTripsAndRejectsOverlongNames()
    {
        using var message = new ZmqMessage("x");

        message.Group = "Movies";

        Assert.That(message.Group, Is.EqualTo("Movies"));
        Assert.That(() => message.Group = new string('g', 256), Throws.ArgumentException.With.Message.Contains("256"),
            "libzmq would cut it to 255 bytes without a word");
        Assert.That(() => message.Group = "a\0b", Throws.ArgumentException);
        Assert.That(message.Group, Is.EqualTo("Movies"), "unchanged by the refused names");
        message.Group = new string('é', 127); // 254 bytes of UTF-8
        Assert.That(message.Group, Is.EqualTo(new string('é', 127)));
    }

    private static void Publish(ZmqSocket radio, string group, string body)
    {
        using var message = new ZmqMessage(body) { Group = group };
        Assert.That(radio.TrySend(message, Wait), Is.True);
    }

    private static void AwaitGroup(ZmqSocket radio, ZmqSocket dish, string group)
    {
        using var message = new ZmqMessage();
        ProbeUntilReceived(
            () => Publish(radio, group, "probe"),
            () => dish.TryReceive(message, ProbeWait) && message.Group == group && message.ToString() == "probe",
            $"join of '{group}'");
    }

    /// <summary>Receives (group, body) pairs up to and including the given one, leaving out probes.</summary>
    private static List<(string?, string)> ReceiveUntil(ZmqSocket dish, string group, string body)
    {
        var got = new List<(string?, string)>();
        using var message = new ZmqMessage();
        while (true)
        {
            Assert.That(dish.TryReceive(message, Wait), Is.True, $"waiting for {group}/{body}");
            var item = (message.Group, message.ToString());
            if (item.Item2 != "probe")
            {
                got.Add(item);
            }

            if (item == (group, body))
            {
                return got;
            }
        }
    }
}
