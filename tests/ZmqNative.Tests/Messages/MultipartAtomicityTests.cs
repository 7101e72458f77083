using System.Text;

namespace ZmqNative.Tests.Messages;

/// <summary>
/// "All frames or none" (issue 16, the safe API, items 1 and 2): a multipart send is one unit.
/// Two threads sending on one socket get whole messages or the one-thread guard's
/// InvalidOperationException, never mixed frames; an invalid frame anywhere is found before the
/// first frame goes out, in every overload.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public class MultipartAtomicityTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void SendMultipart_TwoThreadsOnOnePush_DeliversOnlyWholeMessages()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://multipart-two-threads");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect("inproc://multipart-two-threads");

        // Each thread sends messages of 4 frames that all carry its own letter, for a while; a
        // message mixing frames (or ending early) arrives with frames that differ or a wrong count.
        const int Frames = 4;
        var sendFor = TimeSpan.FromSeconds(1.5);
        int sent = 0;
        int refused = 0;
        using var start = new Barrier(2);
        var senders = new[] { "A", "B" }.Select(letter => new Thread(() =>
        {
            var message = Enumerable.Repeat(Encoding.ASCII.GetBytes(letter), Frames).ToArray();
            start.SignalAndWait();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < sendFor)
            {
                try
                {
                    push.SendMultipart(message);
                    Interlocked.Increment(ref sent);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref refused); // the other thread held the socket: nothing of this message was sent
                }
            }
        }) { IsBackground = true }).ToList();
        senders.ForEach(t => t.Start());

        int received = 0;
        int broken = 0;
        string? firstBroken = null;
        bool sendersDone = false;
        while (true)
        {
            if (!pull.TryReceiveMultipart(sendersDone ? TimeSpan.Zero : TimeSpan.FromMilliseconds(100), out var frames))
            {
                if (sendersDone)
                {
                    break;
                }

                sendersDone = senders.All(t => !t.IsAlive);
                continue;
            }

            received++;
            var letters = frames.Select(f => Encoding.ASCII.GetString(f)).ToList();
            if (letters.Count != Frames || letters.Distinct().Count() != 1)
            {
                broken++;
                firstBroken ??= string.Join(",", letters);
            }
        }

        Assert.That(senders.All(t => t.Join(Wait)), Is.True);
        Assert.That(broken, Is.Zero, $"{broken} of {received} messages mixed or cut frames, e.g. [{firstBroken}] ({refused} calls refused)");
        Assert.That(received, Is.EqualTo(sent), $"every call either sent its whole message or was refused ({refused} refused)");
    }

    [Test]
    public void SendMultipart_NullFrameAfterTheFirst_SendsNothing()
    {
        using var pair = new Pair();
        Assert.That(() => pair.Sender.SendMultipart(new[] { new byte[] { 1 }, null! }), Throws.ArgumentException);
        Assert.That(() => pair.Sender.TrySendMultipart(new[] { new byte[] { 1 }, null! }), Throws.ArgumentException);
        Assert.That(() => pair.Sender.TrySendMultipart(new[] { new byte[] { 1 }, null! }, Wait), Throws.ArgumentException);
        Assert.That(() => pair.Sender.SendMultipart(new[] { "one", null! }), Throws.ArgumentException);
        pair.AssertNothingThenWhole();
    }

    [Test]
    public void SendMultipart_MessagesWithANullDisposedOrRepeatedFrame_SendsNothing()
    {
        using var pair = new Pair();
        using var first = new ZmqMessage("first");
        var disposed = new ZmqMessage("gone");
        disposed.Dispose();

        Assert.That(() => pair.Sender.SendMultipart(new[] { first, null! }), Throws.ArgumentException.With.Message.Contains("frame 1"));
        Assert.That(() => pair.Sender.SendMultipart(new[] { first, disposed }), Throws.ArgumentException.With.Message.Contains("disposed"));
        Assert.That(() => pair.Sender.SendMultipart(new[] { first, first }), Throws.ArgumentException.With.Message.Contains("same message"));
        Assert.That(first.ToString(), Is.EqualTo("first"), "a refused send leaves the message as it was");
        pair.AssertNothingThenWhole();
    }

    [Test]
    public void SendMultipart_Messages_SendsThemAsOneMessageAndEmptiesThem()
    {
        using var pair = new Pair();
        using var one = new ZmqMessage("one");
        using var two = new ZmqMessage("two");

        pair.Sender.SendMultipart(new[] { one, two });

        Assert.That(pair.Receiver.TryReceiveMultipart(Wait, out var frames), Is.True);
        Assert.That(frames!.Select(f => Encoding.UTF8.GetString(f)), Is.EqualTo(new[] { "one", "two" }));
        Assert.That(one.Size + two.Size, Is.Zero, "sent messages are left empty");
    }

    [Test]
    public void SendRouted_ReplyWithANullFrame_IsRefusedBeforeAnythingIsSent()
    {
        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.Bind("inproc://routed-null");
        using var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        dealer.RoutingId = "D"u8.ToArray();
        dealer.Connect("inproc://routed-null");
        dealer.Send("hello");
        var request = router.ReceiveRouted();

        Assert.That(() => router.SendRouted(request.Reply(new[] { "ok"u8.ToArray(), null! })), Throws.ArgumentException);
        router.SendRouted(request.Reply("whole"));

        Assert.That(dealer.TryReceiveMultipart(Wait, out var frames), Is.True);
        Assert.That(frames!.Select(f => Encoding.UTF8.GetString(f)), Is.EqualTo(new[] { "whole" }), "nothing of the refused reply arrived first");
    }

    /// <summary>A connected PAIR of sockets; checks that nothing arrived, then that a whole message does.</summary>
    private sealed class Pair : IDisposable
    {
        private static int s_count;
        private readonly ZmqContext _context = new();

        public Pair()
        {
            string endpoint = "inproc://all-or-none-" + Interlocked.Increment(ref s_count);
            Receiver = _context.CreateSocket(ZmqSocketType.Pair);
            Receiver.Bind(endpoint);
            Sender = _context.CreateSocket(ZmqSocketType.Pair);
            Sender.Connect(endpoint);
        }

        public ZmqSocket Sender { get; }

        public ZmqSocket Receiver { get; }

        /// <summary>A half-sent message would make the next message's frames arrive behind its first frame.</summary>
        public void AssertNothingThenWhole()
        {
            Sender.SendMultipart(new[] { "x", "y" });
            Assert.That(Receiver.TryReceiveMultipart(Wait, out var frames), Is.True);
            Assert.That(frames!.Select(f => Encoding.UTF8.GetString(f)), Is.EqualTo(new[] { "x", "y" }), "the refused sends left nothing behind");
        }

        public void Dispose() => _context.Dispose();
    }
}
