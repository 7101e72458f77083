namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide taskwork2`: a pipeline worker that polls its tasks and the sink's controller.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class Taskwork2ExampleTests
{
    [Test]
    public void Taskwork2_TwoWorkers_ShareTheBatchAndExitOnKill() =>
        Chapter2Harness.PipelineEndsWithKill(workers: 2, tasks: 12);
}
