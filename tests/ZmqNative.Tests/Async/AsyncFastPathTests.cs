using System.Text;

namespace ZmqNative.Tests.Async;

/// <summary>
/// The retries an idle socket's operation makes before it is queued for the reactor: a message
/// (or room) that arrives meanwhile completes the call on the caller's thread, and a cancellation
/// meanwhile still ends it without taking anything. The arrival is made to happen inside the
/// retries through a test hook, so nothing here depends on timing.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
[NonParallelizable]
public class AsyncFastPathTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test]
    public async Task ReceiveAsync_MessageArrivesDuringTheRetries_CompletesAtOnce()
    {
        using var context = new ZmqContext();
        var (push, pull) = AsyncSemanticsTests.PushPull(context);
        using (push)
        using (pull)
        {
            var buffer = new byte[16];
            int hooked = 0;
            pull.AsyncState.TestRetryHook = i =>
            {
                if (i == 0)
                {
                    hooked++;
                    push.Send("late"); // another socket: its command reaches pull's mailbox now
                }
            };

            var receive = pull.ReceiveAsync(buffer);
            pull.AsyncState.TestRetryHook = null;
            Assert.That(hooked, Is.EqualTo(1), "the receive made no retry");
            Assert.That(receive.IsCompletedSuccessfully, Is.True, "a message that arrived during the retries was left to the reactor");
            Assert.That(await receive, Is.EqualTo(4));
            Assert.That(Encoding.ASCII.GetString(buffer, 0, 4), Is.EqualTo("late"));
            Assert.That(pull.HasPendingAsync, Is.False);
        }
    }

    [Test]
    public async Task SendAsync_RoomFreedDuringTheRetries_CompletesAtOnce()
    {
        using var context = new ZmqContext();
        var (push, pull) = AsyncSemanticsTests.PushPull(context, hwm: 1);
        using (push)
        using (pull)
        {
            int sent = 0;
            while (push.TrySend([(byte)sent]))
            {
                sent++;
                Assert.That(sent, Is.LessThan(100), "a HWM of 1 never filled up");
            }

            int drained = 0;
            push.AsyncState.TestRetryHook = i =>
            {
                if (i == 0)
                {
                    // The reader takes everything queued: libzmq tells the writer it has room.
                    var frame = new byte[1];
                    while (pull.TryReceive(frame, out _))
                    {
                        drained++;
                    }
                }
            };

            var send = push.SendAsync(new byte[] { 200 });
            push.AsyncState.TestRetryHook = null;
            Assert.That(drained, Is.EqualTo(sent), "the hook did not drain the pipe");
            Assert.That(send.IsCompletedSuccessfully, Is.True, "room freed during the retries was left to the reactor");
            await send;
            var last = new byte[1];
            Assert.That(await pull.ReceiveAsync(last).AsTask().WaitAsync(Wait), Is.EqualTo(1));
            Assert.That(last[0], Is.EqualTo(200));
        }
    }

    [Test]
    public async Task ReceiveAsync_CanceledDuringTheRetries_EndsCanceled_AndTakesNothing()
    {
        using var context = new ZmqContext();
        var (push, pull) = AsyncSemanticsTests.PushPull(context);
        using (push)
        using (pull)
        {
            using var cancel = new CancellationTokenSource();
            int retries = 0;
            pull.AsyncState.TestRetryHook = i =>
            {
                retries = i + 1;
                if (i == 2)
                {
                    cancel.Cancel();
                }
            };

            var receive = pull.ReceiveStringAsync(cancel.Token).AsTask();
            pull.AsyncState.TestRetryHook = null;
            Assert.That(retries, Is.EqualTo(3), "the retries did not stop at the cancellation");
            Assert.That(async () => await receive.WaitAsync(Wait), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(pull.HasPendingAsync, Is.False);

            push.Send("after");
            Assert.That(await pull.ReceiveStringAsync().AsTask().WaitAsync(Wait), Is.EqualTo("after"), "the socket lost its next message");
        }
    }
}
