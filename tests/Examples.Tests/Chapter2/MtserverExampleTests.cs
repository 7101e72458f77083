using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide mtserver`: worker threads behind a ROUTER/DEALER proxy over inproc.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class MtserverExampleTests
{
    [Test]
    public void Mtserver_TwoClientsAtOnce_EveryRequestAnsweredByTheWorkerThreads()
    {
        var endpoint = Chapter2Harness.FreeEndpoint();
        using var server = ZguideProcess.Start("mtserver", "--bind", endpoint.Bind, "--workers", "3", "--work-ms", "10");
        using var client1 = ZguideProcess.Start("rrclient", "--connect", endpoint.Connect, "--requests", "5");
        using var client2 = ZguideProcess.Start("rrclient", "--connect", endpoint.Connect, "--requests", "5");

        foreach (var client in new[] { client1, client2 })
        {
            Assert.That(client.WaitForExit(Chapter2Harness.Wait), Is.EqualTo(0), string.Join('\n', client.Errors));
            Assert.That(client.Lines, Is.EqualTo(Enumerable.Range(0, 5).Select(i => $"Received reply {i} [World]")));
        }

        server.WaitForLines(l => l == "Received request: [Hello]", 10, Chapter2Harness.Wait);
        Assert.That(server.Lines, Has.All.EqualTo("Received request: [Hello]"));
        Assert.That(server.Errors, Is.Empty);
    }
}
