using static ZmqNative.Tests.SocketTypes.PatternTesting;

namespace ZmqNative.Tests.SocketTypes;

/// <summary>
/// High-water marks (ZMQ_SNDHWM, ZMQ_RCVHWM) as libzmq's test_hwm checks them: over inproc the
/// pipe holds the sender's plus the receiver's mark, then a non-blocking send reports "would
/// block", and it recovers once the reader drains. Multipart messages are refused whole.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class HighWatermarkTests
{
    // test_hwm: "The total HWM for an inproc connection should be the sum of the binder's HWM
    // and the connector's HWM", whichever of bind and connect came first.
    [TestCase(1, 1, true)]
    [TestCase(1, 1, false)]
    [TestCase(5, 7, true)]
    [TestCase(5, 7, false)]
    public void TrySend_InprocAtSendPlusReceiveHwm_ReturnsFalseUntilTheReaderDrains(int sendHwm, int receiveHwm, bool bindFirst)
    {
        using var context = NewContext();
        string endpoint = InprocEndpoint("hwm");
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.ReceiveHighWatermark = receiveHwm;
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.SendHighWatermark = sendHwm;
        if (bindFirst)
        {
            pull.Bind(endpoint);
            push.Connect(endpoint);
        }
        else
        {
            push.Connect(endpoint);
            pull.Bind(endpoint);
        }

        int sent = CountSendsUntilFull(push, limit: 1000);

        Assert.That(sent, Is.EqualTo(sendHwm + receiveHwm));
        Assert.That(push.TrySend("more"u8), Is.False, "still full");
        Span<byte> buffer = stackalloc byte[16];
        for (int i = 0; i < sent; i++)
        {
            Assert.That(pull.TryReceive(buffer, Wait, out int size), Is.True, $"message {i} of {sent}");
            Assert.That(int.Parse(buffer[..size]), Is.EqualTo(i), "in order");
        }

        Assert.That(pull.TryReceive(buffer, out _), Is.False, "exactly what was accepted arrived");
        // The reader tells the writer it has room with a command the writer processes when it
        // next polls or blocks; the bounded Try waits for it.
        Assert.That(push.TrySend("again"u8, Wait), Is.True, "room again after the reader drained");
        Assert.That(pull.TryReceive(buffer, Wait, out int last), Is.True);
        Assert.That(buffer[..last].ToArray(), Is.EqualTo("again"u8.ToArray()));
    }

    // test_hwm test_defaults: libzmq's default marks are 1000 each, so 2000 fit over inproc.
    [Test]
    public void TrySend_InprocWithDefaultHwms_AcceptsTwoThousand()
    {
        using var context = NewContext();
        string endpoint = InprocEndpoint("hwm-default");
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind(endpoint);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint);

        Assert.That(push.SendHighWatermark, Is.EqualTo(1000));
        Assert.That(pull.ReceiveHighWatermark, Is.EqualTo(1000));
        Assert.That(CountSendsUntilFull(push, limit: 10_000), Is.EqualTo(2000));
    }

    // zmq_setsockopt(3): a mark of 0 means no limit, on either side.
    [TestCase(0, 0)]
    [TestCase(1, 0)]
    [TestCase(0, 1)]
    public void TrySend_InprocWithAZeroHwm_NeverReportsFull(int sendHwm, int receiveHwm)
    {
        using var context = NewContext();
        string endpoint = InprocEndpoint("hwm-zero");
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.ReceiveHighWatermark = receiveHwm;
        pull.Bind(endpoint);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.SendHighWatermark = sendHwm;
        push.Connect(endpoint);

        Assert.That(CountSendsUntilFull(push, limit: 5000), Is.EqualTo(5000));
    }

    // RFC 30 / test_spec_pushpull: messages are sent or dropped atomically. A multipart message
    // that meets the mark is refused before its first frame, so no part of it is ever delivered.
    [Test]
    public void TrySendMultipart_AtHwm_SendsNoFrameAtAll([Values("inproc", "tcp")] string transport)
    {
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.ReceiveHighWatermark = 1;
        string endpoint = BindAny(pull, transport);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.SendHighWatermark = 1;
        push.Connect(endpoint);

        int sent = 0;
        while (push.TrySendMultipart(Frames(sent)))
        {
            sent++;
            // Over tcp the kernel buffers take more before the marks bite; still bounded.
            Assert.That(sent, Is.LessThan(1_000_000), "the high-water mark never stopped the PUSH");
        }

        if (transport == "inproc")
        {
            Assert.That(sent, Is.EqualTo(2), "the two marks' worth");
        }

        using var message = new ZmqMessage();
        for (int i = 0; i < sent; i++)
        {
            var expected = Frames(i);
            for (int f = 0; f < expected.Count; f++)
            {
                Assert.That(pull.TryReceive(message, Wait), Is.True, $"message {i}, frame {f}");
                Assert.That(message.ToArray(), Is.EqualTo(expected[f]), $"message {i}, frame {f}");
                Assert.That(message.More, Is.EqualTo(f < expected.Count - 1), $"message {i}, frame {f} More");
            }
        }

        Assert.That(pull.TryReceive(message), Is.False, "nothing of the refused message arrived");
        Assert.That(push.TrySendMultipart(Frames(-1), Wait), Is.True, "room again after the reader drained");
        Assert.That(pull.TryReceiveMultipart(Wait, out var after), Is.True);
        Assert.That(after!, Is.EqualTo(Frames(-1)));
    }

    private static List<byte[]> Frames(int n) =>
        [System.Text.Encoding.UTF8.GetBytes($"head {n}"), new byte[1024], System.Text.Encoding.UTF8.GetBytes($"tail {n}")];

    /// <summary>Sends numbered messages without blocking until one is refused (or <paramref name="limit"/> went).</summary>
    private static int CountSendsUntilFull(ZmqSocket push, int limit)
    {
        Span<byte> text = stackalloc byte[16];
        int sent = 0;
        while (sent < limit)
        {
            sent.TryFormat(text, out int length);
            if (!push.TrySend(text[..length]))
            {
                break;
            }

            sent++;
        }

        return sent;
    }
}
