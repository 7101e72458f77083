using System.Text;
using static ZmqNative.Tests.SocketTypes.PatternTesting;

namespace ZmqNative.Tests.Messages;

/// <summary>
/// The reusable message: its content (zmq_msg_init(3), zmq_msg_init_size(3)), what sending does to
/// it (zmq_msg_send(3)), and a received message's metadata (zmq_msg_gets(3), test_metadata).
/// </summary>
[TestFixture]
[CancelAfter(20_000)]
public class ZmqMessageTests
{
    [Test]
    public void Constructor_Empty_HasNoContent()
    {
        using var message = new ZmqMessage();

        Assert.That(message.Size, Is.Zero);
        Assert.That(message.Data.Length, Is.Zero);
        Assert.That(message.More, Is.False);
        Assert.That(message.ToString(), Is.Empty);
        Assert.That(message.ToArray(), Is.Empty);
    }

    [Test]
    public void Constructor_Size_GivesWritableDataOfThatSize()
    {
        using var message = new ZmqMessage(5);

        "abcde"u8.CopyTo(message.Data);

        Assert.That(message.Size, Is.EqualTo(5));
        Assert.That(message.ToString(), Is.EqualTo("abcde"));
    }

    [Test]
    public void Constructor_BytesAndText_CopyTheirContent()
    {
        byte[] source = [1, 2, 3];
        using var bytes = new ZmqMessage(source);
        using var text = new ZmqMessage("grüße");
        source[0] = 99;

        Assert.That(bytes.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }), "a copy, not a view of the array");
        Assert.That(text.Size, Is.EqualTo(Encoding.UTF8.GetByteCount("grüße")));
        Assert.That(text.ToString(), Is.EqualTo("grüße"));
    }

    [Test]
    public void Constructor_NegativeSizeOrNullText_Throws()
    {
        Assert.That(() => new ZmqMessage(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => new ZmqMessage((string)null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Rebuild_WithBytesAndWithSize_ReplacesTheContent()
    {
        using var message = new ZmqMessage("a longer first content");

        message.Rebuild("xyz"u8);
        Assert.That(message.ToString(), Is.EqualTo("xyz"));

        message.Rebuild(4);
        Assert.That(message.Size, Is.EqualTo(4));
        "1234"u8.CopyTo(message.Data);
        Assert.That(message.ToString(), Is.EqualTo("1234"));

        message.Rebuild(0);
        Assert.That(message.Size, Is.Zero);
        Assert.That(() => message.Rebuild(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Dispose_Twice_IsHarmlessAndLaterUseThrowsObjectDisposed()
    {
        var message = new ZmqMessage("x");

        message.Dispose();
        message.Dispose();

        Assert.That(() => message.Size, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => message.ToString(), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(() => message.Rebuild(1), Throws.TypeOf<ObjectDisposedException>());
        using var context = NewContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);
        Assert.That(() => socket.TryReceive(message), Throws.TypeOf<ObjectDisposedException>());
    }

    // zmq_msg_send(3): on success the message is emptied (its content belongs to libzmq now) and
    // can be reused; on failure the caller keeps it.
    [Test]
    public void Send_Message_EmptiesItOnSuccessAndKeepsItWhenRefused()
    {
        using var context = NewContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        using var message = new ZmqMessage("payload");

        Assert.That(push.TrySend(message), Is.False, "no peer yet");
        Assert.That(message.ToString(), Is.EqualTo("payload"), "kept after a refused send");

        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "inproc");
        push.Connect(endpoint);
        Assert.That(push.TrySend(message, Wait), Is.True);

        Assert.That(message.Size, Is.Zero, "emptied by the send");
        Assert.That(pull.TryReceive(message, Wait), Is.True, "the emptied message is reused for receiving");
        Assert.That(message.ToString(), Is.EqualTo("payload"));
    }

    // One message object through a receive loop: each receive replaces the content and sets More.
    [Test]
    public void Receive_IntoOneMessageRepeatedly_ReplacesContentEachTime()
    {
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "inproc");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint);
        push.SendMultipart(["first, longer", "2"]);
        push.Send("third");

        using var message = new ZmqMessage();
        var seen = new List<(string, bool)>();
        for (int i = 0; i < 3; i++)
        {
            Assert.That(pull.TryReceive(message, Wait), Is.True);
            seen.Add((message.ToString(), message.More));
        }

        Assert.That(seen, Is.EqualTo(new[] { ("first, longer", true), ("2", false), ("third", false) }));
    }

    // zmq_msg_gets(3): a message received over a ZMTP connection carries the peer's handshake
    // properties; "Peer-Address" is the peer's IP; unknown names are absent.
    [Test]
    public void GetProperty_MessageReceivedOverTcp_HasSocketTypeRoutingIdAndPeerAddress()
    {
        using var context = NewContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        string endpoint = BindAny(router, "tcp");
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        dealer.RoutingId = "dealer-1"u8.ToArray();
        dealer.Connect(endpoint);
        dealer.Send("hello");

        using var message = new ZmqMessage();
        Assert.That(router.TryReceive(message, Wait), Is.True);
        Assert.That(message.ToString(), Is.EqualTo("dealer-1"), "the ROUTER's routing-id frame, which it made itself");
        Assert.That(router.TryReceive(message, Wait), Is.True);
        Assert.That(message.ToString(), Is.EqualTo("hello"));

        Assert.That(message.GetProperty("Socket-Type"), Is.EqualTo("DEALER"));
        Assert.That(message.GetProperty("Routing-Id"), Is.EqualTo("dealer-1"), "the name zmq_msg_gets(3) documents");
        Assert.That(message.GetProperty("Identity"), Is.EqualTo("dealer-1"), "its deprecated alias");
        Assert.That(message.GetProperty("Peer-Address"), Is.EqualTo("127.0.0.1"));
        Assert.That(message.GetProperty("No-Such-Property"), Is.Null);
        Assert.That(message.GetProperty("X-Unset"), Is.Null);
    }

    // ZMQ_METADATA (draft): application properties ("X-...") travel in the handshake.
    [Test]
    public void GetProperty_ApplicationMetadataSetOnThePeer_IsReadable()
    {
        Assume.That(Zmq.Has("draft"), Is.True, "ZMQ_METADATA is draft API");
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "tcp");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Metadata = "X-Colour:blue";
        push.Connect(endpoint);
        push.Send("x");

        using var message = new ZmqMessage();
        Assert.That(pull.TryReceive(message, Wait), Is.True);

        Assert.That(message.GetProperty("X-Colour"), Is.EqualTo("blue"));
        Assert.That(message.GetProperty("Socket-Type"), Is.EqualTo("PUSH"));
    }

    [Test]
    public void GetProperty_MessageNeverReceived_IsNull()
    {
        using var message = new ZmqMessage("local");

        Assert.That(message.GetProperty("Socket-Type"), Is.Null);
        Assert.That(() => message.GetProperty(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void RoutingIdAndGroup_OnAPlainMessage_AreNone()
    {
        using var message = new ZmqMessage("x");

        Assert.That(message.RoutingId, Is.Zero);
        Assert.That(message.Group, Is.Null);
    }
}
