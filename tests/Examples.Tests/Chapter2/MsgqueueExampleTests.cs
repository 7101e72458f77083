namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide msgqueue`: the same broker with zmq_proxy doing the loop.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class MsgqueueExampleTests
{
    [Test]
    public void Msgqueue_TwoClientsTwoWorkers_EveryReplyReachesItsClientAndBothWorkersServe() =>
        Chapter2Harness.BrokerServesClientsWithWorkers("msgqueue");
}
