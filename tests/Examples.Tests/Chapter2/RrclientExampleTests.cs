using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide rrclient`: a REQ client whose requests go through a broker to a worker.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class RrclientExampleTests
{
    [Test]
    public void Rrclient_ThroughBrokerToWorker_PrintsEveryNumberedReply()
    {
        var frontend = Chapter2Harness.FreeEndpoint();
        var backend = Chapter2Harness.FreeEndpoint();
        using var broker = ZguideProcess.Start("rrbroker", "--frontend", frontend.Bind, "--backend", backend.Bind);
        using var worker = ZguideProcess.Start("rrworker", "--connect", backend.Connect, "--work-ms", "0");

        var client = Zguide.Run(["rrclient", "--connect", frontend.Connect, "--requests", "4"], Chapter2Harness.Wait);

        Assert.That(client.ExitCode, Is.EqualTo(0), client.Stderr);
        Assert.That(client.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')), Is.EqualTo(new[]
        {
            "Received reply 0 [World]",
            "Received reply 1 [World]",
            "Received reply 2 [World]",
            "Received reply 3 [World]",
        }));
        Assert.That(worker.WaitForLines(l => l == "Received request: [Hello]", 4, Chapter2Harness.Wait), Has.Count.EqualTo(4));
    }
}
