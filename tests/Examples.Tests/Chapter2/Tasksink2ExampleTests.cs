namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide tasksink2`: the pipeline's sink, which publishes KILL when the batch is done.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class Tasksink2ExampleTests
{
    [Test]
    public void Tasksink2_BatchDone_CountsEveryResultAndKillsTheWorker() =>
        Chapter2Harness.PipelineEndsWithKill(workers: 1, tasks: 8);
}
