using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter3;

/// <summary>`zguide lbbroker3`: the load-balancing broker in reactor style, clients asking repeatedly.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class Lbbroker3ExampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Test]
    public void Lbbroker3_SixClientsAskingTwice_EveryRequestAnsweredAndEveryWorkerUsed() =>
        LbbrokerExampleTests.ServesEveryClient("lbbroker3", requestsEach: 2, workerLine: "^(Worker-\\d): \\[005\\] HELLO$",
            "--requests", "2", "--interval-ms", "10");

    [Test]
    public void Lbbroker3_TwoFrameBackendMessages_DropsThemAndKeepsServing()
    {
        int frontend = ZguideProcess.FreePort();
        int backend = ZguideProcess.FreePort();
        using var broker = ZguideProcess.Start("lbbroker3", "--frontend", $"tcp://127.0.0.1:{frontend}", "--backend", $"tcp://127.0.0.1:{backend}",
            "--clients", "1", "--workers", "1", "--interval-ms", "50");
        broker.WaitForLine("Client-0: OK", Wait);

        // A DEALER on the backend: its "x" and "" arrive as two frames, [identity][x] and [identity][""],
        // not a REQ worker's [identity][""][body]. The broker used to index past the end of them and crash.
        using (var context = new ZmqContext())
        using (var rogue = context.CreateSocket(ZmqSocketType.Dealer))
        {
            rogue.Linger = TimeSpan.FromSeconds(5);
            rogue.Connect($"tcp://127.0.0.1:{backend}");
            rogue.Send("x");
            rogue.Send(ReadOnlySpan<byte>.Empty);
            broker.WaitForLines(l => l.StartsWith("E: invalid message from a worker", StringComparison.Ordinal), 2, Wait);
        }

        // Still serving: the client keeps getting answers after the bad messages.
        int answered = broker.Lines.Count(l => l == "Client-0: OK");
        broker.WaitForLines(l => l == "Client-0: OK", answered + 3, Wait);
        Assert.That(broker.Errors, Is.Empty);
    }
}
