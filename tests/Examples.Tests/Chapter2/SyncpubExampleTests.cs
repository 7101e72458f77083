namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide syncpub`: a publisher that waits for its subscribers before publishing.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class SyncpubExampleTests
{
    [Test]
    public void Syncpub_ThreeSubscribers_WaitsForAllThenEveryOneGetsEveryUpdate() =>
        Chapter2Harness.SynchronisedPubSub(subscribers: 3, updates: 20_000);
}
