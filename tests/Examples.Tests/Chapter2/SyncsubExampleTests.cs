namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide syncsub`: a subscriber that syncs with the publisher over REQ/REP, then counts.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class SyncsubExampleTests
{
    [Test]
    public void Syncsub_OneSubscriber_ReceivesEveryUpdateUntilEnd() =>
        Chapter2Harness.SynchronisedPubSub(subscribers: 1, updates: 1000);
}
