using System.Buffers;
using System.Runtime.InteropServices;
using static ZmqNative.Tests.SocketTypes.PatternTesting;

namespace ZmqNative.Tests.Messages;

/// <summary>
/// Zero-copy messages (zmq_msg_init_data(3), libzmq's test_msg_ffn): libzmq calls the free
/// function exactly once, when it no longer needs the memory; the tracker reports it.
/// </summary>
/// <remarks>
/// The payloads come from <see cref="CountingMemory"/>, which counts Pin and Unpin: one pin and
/// one unpin per message is "the free callback ran exactly once", seen through public API only.
/// </remarks>
[TestFixture]
[CancelAfter(30_000)]
public class ZmqMessageZeroCopyTests
{
    private static int Large => Math.Max(ZmqMessage.ZeroCopyThreshold, 64 * 1024);

    // Over inproc libzmq hands the very zmq_msg_t to the receiver: the memory is in use until the
    // receiving message lets go of it, and only then is it released, once.
    [Test]
    public void ZeroCopy_OverInproc_ReleasesOnceAfterTheReceiverLetsGo()
    {
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "inproc");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint);
        using var memory = new CountingMemory(Large);

        var message = ZmqMessage.ZeroCopy(memory.Memory, out var tracker);
        Assert.That(push.TrySend(message, Wait), Is.True);
        message.Dispose();
        Assert.That(tracker.IsDone, Is.False, "queued in the pipe, still libzmq's");

        var received = new ZmqMessage();
        Assert.That(pull.TryReceive(received, Wait), Is.True);
        Assert.That(received.Data.SequenceEqual(memory.Array), Is.True, "the data arrived intact");
        Assert.That(tracker.IsDone, Is.False, "the receiver's message still refers to the memory");

        received.Dispose();

        Assert.That(tracker.Wait(Wait), Is.True, "released once the receiver let go");
        Assert.That((memory.Pins, memory.Unpins), Is.EqualTo((1, 1)));
    }

    // Rebuild skips zmq_msg_close only while the message is known to be empty (just created or
    // just sent); a message that received content must still release it when rebuilt.
    [Test]
    public void Rebuild_AfterReceivingAZeroCopyMessage_ReleasesItsContent()
    {
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "inproc");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint);
        using var memory = new CountingMemory(Large);
        using var reused = new ZmqMessage();
        reused.Rebuild("sent first"u8);
        Assert.That(push.TrySend(reused, Wait), Is.True);
        Assert.That(pull.TryReceive(reused, Wait), Is.True);

        using (var message = ZmqMessage.ZeroCopy(memory.Memory, out var tracker))
        {
            Assert.That(push.TrySend(message, Wait), Is.True);
            Assert.That(pull.TryReceive(reused, Wait), Is.True, "the sent-then-received message now holds the zero-copy content");
            Assert.That(tracker.IsDone, Is.False);

            reused.Rebuild(8);

            Assert.That(tracker.Wait(Wait), Is.True, "Rebuild released the received content");
        }

        Assert.That((memory.Pins, memory.Unpins), Is.EqualTo((1, 1)));
    }

    // Receiving into a message closes its previous content inside zmq_msg_recv, so for zero-copy
    // content the release callback runs on this thread during the receive. The socket must make
    // that call with the GC transition (ZmqMessage.ManagedFreeInUse turns its no-transition first
    // attempt off); without it the runtime fails fast and the test host dies.
    [Test]
    public void Receive_IntoAMessageHoldingZeroCopyContent_ReleasesItDuringTheReceive()
    {
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "inproc");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint);
        using var memory = new CountingMemory(Large);
        using var reused = new ZmqMessage();

        using (var message = ZmqMessage.ZeroCopy(memory.Memory, out var tracker))
        {
            Assert.That(push.TrySend(message, Wait), Is.True);
            Assert.That(pull.TryReceive(reused, Wait), Is.True);
            Assert.That(push.TrySend("next"u8, Wait), Is.True);

            Assert.That(pull.TryReceive(reused, Wait), Is.True, "this receive closes the zero-copy content");

            Assert.That(reused.ToString(), Is.EqualTo("next"));
            Assert.That(tracker.Wait(Wait), Is.True);
        }

        Assert.That((memory.Pins, memory.Unpins), Is.EqualTo((1, 1)));
    }

    // zmq_msg_copy(3): both messages share the content; it is released when the last one lets go.
    [Test]
    public void CopyFrom_ZeroCopyContent_SharesItUntilBothLetGo()
    {
        using var memory = new CountingMemory(Large);
        var original = ZmqMessage.ZeroCopy(memory.Memory, out var tracker);
        var copy = new ZmqMessage("old content");

        copy.CopyFrom(original);

        Assert.That(copy.Data.SequenceEqual(memory.Array), Is.True);
        original.Dispose();
        Assert.That(tracker.IsDone, Is.False, "the copy still refers to it");
        copy.Dispose();
        Assert.That(tracker.Wait(Wait), Is.True);
        Assert.That((memory.Pins, memory.Unpins), Is.EqualTo((1, 1)));
    }

    [Test]
    public void CopyFrom_OneMessageSentManyTimes_EveryCopyArrives()
    {
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "inproc");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint);
        using var original = new ZmqMessage(new string('x', 1000));
        using var outgoing = new ZmqMessage();

        for (int i = 0; i < 3; i++)
        {
            outgoing.CopyFrom(original);
            Assert.That(push.TrySend(outgoing, Wait), Is.True);
        }

        using var received = new ZmqMessage();
        for (int i = 0; i < 3; i++)
        {
            Assert.That(pull.TryReceive(received, Wait), Is.True);
            Assert.That(received.ToString(), Is.EqualTo(original.ToString()));
        }

        Assert.That(original.Size, Is.EqualTo(1000), "the original keeps its content");
    }

    [Test]
    public void MoveFrom_TakesTheContentAndEmptiesTheSource()
    {
        using var source = new ZmqMessage("moving");
        using var target = new ZmqMessage("replaced");

        target.MoveFrom(source);

        Assert.That(target.ToString(), Is.EqualTo("moving"));
        Assert.That(source.Size, Is.Zero);
        source.Rebuild("reused"u8);
        Assert.That(source.ToString(), Is.EqualTo("reused"));
        Assert.That(() => target.CopyFrom(null!), Throws.ArgumentNullException);
        source.Dispose();
        Assert.That(() => target.MoveFrom(source), Throws.TypeOf<ObjectDisposedException>());
    }

    // Over tcp libzmq is done once the bytes are written to the connection; by the time the peer
    // has them, the release has happened or is about to.
    [Test]
    public void ZeroCopy_OverTcp_ArrivesIntactAndReleasesOnce()
    {
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        string endpoint = BindAny(pull, "tcp");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint);
        using var memory = new CountingMemory(1024 * 1024);

        using (var message = ZmqMessage.ZeroCopy(memory.Memory, out var tracker))
        {
            Assert.That(push.TrySend(message, Wait), Is.True);

            using var received = new ZmqMessage();
            Assert.That(pull.TryReceive(received, Wait), Is.True);
            Assert.That(received.Data.SequenceEqual(memory.Array), Is.True, "the data arrived intact");
            Assert.That(tracker.Wait(Wait), Is.True);
            Assert.That(tracker.Completion.IsCompletedSuccessfully, Is.True);
        }

        Assert.That((memory.Pins, memory.Unpins), Is.EqualTo((1, 1)), "disposing the sent (now empty) message releases nothing more");
    }

    // Below ZeroCopyThreshold copying is cheaper: the payload is copied, never pinned, and the
    // tracker is done before anything is sent.
    [Test]
    public void ZeroCopy_BelowThreshold_CopiesAndTheTrackerIsDoneAtOnce()
    {
        using var memory = new CountingMemory(ZmqMessage.ZeroCopyThreshold - 1);
        memory.Array[0] = 42;

        using var message = ZmqMessage.ZeroCopy(memory.Memory, out var tracker);
        memory.Array[0] = 7;

        Assert.That(tracker.IsDone, Is.True);
        Assert.That(tracker.Wait(TimeSpan.Zero), Is.True);
        Assert.That(memory.Pins, Is.Zero, "copied, not pinned");
        Assert.That(message.Size, Is.EqualTo(memory.Array.Length));
        Assert.That(message.Data[0], Is.EqualTo(42), "the message holds a copy taken when it was made");
    }

    // A zero-copy message disposed without being sent gives the memory back at once.
    [Test]
    public void ZeroCopy_DisposedUnsent_ReleasesOnce()
    {
        using var memory = new CountingMemory(Large);
        var message = ZmqMessage.ZeroCopy(memory.Memory, out var tracker);
        Assert.That(tracker.IsDone, Is.False);
        Assert.That(message.Size, Is.EqualTo(Large));

        message.Dispose();

        Assert.That(tracker.IsDone, Is.True);
        Assert.That((memory.Pins, memory.Unpins), Is.EqualTo((1, 1)));
    }

    // A refused send leaves the message (and the pin) with the caller; rebuilding it releases.
    [Test]
    public void ZeroCopy_RefusedSendThenRebuild_KeepsThenReleasesOnce()
    {
        using var context = NewContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        using var memory = new CountingMemory(Large);
        using var message = ZmqMessage.ZeroCopy(memory.Memory, out var tracker);

        Assert.That(push.TrySend(message), Is.False, "no peer");
        Assert.That(message.Size, Is.EqualTo(Large), "the caller still has it");
        Assert.That(tracker.IsDone, Is.False);

        message.Rebuild(0);

        Assert.That(tracker.IsDone, Is.True);
        Assert.That((memory.Pins, memory.Unpins), Is.EqualTo((1, 1)));
    }

    // Many zero-copy messages in flight at once: every one arrives intact and every tracker
    // completes, each memory released exactly once.
    [Test]
    public void ZeroCopy_ManyMessages_EveryTrackerCompletes([Values("inproc", "tcp")] string transport)
    {
        const int Count = 200;
        using var context = NewContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.ReceiveHighWatermark = 0;
        string endpoint = BindAny(pull, transport);
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.SendHighWatermark = 0;
        push.Connect(endpoint);
        var memories = new List<CountingMemory>();
        var trackers = new List<ZmqMessageTracker>();
        for (int i = 0; i < Count; i++)
        {
            var memory = new CountingMemory(Large);
            memory.Array.AsSpan().Fill((byte)i);
            memories.Add(memory);
            using var message = ZmqMessage.ZeroCopy(memory.Memory, out var tracker);
            trackers.Add(tracker);
            Assert.That(push.TrySend(message, Wait), Is.True, $"message {i}");
        }

        using (var received = new ZmqMessage())
        {
            for (int i = 0; i < Count; i++)
            {
                Assert.That(pull.TryReceive(received, Wait), Is.True, $"message {i}");
                Assert.That(received.Size, Is.EqualTo(Large));
                Assert.That(received.Data.IndexOfAnyExcept((byte)i), Is.EqualTo(-1), $"message {i} intact");
            }
        }

        Assert.That(Task.WaitAll(trackers.Select(t => t.Completion).ToArray(), Wait), Is.True, "every tracker completed");
        Assert.That(memories.Select(m => (m.Pins, m.Unpins)), Is.All.EqualTo((1, 1)));
    }

    /// <summary>Memory over an array that counts how often it is pinned and unpinned.</summary>
    private sealed unsafe class CountingMemory : MemoryManager<byte>
    {
        private int _pins;
        private int _unpins;

        public CountingMemory(int size) => Array = new byte[size];

        public byte[] Array { get; }

        public int Pins => Volatile.Read(ref _pins);

        public int Unpins => Volatile.Read(ref _unpins);

        public override Span<byte> GetSpan() => Array;

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            Interlocked.Increment(ref _pins);
            var handle = GCHandle.Alloc(Array, GCHandleType.Pinned);
            return new MemoryHandle((byte*)handle.AddrOfPinnedObject() + elementIndex, handle, this);
        }

        // Called by MemoryHandle.Dispose, i.e. when ZmqNative's release callback runs.
        public override void Unpin() => Interlocked.Increment(ref _unpins);

        protected override void Dispose(bool disposing)
        {
        }
    }
}
