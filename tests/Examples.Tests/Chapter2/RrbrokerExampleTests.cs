namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide rrbroker`: a ROUTER/DEALER broker with a poll loop.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class RrbrokerExampleTests
{
    [Test]
    public void Rrbroker_TwoClientsTwoWorkers_EveryReplyReachesItsClientAndBothWorkersServe() =>
        Chapter2Harness.BrokerServesClientsWithWorkers("rrbroker");
}
