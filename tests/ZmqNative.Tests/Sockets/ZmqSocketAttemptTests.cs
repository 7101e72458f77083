using System.Text;
using ZmqNative.Interop;

namespace ZmqNative.Tests.Sockets;

/// <summary>
/// The attempt seam under every send and receive (ZmqSocket.Attempts.cs): one non-blocking call,
/// its outcome done, would block or failed(errno), never an exception for EAGAIN. A sync Try* and
/// an async completion both stand on it, so each outcome is checked with a real socket, on the
/// fast path (a socket that is not thread-safe) and on the slow one (a thread-safe socket, whose
/// calls keep the GC transition and read the errno their stub captured).
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class ZmqSocketAttemptTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void AttemptReceive_EmptyPull_WouldBlockWithEagain()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://attempt-empty");
        using var message = new ZmqMessage();

        var intoSpan = pull.AttemptReceive(new byte[8], out int size);
        var intoMessage = pull.AttemptReceive(message);

        Assert.That(intoSpan.IsWouldBlock, Is.True, intoSpan.ToString());
        Assert.That(intoSpan.Errno, Is.EqualTo(Errno.EAGAIN));
        Assert.That(size, Is.Zero);
        Assert.That(intoMessage.IsWouldBlock, Is.True, intoMessage.ToString());
        Assert.That(intoMessage.ThrowIfFailed("zmq_msg_recv"), Is.False);
    }

    [Test]
    public void AttemptSend_PushWithoutPeer_WouldBlockAndKeepsTheMessage()
    {
        using var context = new ZmqContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Bind("inproc://attempt-nopeer");
        using var message = new ZmqMessage("kept"u8);

        var bytes = push.AttemptSend("x"u8, more: false);
        var frame = push.AttemptSend(message, more: false);

        Assert.That(bytes.IsWouldBlock, Is.True, bytes.ToString());
        Assert.That(frame.IsWouldBlock, Is.True, frame.ToString());
        Assert.That(message.ToString(), Is.EqualTo("kept"));
    }

    [Test]
    public void Attempts_PushToPull_AreDoneAndCarryTheFrames()
    {
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("inproc://attempt-done");
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect("inproc://attempt-done");
        using var sent = new ZmqMessage("second"u8);

        Assert.That(push.AttemptSend("first, longer than the buffer"u8, more: false).IsDone, Is.True);
        Assert.That(push.AttemptSend(sent, more: false).IsDone, Is.True);
        Assert.That(sent.Size, Is.Zero, "a sent message is left empty");

        var buffer = new byte[5];
        Assert.That(pull.Poll(ZmqPollEvents.In, Wait), Is.EqualTo(ZmqPollEvents.In));
        var first = pull.AttemptReceive(buffer, out int size);
        using var received = new ZmqMessage();
        var second = pull.AttemptReceive(received);

        Assert.That(first.IsDone, Is.True, first.ToString());
        Assert.That(size, Is.EqualTo("first, longer than the buffer".Length), "the full size, truncated into the buffer");
        Assert.That(Encoding.UTF8.GetString(buffer), Is.EqualTo("first"));
        Assert.That(second.IsDone, Is.True, second.ToString());
        Assert.That(received.ToString(), Is.EqualTo("second"));
    }

    [Test]
    public void AttemptReceive_ReqBeforeItSent_FailsWithEfsmAndThrowsOnlyWhenMapped()
    {
        using var context = new ZmqContext();
        using var req = context.CreateSocket(ZmqSocketType.Req);
        req.Connect("inproc://attempt-efsm");
        using var message = new ZmqMessage();

        var intoSpan = req.AttemptReceive(new byte[8], out _);
        var intoMessage = req.AttemptReceive(message);

        Assert.That(intoSpan.IsFailed, Is.True, intoSpan.ToString());
        Assert.That(Errno.ToCode(intoSpan.Errno), Is.EqualTo(ZmqErrorCode.EFSM));
        Assert.That(Errno.ToCode(intoMessage.Errno), Is.EqualTo(ZmqErrorCode.EFSM));
        var error = Assert.Throws<ZmqException>(() => intoMessage.ThrowIfFailed("zmq_msg_recv"))!;
        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EFSM));
        Assert.That(error.Message, Does.Contain("zmq_msg_recv"));
    }

    [Test]
    public void AttemptSend_AfterContextShutdown_FailsWithEtermMappedToContextTerminated()
    {
        using var context = new ZmqContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);
        push.Bind("inproc://attempt-eterm");
        using var message = new ZmqMessage("x"u8);

        context.Shutdown();
        var bytes = push.AttemptSend("x"u8, more: false);
        var frame = push.AttemptSend(message, more: false);
        var receive = push.AttemptReceive(new byte[1], out _);

        Assert.That(bytes.IsFailed, Is.True, bytes.ToString());
        Assert.That(bytes.Errno, Is.EqualTo(Errno.ETERM));
        Assert.That(frame.Errno, Is.EqualTo(Errno.ETERM));
        Assert.That(receive.Errno, Is.EqualTo(Errno.ETERM));
        Assert.Throws<ContextTerminatedException>(() => bytes.ThrowIfFailed("zmq_send"));
    }

    [Test]
    public void Attempts_ThreadSafeSocket_TakeTheCapturedErrnoPath()
    {
        Assume.That(Zmq.Has("draft"), "SERVER and CLIENT are draft socket types");
        using var context = new ZmqContext();
        using var server = context.CreateSocket(ZmqSocketType.Server);
        server.Bind("inproc://attempt-threadsafe");
        using var client = context.CreateSocket(ZmqSocketType.Client);
        client.Connect("inproc://attempt-threadsafe");
        Assume.That(server.IsThreadSafe, Is.True);

        var empty = server.AttemptReceive(new byte[4], out _);
        Assert.That(client.AttemptSend("ping"u8, more: false).IsDone, Is.True);
        Assert.That(server.Poll(ZmqPollEvents.In, Wait), Is.EqualTo(ZmqPollEvents.In));
        using var received = new ZmqMessage();
        var done = server.AttemptReceive(received);
        var more = client.AttemptSend("x"u8, more: true); // CLIENT refuses multipart frames

        Assert.That(empty.IsWouldBlock, Is.True, empty.ToString());
        Assert.That(done.IsDone, Is.True, done.ToString());
        Assert.That(received.ToString(), Is.EqualTo("ping"));
        Assert.That(more.IsFailed, Is.True, more.ToString());
        Assert.That(Errno.ToCode(more.Errno), Is.EqualTo(ZmqErrorCode.EINVAL));
    }

    [Test]
    public void ZmqAttempt_FailedWithEagain_IsWouldBlock()
    {
        Assert.That(ZmqAttempt.Failed(Errno.EAGAIN).IsWouldBlock, Is.True);
        Assert.That(ZmqAttempt.Done.IsDone, Is.True);
        Assert.That(ZmqAttempt.Done.ThrowIfFailed("call"), Is.True);
        Assert.That(ZmqAttempt.Failed(Errno.EINTR).IsFailed, Is.True);
    }
}
