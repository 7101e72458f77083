namespace ZmqNative.Examples.Tests.Chapter3;

/// <summary>`zguide lbbroker3`: the load-balancing broker in reactor style, clients asking repeatedly.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class Lbbroker3ExampleTests
{
    [Test]
    public void Lbbroker3_SixClientsAskingTwice_EveryRequestAnsweredAndEveryWorkerUsed() =>
        LbbrokerExampleTests.ServesEveryClient("lbbroker3", requestsEach: 2, workerLine: "^(Worker-\\d): \\[005\\] HELLO$",
            "--requests", "2", "--interval-ms", "10");
}
