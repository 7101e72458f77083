namespace ZmqNative.Examples.Tests.Chapter3;

/// <summary>`zguide lbbroker2`: the load-balancing broker with actors and whole-message helpers (the Guide's czmq version).</summary>
[TestFixture]
[CancelAfter(120_000)]
public class Lbbroker2ExampleTests
{
    [Test]
    public void Lbbroker2_SixClientsThreeWorkers_EveryClientAnsweredAndEveryWorkerUsed() =>
        LbbrokerExampleTests.ServesEveryClient("lbbroker2", requestsEach: 1, workerLine: "^(Worker-\\d): \\[005\\] HELLO$");
}
