using ZmqNative.Interop;

namespace ZmqNative.Tests.Messages;

/// <summary>
/// Frames of 2 GiB and more (issue 16, item 7): their size does not fit an int, so every int-sized
/// view (Size, Data, ToArray, a receive into a span) throws <see cref="ZmqFrameTooLargeException"/>
/// instead of reporting a wrong size or reading past the end; <see cref="ZmqMessage.LongSize"/>
/// has the size. The frame is real (2 GiB + 16 bytes over inproc) but never touched: libzmq
/// allocates it with malloc and inproc hands the same memory on, so its pages are never written
/// and cost address space, not memory.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public unsafe class LargeFrameTests
{
    private const long Huge = (1L << 31) + 16;

    [Test]
    public void Receive_FrameOfMoreThanIntMaxValueBytes_HasItsLongSizeAndNoIntViews()
    {
        using var pair = HugePair.Create();
        pair.SendHugeFrame();

        using var message = new ZmqMessage();
        Assert.That(pair.Pull.TryReceive(message, TimeSpan.FromSeconds(10)), Is.True);

        Assert.That(message.LongSize, Is.EqualTo(Huge));
        var error = Assert.Throws<ZmqFrameTooLargeException>(() => _ = message.Size)!;
        Assert.That(error.FrameSize, Is.EqualTo(Huge));
        Assert.That(error.Message, Does.Contain("MaxMessageSize"));
        Assert.That(() => message.Data.Length, Throws.TypeOf<ZmqFrameTooLargeException>());
        Assert.That(() => message.ToArray(), Throws.TypeOf<ZmqFrameTooLargeException>());
    }

    [Test]
    public void ReceiveIntoSpan_FrameOfMoreThanIntMaxValueBytes_ThrowsInsteadOfAWrongSize()
    {
        using var pair = HugePair.Create();
        pair.SendHugeFrame();
        pair.Pull.ReceiveTimeout = TimeSpan.FromSeconds(10);
        var buffer = new byte[64];

        // zmq_recv reports int.MaxValue for it (its size clipped), which is not the frame's size.
        Assert.That(() => pair.Pull.Receive(buffer), Throws.TypeOf<ZmqFrameTooLargeException>());
    }

    /// <summary>A PUSH/PULL pair over inproc that can send a frame of <see cref="Huge"/> bytes.</summary>
    private sealed class HugePair : IDisposable
    {
        private static int s_count;
        private readonly ZmqContext _context = new();

        private HugePair()
        {
            string endpoint = "inproc://huge-" + Interlocked.Increment(ref s_count);
            Pull = _context.CreateSocket(ZmqSocketType.Pull);
            Pull.Bind(endpoint);
            Push = _context.CreateSocket(ZmqSocketType.Push);
            Push.Connect(endpoint);
        }

        public ZmqSocket Pull { get; }

        public ZmqSocket Push { get; }

        public static HugePair Create()
        {
            Assume.That(Environment.Is64BitProcess, "a frame of 2 GiB needs a 64-bit address space");
            return new HugePair();
        }

        /// <summary>Sends one frame of <see cref="Huge"/> bytes; the managed API cannot make one (its sizes are ints).</summary>
        public void SendHugeFrame()
        {
            LibZmq.zmq_msg_t msg;
            if (LibZmq.zmq_msg_init_size(&msg, (nuint)Huge) != 0)
            {
                Assert.Ignore("libzmq could not allocate a frame of 2 GiB: " + LibZmq.LastErrno());
            }

            using var lease = Push.Enter();
            int rc = LibZmq.zmq_msg_send(&msg, lease.Socket, 0);
            if (rc == -1)
            {
                LibZmq.zmq_msg_close(&msg);
            }

            Assert.That(rc, Is.EqualTo(int.MaxValue), "zmq_msg_send reports the size clipped to int.MaxValue");
        }

        public void Dispose() => _context.Dispose();
    }
}
