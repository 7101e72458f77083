using static ZmqNative.Tests.SocketTypes.PatternTesting;

namespace ZmqNative.Tests.Messages;

/// <summary>
/// The hot path allocates nothing managed (DESIGN.md, convention 6): a receive loop reusing one
/// <see cref="ZmqMessage"/>, sending from a span, receiving into a span.
/// </summary>
/// <remarks>
/// Each test sends and receives on one thread over inproc with no high-water mark, so the
/// receiver's queue is full before the receive loop starts and nothing blocks. After a warm-up
/// (which lets the JIT and libzmq's pipes allocate what they allocate once), the bytes this
/// thread allocated across 100,000 calls must be exactly zero: any per-call allocation, however
/// small, would show as at least 100,000 times its size.
/// </remarks>
[TestFixture]
[CancelAfter(30_000)]
[NonParallelizable]
public class ZmqMessageAllocationTests
{
    private const int Count = 100_000;
    private const int WarmUp = 2_000;

    [Test]
    public void SendSpan_ManyTimes_AllocatesNothing()
    {
        using var context = NewContext();
        using var pull = Unbounded(context.CreateSocket(ZmqSocketType.Pull));
        string endpoint = BindAny(pull, "inproc");
        using var push = Unbounded(context.CreateSocket(ZmqSocketType.Push));
        push.Connect(endpoint);
        ReadOnlySpan<byte> payload = "0123456789abcdef"u8;
        SendSpans(push, payload, WarmUp, blocking: true);
        SendSpans(push, payload, WarmUp, blocking: false);

        long before = GC.GetAllocatedBytesForCurrentThread();
        SendSpans(push, payload, Count / 2, blocking: true);
        SendSpans(push, payload, Count / 2, blocking: false);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, $"{allocated} bytes for {Count} sends");
    }

    // Text is encoded into a stack buffer (a pooled one past 512 bytes), never a new array.
    [Test]
    public void SendString_ManyTimes_AllocatesNothing()
    {
        using var context = NewContext();
        using var pull = Unbounded(context.CreateSocket(ZmqSocketType.Pull));
        string endpoint = BindAny(pull, "inproc");
        using var push = Unbounded(context.CreateSocket(ZmqSocketType.Push));
        push.Connect(endpoint);
        string shortText = "a short text message";
        string longText = new('x', 2000);
        SendStrings(push, shortText, longText, WarmUp);

        long before = GC.GetAllocatedBytesForCurrentThread();
        SendStrings(push, shortText, longText, Count / 2);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, $"{allocated} bytes for {Count} sends");
    }

    [Test]
    public void ReceiveMessage_ReusedForManyMessages_AllocatesNothing()
    {
        using var context = NewContext();
        using var pull = Unbounded(context.CreateSocket(ZmqSocketType.Pull));
        string endpoint = BindAny(pull, "inproc");
        using var push = Unbounded(context.CreateSocket(ZmqSocketType.Push));
        push.Connect(endpoint);
        SendSpans(push, "0123456789abcdef"u8, 2 * WarmUp + Count, blocking: false);
        using var message = new ZmqMessage();
        ReceiveMessages(pull, message, WarmUp);
        TryReceiveMessages(pull, message, WarmUp);

        long before = GC.GetAllocatedBytesForCurrentThread();
        long bytes = ReceiveMessages(pull, message, Count / 2) + TryReceiveMessages(pull, message, Count / 2);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(bytes, Is.EqualTo(16L * Count), "every message was received");
        Assert.That(allocated, Is.Zero, $"{allocated} bytes for {Count} receives");
    }

    [Test]
    public void TryReceiveSpan_ManyTimes_AllocatesNothing()
    {
        using var context = NewContext();
        using var pull = Unbounded(context.CreateSocket(ZmqSocketType.Pull));
        string endpoint = BindAny(pull, "inproc");
        using var push = Unbounded(context.CreateSocket(ZmqSocketType.Push));
        push.Connect(endpoint);
        SendSpans(push, "0123456789abcdef"u8, 2 * WarmUp + Count, blocking: false);
        ReceiveSpans(pull, WarmUp, withTimeout: false);
        ReceiveSpans(pull, WarmUp, withTimeout: true);

        long before = GC.GetAllocatedBytesForCurrentThread();
        long bytes = ReceiveSpans(pull, Count / 2, withTimeout: false) + ReceiveSpans(pull, Count / 2, withTimeout: true);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(bytes, Is.EqualTo(16L * Count), "every message was received");
        Assert.That(allocated, Is.Zero, $"{allocated} bytes for {Count} receives");
    }

    private static ZmqSocket Unbounded(ZmqSocket socket)
    {
        socket.SendHighWatermark = 0;
        socket.ReceiveHighWatermark = 0;
        return socket;
    }

    // The loops live in their own methods, with no assertion inside (NUnit's constraints allocate).
    private static void SendSpans(ZmqSocket socket, ReadOnlySpan<byte> payload, int count, bool blocking)
    {
        for (int i = 0; i < count; i++)
        {
            if (blocking)
            {
                socket.Send(payload);
            }
            else if (!socket.TrySend(payload))
            {
                throw new InvalidOperationException("an unbounded inproc pipe refused a message");
            }
        }
    }

    private static void SendStrings(ZmqSocket socket, string shortText, string longText, int pairs)
    {
        for (int i = 0; i < pairs; i++)
        {
            socket.Send(shortText);
            if (!socket.TrySend(longText))
            {
                throw new InvalidOperationException("an unbounded inproc pipe refused a message");
            }
        }
    }

    private static long ReceiveMessages(ZmqSocket socket, ZmqMessage message, int count)
    {
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            socket.Receive(message);
            bytes += message.Size;
        }

        return bytes;
    }

    private static long TryReceiveMessages(ZmqSocket socket, ZmqMessage message, int count)
    {
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            if (!socket.TryReceive(message, Wait))
            {
                throw new InvalidOperationException("a prefilled queue ran dry");
            }

            bytes += message.Data.Length;
        }

        return bytes;
    }

    private static long ReceiveSpans(ZmqSocket socket, int count, bool withTimeout)
    {
        Span<byte> buffer = stackalloc byte[64];
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            int size;
            bool got = withTimeout ? socket.TryReceive(buffer, Wait, out size) : socket.TryReceive(buffer, out size);
            if (!got)
            {
                throw new InvalidOperationException("a prefilled queue ran dry");
            }

            bytes += size;
        }

        return bytes;
    }
}
