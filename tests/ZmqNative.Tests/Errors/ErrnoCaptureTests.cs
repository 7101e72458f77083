using ZmqNative.Tests.Support;

namespace ZmqNative.Tests.Errors;

/// <summary>
/// errno is captured by the failing call itself (issue 16, item 4): read later with a separate
/// zmq_errno(), the first failure of a process reported whatever the runtime's lazy binding of
/// zmq_errno left in errno ("errno 203" for an EINVAL).
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public class ErrnoCaptureTests
{
    [Test]
    public void FirstFailureOfAProcess_ReportsTheErrnoOfThatCall()
    {
        var (exitCode, stdout, stderr) = ChildProcess.Run(ChildProcess.FirstFailureErrno);

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout.Trim(), Is.EqualTo("EINVAL"), "zmq_ctx_set(ZMQ_IO_THREADS, -1) as the first failure of a fresh process");
    }

    [Test]
    public void TrySend_NoPeer_ReadsEagainRightAfterTheNonBlockingCall()
    {
        // The [SuppressGCTransition] attempt captures nothing itself; its errno is read at once.
        using var context = new ZmqContext();
        using var push = context.CreateSocket(ZmqSocketType.Push);

        Assert.That(push.TrySend("nobody listens"u8), Is.False);
        Assert.That(push.TrySend(new ZmqMessage("nobody listens")), Is.False);
    }
}
