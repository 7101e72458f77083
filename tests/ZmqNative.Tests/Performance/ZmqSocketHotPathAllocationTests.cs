namespace ZmqNative.Tests.Performance;

/// <summary>
/// The loops zmqperf (src/Perf) runs allocate no managed memory per message (DESIGN.md,
/// convention 6), over tcp and inproc: a span send with a reused-ZmqMessage receive, a
/// reused-ZmqMessage send (Rebuild + Send, as remote_thr) with a span receive, a REQ/REP bounce of
/// one message (as the latency tools), and a non-blocking receive meeting EAGAIN (no exception).
/// </summary>
/// <remarks>
/// One thread sends a batch below the high-water mark, then receives it, so nothing waits on
/// another thread; blocking calls are bounded by ZMQ_SNDTIMEO/ZMQ_RCVTIMEO. After a warm-up
/// (the JIT, the connection and libzmq's pipes allocate once), the bytes this thread allocated
/// over 100,000 messages (GC.GetAllocatedBytesForCurrentThread) must be exactly zero: a per-message
/// allocation of any size would show up 100,000 times. Speed is measured by bench/, never here.
/// </remarks>
[TestFixture]
[CancelAfter(60_000)]
[NonParallelizable]
public class ZmqSocketHotPathAllocationTests
{
    private const int Messages = 100_000;
    private const int WarmUp = 20_000;
    private const int Batch = 100; // well below the default high-water mark (1000): sends never block
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static int _endpoints;

    [Test]
    public void SpanSendMessageReceive_SteadyState_AllocatesNothingPerMessage(
        [Values("inproc", "tcp")] string transport, [Values(16, 1024)] int size)
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        var (push, pull) = Connected(context, transport);
        var payload = new byte[size];
        using var message = new ZmqMessage();

        long wrong = SpanSendMessageReceive(push, pull, payload, message, WarmUp);
        long before = GC.GetAllocatedBytesForCurrentThread();
        wrong += SpanSendMessageReceive(push, pull, payload, message, Messages);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(wrong, Is.Zero, "every message arrived with its size");
        Assert.That(allocated, Is.Zero, $"{allocated} bytes allocated for {Messages} messages over {transport}");
    }

    [Test]
    public void MessageSendSpanReceive_SteadyState_AllocatesNothingPerMessage(
        [Values("inproc", "tcp")] string transport, [Values(16, 1024)] int size)
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        var (push, pull) = Connected(context, transport);
        var buffer = new byte[size];
        using var message = new ZmqMessage();

        long wrong = MessageSendSpanReceive(push, pull, message, buffer, WarmUp);
        long before = GC.GetAllocatedBytesForCurrentThread();
        wrong += MessageSendSpanReceive(push, pull, message, buffer, Messages);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(wrong, Is.Zero, "every message arrived with its size");
        Assert.That(allocated, Is.Zero, $"{allocated} bytes allocated for {Messages} messages over {transport}");
    }

    [Test]
    public void RequestReplyBounce_SteadyState_AllocatesNothingPerRoundtrip()
    {
        // inproc only: a tcp roundtrip in one thread costs two I/O-thread hops, too slow for 100,000 here.
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        var (req, rep) = Connected(context, "inproc", ZmqSocketType.Req, ZmqSocketType.Rep);
        using var ping = new ZmqMessage(64);
        using var pong = new ZmqMessage();

        long wrong = Bounce(req, rep, ping, pong, WarmUp);
        long before = GC.GetAllocatedBytesForCurrentThread();
        wrong += Bounce(req, rep, ping, pong, Messages / 2); // two messages per roundtrip
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(wrong, Is.Zero, "every message arrived with its size");
        Assert.That(allocated, Is.Zero, $"{allocated} bytes allocated for {Messages} messages");
    }

    [Test]
    public void TryReceive_NothingWaiting_ReturnsFalseAndAllocatesNothing()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        var (_, pull) = Connected(context, "inproc");
        var buffer = new byte[16];
        using var message = new ZmqMessage();

        long received = TryReceiveEmpty(pull, buffer, message, WarmUp);
        long before = GC.GetAllocatedBytesForCurrentThread();
        received += TryReceiveEmpty(pull, buffer, message, Messages / 2); // two calls per round
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(received, Is.Zero, "nothing was sent, so every TryReceive said false (EAGAIN)");
        Assert.That(allocated, Is.Zero, $"{allocated} bytes allocated for {Messages} calls that met EAGAIN");
    }

    // The loops count mistakes instead of asserting: an NUnit assertion allocates.
    private static long SpanSendMessageReceive(ZmqSocket push, ZmqSocket pull, byte[] payload, ZmqMessage message, int count)
    {
        long wrong = 0;
        for (int done = 0; done < count; done += Batch)
        {
            for (int i = 0; i < Batch; i++)
            {
                push.Send(payload);
            }

            for (int i = 0; i < Batch; i++)
            {
                pull.Receive(message);
                wrong += message.Size == payload.Length ? 0 : 1;
            }
        }

        return wrong;
    }

    private static long MessageSendSpanReceive(ZmqSocket push, ZmqSocket pull, ZmqMessage message, byte[] buffer, int count)
    {
        long wrong = 0;
        for (int done = 0; done < count; done += Batch)
        {
            for (int i = 0; i < Batch; i++)
            {
                message.Rebuild(buffer.Length);
                push.Send(message);
            }

            for (int i = 0; i < Batch; i++)
            {
                wrong += pull.Receive(buffer) == buffer.Length ? 0 : 1;
            }
        }

        return wrong;
    }

    private static long Bounce(ZmqSocket req, ZmqSocket rep, ZmqMessage ping, ZmqMessage pong, int roundtrips)
    {
        long wrong = 0;
        for (int i = 0; i < roundtrips; i++)
        {
            req.Send(ping);
            rep.Receive(pong);
            rep.Send(pong);
            req.Receive(ping);
            wrong += ping.Size == 64 ? 0 : 1;
        }

        return wrong;
    }

    private static long TryReceiveEmpty(ZmqSocket pull, byte[] buffer, ZmqMessage message, int rounds)
    {
        long received = 0;
        for (int i = 0; i < rounds; i++)
        {
            received += pull.TryReceive(buffer, out _) ? 1 : 0;
            received += pull.TryReceive(message) ? 1 : 0;
        }

        return received;
    }

    private static (ZmqSocket Sender, ZmqSocket Receiver) Connected(
        ZmqContext context, string transport, ZmqSocketType senderType = ZmqSocketType.Push, ZmqSocketType receiverType = ZmqSocketType.Pull)
    {
        var receiver = context.CreateSocket(receiverType);
        var sender = context.CreateSocket(senderType);
        foreach (var socket in new[] { receiver, sender })
        {
            socket.SendTimeout = Bound;
            socket.ReceiveTimeout = Bound;
        }

        receiver.Bind(transport == "tcp"
            ? "tcp://127.0.0.1:*"
            : $"inproc://hot-path-allocation-{Interlocked.Increment(ref _endpoints)}");
        sender.Connect(receiver.LastEndpoint);
        return (sender, receiver);
    }
}
