using System.Text;
using static ZmqNative.Tests.SocketTypes.PatternTesting;

namespace ZmqNative.Tests.SocketTypes;

/// <summary>
/// PUB/SUB and XPUB/XSUB as RFC 29 (PUB-SUB) specifies them: prefix filtering, several
/// subscriptions, unsubscribing, XPUB's subscription messages (test_xpub_verbose), XSUB sending
/// subscriptions (test_sub_forward).
/// </summary>
/// <remarks>
/// Subscriptions travel to the publisher asynchronously. Instead of sleeping, each test
/// publishes a probe until the subscriber receives it: subscriptions from one subscriber arrive
/// in order, so once the probe topic (subscribed last) gets through, so do the earlier ones.
/// Messages from one publisher also arrive in order, so a filtered-out message published before
/// an end marker would have arrived before it: receiving up to the marker proves its absence.
/// </remarks>
[TestFixture]
[CancelAfter(30_000)]
public class PubSubTests
{
    [Test]
    public void Receive_SubWithPrefix_GetsOnlyMessagesStartingWithIt([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var pub = context.CreateSocket(ZmqSocketType.Pub);
        string endpoint = BindAny(pub, transport);
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.Subscribe("A");
        sub.Connect(endpoint);
        AwaitSubscription(pub, sub, "A-probe");

        foreach (string topic in new[] { "B no", "AB yes", "a no", "A yes", "", "BA no", "A-end" })
        {
            Assert.That(pub.TrySend(Encoding.UTF8.GetBytes(topic)), Is.True);
        }

        Assert.That(ReceiveUntil(sub, "A-end", skip: "A-probe"), Is.EqualTo(new[] { "AB yes", "A yes", "A-end" }));
    }

    [Test]
    public void Receive_SubWithSeveralSubscriptions_GetsTheUnionOfThem()
    {
        using var context = NewContext();
        using var pub = context.CreateSocket(ZmqSocketType.Pub);
        string endpoint = BindAny(pub, "tcp");
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.Connect(endpoint);
        sub.Subscribe("weather.");
        sub.Subscribe("news.");
        sub.Subscribe("probe");
        AwaitSubscription(pub, sub, "probe");

        foreach (string topic in new[] { "sport.1", "news.1", "weather.1", "newsy", "weather.2", "probe-end" })
        {
            pub.Send(topic);
        }

        Assert.That(ReceiveUntil(sub, "probe-end", skip: "probe"), Is.EqualTo(new[] { "news.1", "weather.1", "weather.2", "probe-end" }));
    }

    [Test]
    public void Receive_SubscribedToEmptyPrefix_GetsEverything()
    {
        using var context = NewContext();
        using var pub = context.CreateSocket(ZmqSocketType.Pub);
        string endpoint = BindAny(pub, "inproc");
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.Connect(endpoint);
        sub.Subscribe(ReadOnlySpan<byte>.Empty);
        AwaitSubscription(pub, sub, "probe");

        pub.Send(new byte[] { 0, 1, 2 });
        pub.Send("");
        pub.Send("end");

        Assert.That(sub.TryReceiveMultipart(Wait, out var first), Is.True);
        while (first!.Count == 1 && Encoding.UTF8.GetString(first[0]) == "probe")
        {
            Assert.That(sub.TryReceiveMultipart(Wait, out first), Is.True);
        }

        Assert.That(first[0], Is.EqualTo(new byte[] { 0, 1, 2 }), "binary messages match the empty prefix too");
        Assert.That(ReceiveString(sub), Is.EqualTo(""));
        Assert.That(ReceiveString(sub), Is.EqualTo("end"));
    }

    [Test]
    public void Unsubscribe_OneOfTwoPrefixes_StopsOnlyThatOne([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var pub = context.CreateSocket(ZmqSocketType.Pub);
        string endpoint = BindAny(pub, transport);
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.Connect(endpoint);
        sub.Subscribe("A");
        sub.Subscribe("B");
        sub.Subscribe("probe1");
        AwaitSubscription(pub, sub, "probe1");

        sub.Unsubscribe("A");
        sub.Subscribe("probe2"); // travels after the unsubscription: when it works, so does that
        AwaitSubscription(pub, sub, "probe2");
        pub.Send("A gone");
        pub.Send("B stays");
        pub.Send("probe2-end");

        Assert.That(ReceiveUntil(sub, "probe2-end", skip: ["probe1", "probe2"]), Is.EqualTo(new[] { "B stays", "probe2-end" }));
    }

    // zmq_setsockopt(3), ZMQ_UNSUBSCRIBE: "If the socket has several instances of the same filter
    // attached the ZMQ_UNSUBSCRIBE option shall remove only one instance".
    [Test]
    public void Unsubscribe_PrefixSubscribedTwice_KeepsTheOtherInstance()
    {
        using var context = NewContext();
        using var pub = context.CreateSocket(ZmqSocketType.Pub);
        string endpoint = BindAny(pub, "inproc");
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.Connect(endpoint);
        sub.Subscribe("A");
        sub.Subscribe("A");
        sub.Unsubscribe("A");
        sub.Subscribe("probe");
        AwaitSubscription(pub, sub, "probe");

        pub.Send("A still");
        pub.Send("probe-end");

        Assert.That(ReceiveUntil(sub, "probe-end", skip: "probe"), Is.EqualTo(new[] { "A still", "probe-end" }));
    }

    // RFC 29: XPUB passes subscriptions up to the application as messages: 0x01 + prefix to
    // subscribe, 0x00 + prefix to unsubscribe.
    [Test]
    public void Receive_XPub_GetsSubscribeAndUnsubscribeMessages([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var xpub = context.CreateSocket(ZmqSocketType.XPub);
        string endpoint = BindAny(xpub, transport);
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.Connect(endpoint);

        sub.Subscribe("topic");
        Assert.That(ReceiveBytes(xpub), Is.EqualTo("\u0001topic"u8.ToArray()));

        // The subscription is in place at the XPUB now: it filters like a PUB.
        xpub.Send("other");
        xpub.Send("topic 1");
        Assert.That(ReceiveString(sub), Is.EqualTo("topic 1"));

        sub.Unsubscribe("topic");
        Assert.That(ReceiveBytes(xpub), Is.EqualTo("\u0000topic"u8.ToArray()));
    }

    // ZMQ_XPUB_VERBOSE (test_xpub_verbose): by default XPUB passes on only the first subscription
    // to a prefix; verbose, it passes on every one.
    [TestCase(false, new[] { "\u0001A", "\u0001B" })]
    [TestCase(true, new[] { "\u0001A", "\u0001A", "\u0001B" })]
    public void Receive_XPubWithTwoSubscribersToOnePrefix_PassesDuplicatesOnlyWhenVerbose(bool verbose, string[] expected)
    {
        using var context = NewContext();
        using var xpub = context.CreateSocket(ZmqSocketType.XPub);
        xpub.XPubVerbose = verbose;
        string endpoint = BindAny(xpub, "inproc");
        using var first = context.CreateSocket(ZmqSocketType.Sub);
        first.Connect(endpoint);
        first.Subscribe("A");
        var seen = new List<string> { Encoding.UTF8.GetString(ReceiveBytes(xpub)) };

        using var second = context.CreateSocket(ZmqSocketType.Sub);
        second.Connect(endpoint);
        second.Subscribe("A"); // a duplicate: passed on only when verbose
        second.Subscribe("B"); // new: always passed on, and after the duplicate when there is one
        string message;
        do
        {
            message = Encoding.UTF8.GetString(ReceiveBytes(xpub));
            seen.Add(message);
        }
        while (message != "\u0001B");

        Assert.That(seen, Is.EqualTo(expected));
    }

    // RFC 29: XSUB sends subscriptions as messages, 0x01 + prefix and 0x00 + prefix, and a PUB
    // filters on them as it does for a SUB's.
    [Test]
    public void Send_XSubSubscriptionMessages_SubscribeAndUnsubscribeAtThePub([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var pub = context.CreateSocket(ZmqSocketType.Pub);
        string endpoint = BindAny(pub, transport);
        using var xsub = context.CreateSocket(ZmqSocketType.XSub);
        xsub.Connect(endpoint);

        xsub.Send("\u0001A"u8);
        xsub.Send("\u0001probe1"u8);
        AwaitSubscription(pub, xsub, "probe1");
        pub.Send("B not");
        pub.Send("A yes");
        pub.Send("probe1-end");
        Assert.That(ReceiveUntil(xsub, "probe1-end", skip: "probe1"), Is.EqualTo(new[] { "A yes", "probe1-end" }));

        xsub.Send("\u0000A"u8);
        xsub.Send("\u0001probe2"u8);
        AwaitSubscription(pub, xsub, "probe2");
        pub.Send("A not any more");
        pub.Send("probe2-end");
        Assert.That(ReceiveUntil(xsub, "probe2-end", skip: ["probe1", "probe2"]), Is.EqualTo(new[] { "probe2-end" }));
    }

    // An XSUB passes what it sends on to an XPUB verbatim (the two halves of a proxy).
    [Test]
    public void Send_XSubToXPub_ArrivesAsTheSameSubscriptionMessage()
    {
        using var context = NewContext();
        using var xpub = context.CreateSocket(ZmqSocketType.XPub);
        string endpoint = BindAny(xpub, "tcp");
        using var xsub = context.CreateSocket(ZmqSocketType.XSub);
        xsub.Connect(endpoint);

        xsub.Send("\u0001news"u8);
        xsub.Send("\u0000news"u8);

        Assert.That(ReceiveBytes(xpub), Is.EqualTo("\u0001news"u8.ToArray()));
        Assert.That(ReceiveBytes(xpub), Is.EqualTo("\u0000news"u8.ToArray()));
    }

    [Test]
    public void Send_OnSub_ThrowsENOTSUP()
    {
        using var context = NewContext();
        using var sub = context.CreateSocket(ZmqSocketType.Sub);

        var error = Assert.Throws<ZmqException>(() => sub.TrySend("x"u8))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.ENOTSUP));
    }

    private static void AwaitSubscription(ZmqSocket pub, ZmqSocket sub, string probe) =>
        ProbeUntilReceived(
            () => pub.Send(probe),
            () => sub.TryReceiveString(ProbeWait, out var got) && got == probe, // late probes of an earlier round are dropped
            $"subscription probe '{probe}'");

    /// <summary>Receives text messages up to and including <paramref name="end"/>, leaving out late probes.</summary>
    private static List<string> ReceiveUntil(ZmqSocket sub, string end, params string[] skip)
    {
        var got = new List<string>();
        string message;
        do
        {
            message = ReceiveString(sub);
            if (!skip.Contains(message))
            {
                got.Add(message);
            }
        }
        while (message != end);

        return got;
    }

    private static byte[] ReceiveBytes(ZmqSocket socket)
    {
        Assert.That(socket.TryReceiveMultipart(Wait, out var frames), Is.True, $"{socket.Type} received nothing within {Wait}");
        Assert.That(frames!, Has.Count.EqualTo(1));
        return frames![0];
    }
}
