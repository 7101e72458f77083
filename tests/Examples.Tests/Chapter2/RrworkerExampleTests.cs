using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide rrworker`: a REP worker that connects to a broker's backend.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class RrworkerExampleTests
{
    [Test]
    public void Rrworker_RequestsBound_AnswersThatManyAndExits()
    {
        var frontend = Chapter2Harness.FreeEndpoint();
        var backend = Chapter2Harness.FreeEndpoint();
        using var broker = ZguideProcess.Start("msgqueue", "--frontend", frontend.Bind, "--backend", backend.Bind);
        using var worker = ZguideProcess.Start("rrworker", "--connect", backend.Connect, "--requests", "3", "--work-ms", "10");

        var client = Zguide.Run(["rrclient", "--connect", frontend.Connect, "--requests", "3"], Chapter2Harness.Wait);

        Assert.That(client.ExitCode, Is.EqualTo(0), client.Stderr);
        Assert.That(client.Stdout, Does.Contain("Received reply 2 [World]"));
        Assert.That(worker.WaitForExit(Chapter2Harness.Wait), Is.EqualTo(0), string.Join('\n', worker.Errors));
        Assert.That(worker.Lines, Is.EqualTo(Enumerable.Repeat("Received request: [Hello]", 3)));
    }
}
