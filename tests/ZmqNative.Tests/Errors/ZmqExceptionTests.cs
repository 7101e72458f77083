using ZmqNative.Interop;

namespace ZmqNative.Tests.Errors;

/// <summary>
/// Errors carry libzmq's errno, its portable name and libzmq's text: EAGAIN, ETERM, EHOSTUNREACH
/// and EFSM as real calls produce them (ZmqSocketBasicsTests covers the simplest cases).
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public class ZmqExceptionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Test]
    public void Receive_BlockingWithReceiveTimeout_ThrowsEAGAINWithErrnoNameAndText()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);
        socket.Bind("inproc://eagain");
        socket.ReceiveTimeout = TimeSpan.FromMilliseconds(20);

        var error = Assert.Throws<ZmqException>(() => socket.Receive(new byte[8]))!;

        Assert.That(error, Is.Not.InstanceOf<ContextTerminatedException>());
        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EAGAIN));
        Assert.That(error.Errno, Is.EqualTo(Errno.ToErrno(ZmqErrorCode.EAGAIN)));
        Assert.That(error.ErrorName, Is.EqualTo("EAGAIN"));
        Assert.That(error.ErrorText, Is.EqualTo("Resource temporarily unavailable"));
        Assert.That(error.Operation, Is.EqualTo("zmq_recv"));
        Assert.That(error.Message, Is.EqualTo($"zmq_recv failed: EAGAIN ({error.Errno}): Resource temporarily unavailable"));
        Assert.That(() => socket.ReceiveString(), Throws.TypeOf<ZmqException>().With.Property(nameof(ZmqException.Error)).EqualTo(ZmqErrorCode.EAGAIN));
    }

    [Test]
    public void TryReceive_NothingWaiting_ReturnsFalseInsteadOfEAGAIN()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);
        socket.Bind("inproc://eagain-try");
        using var message = new ZmqMessage();

        Assert.That(socket.TryReceive(new byte[8], out int size), Is.False);
        Assert.That(size, Is.Zero);
        Assert.That(socket.TryReceive(message), Is.False);
        Assert.That(socket.TryReceive(message, TimeSpan.FromMilliseconds(20)), Is.False);
        Assert.That(socket.TryReceiveString(TimeSpan.Zero, out var text), Is.False);
        Assert.That(text, Is.Null);
    }

    [Test]
    public void Calls_AfterContextShutdown_ThrowContextTerminatedWithETERM()
    {
        using var context = new ZmqContext();
        using var socket = context.CreateSocket(ZmqSocketType.Pull);

        context.Shutdown();

        var error = Assert.Throws<ContextTerminatedException>(() => socket.TryReceive(new byte[8], out _))!;
        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.ETERM));
        Assert.That(error.Errno, Is.EqualTo(156384712 + 53), "ZMQ_HAUSNUMERO + 53 on every platform");
        Assert.That(error.ErrorName, Is.EqualTo("ETERM"));
        Assert.That(error.ErrorText, Is.EqualTo("Context was terminated"));
        Assert.That(() => socket.Bind("inproc://late"), Throws.TypeOf<ContextTerminatedException>());
        Assert.That(() => context.CreateSocket(ZmqSocketType.Push), Throws.TypeOf<ContextTerminatedException>());
    }

    [Test]
    public void Send_RouterMandatoryToAPeerThatLeft_ThrowsEHOSTUNREACH()
    {
        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.RouterMandatory = true;
        router.Bind("inproc://mandatory-left");
        var dealer = context.CreateSocket(ZmqSocketType.Dealer);
        dealer.RoutingId = "d"u8.ToArray();
        dealer.Connect("inproc://mandatory-left");
        dealer.Send("hello");
        Assert.That(router.TryReceiveMultipart(Wait, out var frames), Is.True);
        Assert.That(frames![0], Is.EqualTo("d"u8.ToArray()));
        router.SendMultipart(["d"u8.ToArray(), "welcome"u8.ToArray()]);

        dealer.Dispose();

        // The router learns asynchronously that the pipe is gone; until then sends still succeed.
        ZmqException? error = null;
        var deadline = DateTime.UtcNow + Wait;
        while (error is null && DateTime.UtcNow < deadline)
        {
            try
            {
                router.SendMultipart(["d"u8.ToArray(), "anyone?"u8.ToArray()]);
                Thread.Sleep(1);
            }
            catch (ZmqException e)
            {
                error = e;
            }
        }

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Error, Is.EqualTo(ZmqErrorCode.EHOSTUNREACH));
        Assert.That(error.ErrorText, Is.Not.Empty);
    }

    [Test]
    public void Receive_ReqBeforeSending_ThrowsEFSM()
    {
        using var context = new ZmqContext();
        using var req = context.CreateSocket(ZmqSocketType.Req);

        var error = Assert.Throws<ZmqException>(() => req.TryReceive(new byte[8], out _))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EFSM));
        Assert.That(error.ErrorText, Is.EqualTo("Operation cannot be accomplished in current state"));
    }

    [Test]
    public void Send_RepBeforeReceiving_ThrowsEFSM()
    {
        using var context = new ZmqContext();
        using var rep = context.CreateSocket(ZmqSocketType.Rep);

        var error = Assert.Throws<ZmqException>(() => rep.TrySend("reply"u8))!;

        Assert.That(error.Error, Is.EqualTo(ZmqErrorCode.EFSM));
        Assert.That(error.Operation, Is.EqualTo("zmq_send"));
    }

    [Test]
    public void Constructor_ErrnoNumbers_DescribeThemselves()
    {
        var known = new ZmqException(Errno.ToErrno(ZmqErrorCode.EADDRINUSE), "zmq_bind(tcp://127.0.0.1:1)");
        var unknown = new ZmqException(9999, "something");
        var plain = new ZmqException("a message");

        Assert.That(known.Error, Is.EqualTo(ZmqErrorCode.EADDRINUSE));
        Assert.That(known.Message, Does.StartWith("zmq_bind(tcp://127.0.0.1:1) failed: EADDRINUSE (").And.EndWith("): Address already in use"));
        Assert.That(unknown.Error, Is.EqualTo(ZmqErrorCode.Unknown));
        Assert.That(unknown.ErrorName, Is.EqualTo("errno 9999"));
        Assert.That(unknown.Message, Does.StartWith("something failed: errno 9999: "));
        Assert.That((plain.Errno, plain.Error, plain.Operation, plain.ErrorText), Is.EqualTo((0, ZmqErrorCode.Unknown, "", "")));
        Assert.That(ZmqException.FromErrno(Errno.ETERM, "x"), Is.TypeOf<ContextTerminatedException>());
        Assert.That(ZmqException.FromErrno(Errno.EAGAIN, "x"), Is.TypeOf<ZmqException>());
    }
}
