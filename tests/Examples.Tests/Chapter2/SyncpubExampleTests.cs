using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide syncpub`: a publisher that waits for its subscribers before publishing.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class SyncpubExampleTests
{
    [Test]
    public void Syncpub_ThreeSubscribers_WaitsForAllThenEveryOneGetsEveryUpdate() =>
        Chapter2Harness.SynchronisedPubSub(subscribers: 3, updates: 20_000);

    [Test]
    public void Syncpub_MultipartSyncRequest_AnswersItAndCountsTheSubscriber()
    {
        var publish = Chapter2Harness.FreeEndpoint();
        var sync = Chapter2Harness.FreeEndpoint();
        using var publisher = ZguideProcess.Start("syncpub", "--bind", publish.Bind, "--sync", sync.Bind, "--subscribers", "2", "--updates", "1");
        publisher.WaitForLine("Waiting for subscribers", Chapter2Harness.Wait);

        using var context = new ZmqContext();
        foreach (string[] request in new[] { new[] { "", "and more" }, new[] { "" } })
        {
            // A sync request of two frames: REP cannot reply to it unless both are read (EFSM), and used to die of it.
            using var subscriber = context.CreateSocket(ZmqSocketType.Req);
            subscriber.Connect(sync.Connect);
            subscriber.SendMultipart(request);
            Assert.That(subscriber.TryReceiveString(Chapter2Harness.Wait, out var reply), Is.True, "the sync request was answered");
            Assert.That(reply, Is.Empty);
        }

        // Both counted: it publishes and ends.
        Assert.That(publisher.WaitForExit(Chapter2Harness.Wait), Is.EqualTo(0), string.Join('\n', publisher.Errors));
        Assert.That(publisher.Lines, Does.Contain("Broadcasting messages"));
    }
}
