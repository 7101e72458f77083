using System.Text;
using static ZmqNative.Tests.SocketTypes.PatternTesting;

namespace ZmqNative.Tests.Messages;

/// <summary>
/// The ROUTER envelope (the Guide, chapter 3): routing ids, then the empty delimiter a REQ adds,
/// then the body; a reply with the same envelope goes back the same way.
/// </summary>
[TestFixture]
[CancelAfter(20_000)]
public class ZmqRoutedMessageTests
{
    [Test]
    public void ReceiveRouted_FromTwoReqClients_RepliesReachTheRightOne()
    {
        using var context = NewContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        string endpoint = BindAny(router, "tcp");
        using var alice = context.CreateSocket(ZmqSocketType.Req);
        alice.Connect(endpoint);
        using var bob = context.CreateSocket(ZmqSocketType.Req);
        bob.Connect(endpoint);
        alice.Send("from alice");
        bob.Send("from bob");

        for (int i = 0; i < 2; i++)
        {
            Assert.That(router.TryReceiveRouted(Wait, out var request), Is.True);
            Assert.That(request!.Envelope, Has.Count.EqualTo(2), "routing id + delimiter");
            Assert.That(request.HasDelimiter, Is.True);
            Assert.That(request.Body, Has.Count.EqualTo(1));
            string text = Encoding.UTF8.GetString(request.Body[0]);
            router.SendRouted(request.Reply("re: " + text));
        }

        Assert.That(ReceiveString(alice), Is.EqualTo("re: from alice"));
        Assert.That(ReceiveString(bob), Is.EqualTo("re: from bob"));
    }

    [Test]
    public void ReceiveRouted_FromDealerWithoutDelimiter_EnvelopeIsTheRoutingIdAlone()
    {
        using var context = NewContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        string endpoint = BindAny(router, "inproc");
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        dealer.RoutingId = "D1"u8.ToArray();
        dealer.Connect(endpoint);
        dealer.SendMultipart(["part one", "part two"]);

        Assert.That(router.TryReceiveRouted(Wait, out var message), Is.True);

        Assert.That(message!.Envelope, Has.Count.EqualTo(1));
        Assert.That(message.RoutingId, Is.EqualTo("D1"u8.ToArray()));
        Assert.That(message.HasDelimiter, Is.False);
        Assert.That(message.Body.Select(f => Encoding.UTF8.GetString(f)), Is.EqualTo(new[] { "part one", "part two" }));
        Assert.That(router.TrySendRouted(message.Reply("back"), Wait), Is.True);
        Assert.That(ReceiveString(dealer), Is.EqualTo("back"));
    }

    // REQ -> ROUTER|DEALER (a proxy) -> ROUTER: two routing ids, then the delimiter.
    [Test]
    public void ReceiveRouted_ThroughAProxy_KeepsBothHopsAndTheReplyFindsItsWayBack()
    {
        using var context = NewContext();
        using var frontend = context.CreateSocket(ZmqSocketType.Router);
        string front = BindAny(frontend, "inproc");
        using var backend = context.CreateSocket(ZmqSocketType.Dealer);
        string back = BindAny(backend, "inproc");
        using var server = context.CreateSocket(ZmqSocketType.Router);
        server.Connect(back);
        using var client = context.CreateSocket(ZmqSocketType.Req);
        client.Connect(front);
        client.Send("hello");

        Assert.That(frontend.TryReceiveMultipart(Wait, out var hop), Is.True);
        Assert.That(backend.TrySendMultipart(hop!, Wait), Is.True);
        Assert.That(server.TryReceiveRouted(Wait, out var request), Is.True);

        Assert.That(request!.Envelope, Has.Count.EqualTo(3), "the proxy's id, the client's id, the delimiter");
        Assert.That(request.Body.Select(f => Encoding.UTF8.GetString(f)), Is.EqualTo(new[] { "hello" }));
        server.SendRouted(request.Reply("world"));
        Assert.That(backend.TryReceiveMultipart(Wait, out var replyHop), Is.True);
        Assert.That(frontend.TrySendMultipart(replyHop!, Wait), Is.True);
        Assert.That(ReceiveString(client), Is.EqualTo("world"));
    }

    [Test]
    public void Split_Malformed_ThrowsArgumentException()
    {
        Assert.That(() => ZmqRoutedMessage.Split([]), Throws.ArgumentException);
        Assert.That(() => ZmqRoutedMessage.Split([[], [1]]), Throws.ArgumentException.With.Message.Contains("routing id"));
        Assert.That(() => new ZmqRoutedMessage([], [[1]]), Throws.ArgumentException);
        Assert.That(() => new ZmqRoutedMessage([[1]], [null!]), Throws.ArgumentException.With.Message.Contains("frame 0 is null"));
        var onlyEnvelope = ZmqRoutedMessage.Split([[7], []]);
        Assert.That(onlyEnvelope.Body, Is.Empty);
        Assert.That(onlyEnvelope.ToFrames(), Has.Count.EqualTo(2));
    }
}
