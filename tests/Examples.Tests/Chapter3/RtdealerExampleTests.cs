namespace ZmqNative.Examples.Tests.Chapter3;

/// <summary>`zguide rtdealer`: rtreq with DEALER workers, which handle the empty delimiter themselves.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class RtdealerExampleTests
{
    [Test]
    public void Rtdealer_FourWorkersTwoSeconds_EveryWorkerWorkedAndTheCountsAddUp() => RtreqExampleTests.EveryWorkerWorked("rtdealer");
}
