using static ZmqNative.Tests.SocketTypes.PatternTesting;

namespace ZmqNative.Tests.Messages;

/// <summary>
/// Multipart messages (zmq_send(3) ZMQ_SNDMORE, zmq_msg_more(3), ZMQ_RCVMORE) and large frames:
/// a message arrives whole, in order, with the More flag on every frame but the last.
/// (Refusal at the high-water mark is in Patterns/HighWatermarkTests; ReceiveMultipart of small
/// text frames in Sockets/ZmqSocketBasicsTests.)
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class MultipartMessageTests
{
    [Test]
    public void Receive_FramesSentWithMore_ArriveInOrderWithMoreOnAllButTheLast([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, transport);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint);
        byte[][] frames = [[1], [], new byte[100_000], [2, 2], [3, 3, 3]];
        frames[2].AsSpan().Fill(9);

        // Frame by frame, mixing the span and message forms.
        for (int i = 0; i < frames.Length; i++)
        {
            bool more = i < frames.Length - 1;
            if (i % 2 == 0)
            {
                push.Send(frames[i], more);
            }
            else
            {
                using var message = new ZmqMessage(frames[i]);
                push.Send(message, more);
            }
        }

        push.Send("next message");

        using var received = new ZmqMessage();
        for (int i = 0; i < frames.Length; i++)
        {
            Assert.That(pull.TryReceive(received, Wait), Is.True, $"frame {i}");
            Assert.That(received.ToArray(), Is.EqualTo(frames[i]), $"frame {i}");
            Assert.That(received.More, Is.EqualTo(i < frames.Length - 1), $"frame {i} More");
            Assert.That(pull.ReceiveMore, Is.EqualTo(i < frames.Length - 1), $"frame {i} ZMQ_RCVMORE");
        }

        Assert.That(pull.TryReceive(received, Wait), Is.True);
        Assert.That((received.ToString(), received.More), Is.EqualTo(("next message", false)), "the next message starts afresh");
    }

    // Whatever the interleaving of senders, each multipart message comes out as one block:
    // frames of different messages never mix.
    [Test]
    public void Receive_MultipartFromSeveralSenders_NeverInterleavesFrames()
    {
        const int Senders = 4;
        const int PerSender = 50;
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "tcp");
        var pushes = Enumerable.Range(0, Senders).Select(_ => context.CreateSocket(ZmqSocketType.Push)).ToList();
        pushes.ForEach(p => p.Connect(endpoint));

        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = pushes.Select((push, s) => new Thread(() =>
        {
            try
            {
                for (int n = 0; n < PerSender; n++)
                {
                    push.SendMultipart([$"{s}", $"{n}", "a", "b", "c"]);
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e); // e.g. ContextTerminatedException when the test failed early
            }
        })).ToList();
        threads.ForEach(t => t.Start());

        var next = new int[Senders];
        for (int k = 0; k < Senders * PerSender; k++)
        {
            var frames = ReceiveStrings(pull);
            Assert.That(frames, Has.Count.EqualTo(5));
            int s = int.Parse(frames[0]);
            Assert.That(frames.Skip(1), Is.EqualTo(new[] { next[s].ToString(), "a", "b", "c" }), $"sender {s}");
            next[s]++;
        }

        threads.ForEach(t => Assert.That(t.Join(Wait), Is.True));
        Assert.That(failures, Is.Empty);
    }

    // Frames larger than any buffer on the way (4 MiB), as one frame and inside a multipart message.
    [Test]
    public void Receive_FourMebibyteFrames_ArriveIntact([Values("inproc", "tcp")] string transport)
    {
        const int Size = 4 * 1024 * 1024;
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, transport);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint);
        var big = new byte[Size];
        new Random(12345).NextBytes(big);
        var other = new byte[Size];
        new Random(54321).NextBytes(other);

        Assert.That(push.TrySend(big, Wait), Is.True);
        push.SendMultipart([[1], other, [2]]);

        using var received = new ZmqMessage();
        Assert.That(pull.TryReceive(received, Wait), Is.True);
        Assert.That(received.Size, Is.EqualTo(Size));
        Assert.That(received.Data.SequenceEqual(big), Is.True, "the single frame is intact");
        Assert.That(received.More, Is.False);

        Assert.That(pull.TryReceiveMultipart(Wait, out var frames), Is.True);
        Assert.That(frames!.Select(f => f.Length), Is.EqualTo(new[] { 1, Size, 1 }));
        Assert.That(frames![1].AsSpan().SequenceEqual(other), Is.True, "the frame inside a multipart message is intact");
    }

    // A frame as large as the receiver's buffer fits exactly; larger ones are truncated (the
    // truncation itself is checked in Sockets/ZmqSocketBasicsTests).
    [Test]
    public void TryReceiveSpan_LargeFrameIntoExactBuffer_FitsExactly()
    {
        const int Size = 2 * 1024 * 1024;
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "tcp");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint);
        var data = new byte[Size];
        new Random(7).NextBytes(data);
        push.Send(data);

        var buffer = new byte[Size];
        Assert.That(pull.TryReceive(buffer, Wait, out int size), Is.True);

        Assert.That(size, Is.EqualTo(Size));
        Assert.That(buffer.AsSpan().SequenceEqual(data), Is.True);
    }
}
