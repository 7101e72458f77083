namespace ZmqNative.Tests.Async;

/// <summary>
/// <see cref="ZmqSocket.SendMultipartAsync(IEnumerable{ZmqMessage}, CancellationToken)"/>: the
/// ownership rules of the synchronous form (sent: every message left empty; canceled or failed:
/// nothing sent, every message keeps its content), its argument checks, and no allocation when
/// it completes at once.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
[NonParallelizable]
public class AsyncMultipartMessageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Sent_ArrivesWhole_AndEveryMessageIsLeftEmpty()
    {
        using var context = new ZmqContext();
        var (push, pull) = AsyncSemanticsTests.PushPull(context);
        using (push)
        using (pull)
        {
            using var a = new ZmqMessage("alpha");
            using var b = new ZmqMessage("");
            using var c = new ZmqMessage("gamma");
            await push.SendMultipartAsync(new[] { a, b, c });
            Assert.That(new[] { a.Size, b.Size, c.Size }, Is.All.EqualTo(0), "sent messages keep content that libzmq owns now");

            var frames = await pull.ReceiveMultipartAsync().AsTask().WaitAsync(Wait);
            Assert.That(frames.Select(f => System.Text.Encoding.UTF8.GetString(f)), Is.EqualTo(new[] { "alpha", "", "gamma" }));

            // A lazy enumerable is read once.
            using var d = new ZmqMessage("delta");
            await push.SendMultipartAsync(Enumerable.Repeat(d, 1));
            Assert.That((await pull.ReceiveMultipartAsync().AsTask().WaitAsync(Wait)).Count, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task WaitingAtTheHighWaterMark_ThenCanceled_SendsNothing_AndKeepsEveryMessage()
    {
        using var context = new ZmqContext();
        var (push, pull) = AsyncSemanticsTests.PushPull(context, hwm: 1);
        using (push)
        using (pull)
        {
            int filler = 0;
            while (push.TrySend([(byte)filler]))
            {
                filler++;
            }

            using var a = new ZmqMessage("first");
            using var b = new ZmqMessage("second");
            using var cancel = new CancellationTokenSource();
            var send = push.SendMultipartAsync(new[] { a, b }, cancel.Token).AsTask();
            await Task.Delay(20);
            Assert.That(send.IsCompleted, Is.False, "a send into a full pipe completed");
            cancel.Cancel();
            Assert.That(async () => await send.WaitAsync(Wait), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(a.ToString(), Is.EqualTo("first"));
            Assert.That(b.ToString(), Is.EqualTo("second"));

            // Only the filler arrives; the canceled message never does.
            var frame = new byte[8];
            for (int i = 0; i < filler; i++)
            {
                Assert.That(await pull.ReceiveAsync(frame).AsTask().WaitAsync(Wait), Is.EqualTo(1));
            }

            Assert.That(pull.TryReceive(frame, TimeSpan.FromMilliseconds(100), out _), Is.False, "a canceled multipart send delivered something");

            // The kept messages can be sent again.
            await push.SendMultipartAsync(new[] { a, b }).AsTask().WaitAsync(Wait);
            Assert.That((await pull.ReceiveMultipartAsync().AsTask().WaitAsync(Wait)).Count, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task WaitingWhenTheSocketIsDisposed_FailsWithObjectDisposed_AndKeepsEveryMessage()
    {
        using var context = new ZmqContext();
        var (push, pull) = AsyncSemanticsTests.PushPull(context, hwm: 1);
        using (pull)
        {
            while (push.TrySend([0]))
            {
            }

            using var a = new ZmqMessage("kept");
            var send = push.SendMultipartAsync(new[] { a }).AsTask();
            await Task.Delay(20);
            push.Dispose();
            Assert.That(async () => await send.WaitAsync(Wait), Throws.InstanceOf<ObjectDisposedException>());
            Assert.That(a.ToString(), Is.EqualTo("kept"));
        }
    }

    [Test]
    public void BadFrames_AreRejectedAtTheCall_AndNothingIsSent()
    {
        using var context = new ZmqContext();
        var (push, pull) = AsyncSemanticsTests.PushPull(context);
        using (push)
        using (pull)
        {
            using var a = new ZmqMessage("a");
            var disposed = new ZmqMessage("x");
            disposed.Dispose();
            Assert.That(() => push.SendMultipartAsync(Array.Empty<ZmqMessage>()), Throws.ArgumentException);
            Assert.That(() => push.SendMultipartAsync(new[] { a, null! }), Throws.ArgumentException);
            Assert.That(() => push.SendMultipartAsync(new[] { a, a }), Throws.ArgumentException.With.Message.Contains("same message"));
            Assert.That(() => push.SendMultipartAsync(new[] { a, disposed }), Throws.ArgumentException.With.Message.Contains("disposed"));
            Assert.That(() => push.SendMultipartAsync((IEnumerable<ZmqMessage>)null!), Throws.ArgumentNullException);

            var many = Enumerable.Range(0, 20).Select(i => new ZmqMessage("m")).ToList();
            many.Add(many[3]);
            Assert.That(() => push.SendMultipartAsync(many), Throws.ArgumentException.With.Message.Contains("same message"), "past 16 frames too");
            many.RemoveAt(many.Count - 1);
            many.ForEach(m => m.Dispose());

            Assert.That(a.ToString(), Is.EqualTo("a"));
            Assert.That(pull.TryReceive(new byte[4], out _), Is.False, "a rejected call sent something");
        }
    }

    /// <remarks>Counted on the calling thread: every send here completes at once, on it.</remarks>
    [Test]
    public async Task CompletedAtOnce_AllocatesNothing()
    {
        using var context = new ZmqContext();
        var (push, pull) = AsyncSemanticsTests.PushPull(context, hwm: 0);
        using (push)
        using (pull)
        {
            using var a = new ZmqMessage();
            using var b = new ZmqMessage();
            var frames = new[] { a, b };

            long Round(int count)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < count; i++)
                {
                    a.Rebuild(8);
                    b.Rebuild(8);
                    var send = push.SendMultipartAsync(frames);
                    if (!send.IsCompletedSuccessfully)
                    {
                        throw new AssertionException("a send to an unbounded pipe had to wait");
                    }

                    send.GetAwaiter().GetResult();
                }

                return GC.GetAllocatedBytesForCurrentThread() - before;
            }

            Round(2_000); // warm-up (tiered compilation)
            long bytes = Round(10_000);
            Assert.That(bytes, Is.LessThan(1_000), $"{bytes} bytes for 10,000 sends");
            await Task.CompletedTask;
        }
    }
}
