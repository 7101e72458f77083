using System.Runtime.InteropServices;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter2;

/// <summary>`zguide interrupt`: a REP server that ends cleanly on SIGINT (Ctrl-C) or SIGTERM.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class InterruptExampleTests
{
    [TestCase(PosixSignal.SIGINT)]
    [TestCase(PosixSignal.SIGTERM)]
    public void Interrupt_SignalWhileBlockedInReceive_CleansUpAndExitsWithZero(PosixSignal signal)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("sends POSIX signals with kill(2)");
        }

        EndsOnSignal(ZguideProcess.Start, signal);
    }

    /// <summary>
    /// Started with SIGINT ignored (a background job of a shell without job control): .NET installs no
    /// handler for an ignored SIGINT, so the server used to ignore Ctrl-C for ever, stuck after "W: recv".
    /// </summary>
    [Test]
    public void Interrupt_SigintIgnoredOnEntry_StillEndsOnSigint()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("the example takes SIGINT back on Linux only (it reads /proc/self/status)");
        }

        EndsOnSignal(ZguideProcess.StartWithSigintIgnored, PosixSignal.SIGINT);
    }

    private static void EndsOnSignal(Func<string[], ZguideProcess> start, PosixSignal signal)
    {
        var endpoint = Chapter2Harness.FreeEndpoint();
        using var server = start(["interrupt", "--bind", endpoint.Bind]);
        server.WaitForLine("W: waiting for requests", Chapter2Harness.Wait);

        // One request first: the server answers (it echoes), then blocks in the next receive.
        using (var context = new ZmqContext())
        using (var client = context.CreateSocket(ZmqSocketType.Req))
        {
            client.Connect(endpoint.Connect);
            client.Send("Hello");
            Assert.That(client.TryReceiveString(Chapter2Harness.Wait, out var reply), Is.True, "the server answered");
            Assert.That(reply, Is.EqualTo("Hello"));
        }

        server.WaitForLine("W: recv", Chapter2Harness.Wait);
        Chapter2Harness.SendSignal(server.Id, signal);

        Assert.That(server.WaitForExit(Chapter2Harness.Wait), Is.EqualTo(0), string.Join('\n', server.Errors));
        Assert.That(server.Lines[^2..], Is.EqualTo(new[] { "W: interrupt received, killing server...", "W: cleaning up" }));
    }
}
