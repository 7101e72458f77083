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

    /// <summary>
    /// One task's lock-free attempt is inside the socket when another task starts a send (made
    /// to happen with a hook): the second waits for the first to leave instead of taking it for
    /// a synchronous call on another thread (InvalidOperationException); both messages go out.
    /// </summary>
    [Test]
    public async Task SendWhileAnotherTasksLockFreeAttemptIsInside_WaitsForIt()
    {
        using var context = new ZmqContext();
        var (push, pull) = AsyncSemanticsTests.PushPull(context);
        using (push)
        using (pull)
        {
            var state = push.AsyncState;
            using var waiting = new ManualResetEventSlim(false);
            Task? second = null;
            state.TestHoldWaitHook = () => waiting.Set();
            state.TestFastPathHook = () =>
            {
                state.TestFastPathHook = null;
                second = Task.Run(async () => await push.SendAsync("second"));
                // Until the second send waits for this attempt, or failed instead of waiting.
                SpinWait.SpinUntil(() => waiting.IsSet || second.IsCompleted, Wait);
            };

            await push.SendAsync("first");
            Assert.That(second, Is.Not.Null, "the first send made no lock-free attempt");
            await second!.WaitAsync(Wait);
            state.TestHoldWaitHook = null;
            Assert.That(waiting.IsSet, Is.True, "the second send never waited for the first");
            Assert.That(pull.ReceiveString(), Is.EqualTo("first"));
            Assert.That(pull.ReceiveString(), Is.EqualTo("second"));
        }
    }

    /// <summary>
    /// Many tasks send on one socket at once while a reader drains it: the lock-free attempts of
    /// some meet the locked path of others (and each other) all the time. None may take another
    /// task's attempt for a synchronous call (InvalidOperationException), and every message arrives.
    /// </summary>
    [Test]
    public async Task ManyTasksSendingAtOnce_NeverMeetTheOneThreadRule_AndLoseNothing()
    {
        const int Tasks = 8, PerTask = 20_000;
        using var context = new ZmqContext();
        var (push, pull) = AsyncSemanticsTests.PushPull(context, hwm: 0); // no waiting: the sends stay on the lock-free path
        using (push)
        using (pull)
        {
            var reader = Task.Run(async () =>
            {
                var counts = new int[Tasks];
                var frame = new byte[8];
                for (int i = 0; i < Tasks * PerTask; i++)
                {
                    await pull.ReceiveAsync(frame);
                    counts[frame[0]]++;
                }

                return counts;
            });
            using var start = new ManualResetEventSlim(false);
            var senders = Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
            {
                start.Wait();
                var frame = new byte[] { (byte)t, 0, 0, 0 };
                for (int i = 0; i < PerTask; i++)
                {
                    await push.SendAsync(frame);
                }
            })).ToArray();
            start.Set();
            await Task.WhenAll(senders).WaitAsync(Wait);
            Assert.That(await reader.WaitAsync(Wait), Is.All.EqualTo(PerTask));
        }
    }
}
