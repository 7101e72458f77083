using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter1;

/// <summary>`zguide hwserver` and `zguide hwclient`: the Guide's request-reply hello world, as two processes over tcp.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class HwServerExampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public void HwClient_AgainstHwServer_GetsAWorldForEveryHello()
    {
        int port = ZguideProcess.FreePort();
        using var server = ZguideProcess.Start("hwserver", "--bind", $"tcp://127.0.0.1:{port}", "--work-ms", "0", "--requests", "3");
        using var client = ZguideProcess.Start("hwclient", "--connect", $"tcp://127.0.0.1:{port}", "--requests", "3");

        Assert.That(client.WaitForExit(Timeout), Is.EqualTo(0), string.Join('\n', client.Errors));
        Assert.That(server.WaitForExit(Timeout), Is.EqualTo(0), string.Join('\n', server.Errors));

        Assert.That(client.Lines, Is.EqualTo(new[]
        {
            "Connecting to hello world server...",
            "Sending Hello 0...", "Received World 0",
            "Sending Hello 1...", "Received World 1",
            "Sending Hello 2...", "Received World 2",
        }));
        Assert.That(server.Lines, Is.EqualTo(Enumerable.Repeat("Received Hello", 3)));
    }

    [Test]
    public void HwServer_UnknownOption_ExitsWithUsage()
    {
        var result = Zguide.Run(["hwserver", "--work", "5"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("unknown option: --work").And.Contain("--work-ms"));
    }
}
