using System.Runtime.InteropServices;
using ZmqNative.Examples.Tests.Chapter2;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Async;

/// <summary>
/// `zguide asyncawait`: many tasks sending on one PUSH socket, a ReadAllAsync loop and a ROUTER
/// loop on one token, requests with a CancelAfter timeout over DEALER/ROUTER.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public class AsyncAwaitExampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public void AsyncAwait_SmallCounts_EveryMessageInProducerOrderAndTheSlowRequestTimesOut()
    {
        // HWM 2 on both sides: 20 tasks x 5 sends meet back-pressure, so sends queue and wait.
        // The timeout is generous (2 s) so that the fast requests never miss it on a busy machine;
        // the slow one is answered only after four timeouts.
        var result = Zguide.Run(
            ["asyncawait", "--producers", "20", "--messages", "5", "--hwm", "2", "--requests", "3", "--timeout-ms", "2000"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        var lines = Lines(result.Stdout);
        Assert.That(lines, Does.Contain("producers: 20 tasks sent 100 messages through one PUSH socket with SendAsync, 0 InvalidOperationException"));
        Assert.That(lines, Does.Contain("consumer: received 100 messages from 20 producers, each producer's in order"));
        Assert.That(lines, Does.Contain("request 1: reply to request 1"));
        Assert.That(lines, Does.Contain("request 2: no reply within 2000 ms, timed out (OperationCanceledException)"));
        Assert.That(lines, Does.Contain("request 3: reply to request 3"));
        Assert.That(lines, Does.Contain("requests: 2 answered, 1 timed out"));
        Assert.That(lines[^2..], Is.EqualTo(new[] { "consumer: stopped cleanly after 100 messages", "server: stopped cleanly after 3 requests" }));
    }

    [Test]
    public void AsyncAwait_Duration_TheTokenEndsBothLoopsAndItExitsByItself()
    {
        var result = Zguide.Run(["asyncawait", "--producers", "4", "--messages", "3", "--requests", "1", "--duration-ms", "300"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        var lines = Lines(result.Stdout);
        Assert.That(lines, Does.Contain("running for 300 ms or until Ctrl+C"));
        Assert.That(lines[^2..], Is.EqualTo(new[] { "consumer: stopped cleanly after 12 messages", "server: stopped cleanly after 1 requests" }));
    }

    /// <summary>
    /// Left running (--duration-ms -1), both loops wait in an awaited receive with nothing to
    /// come; SIGINT cancels their token, and the process ends by itself, with 0. Also started with
    /// SIGINT ignored on entry (a background job of a shell without job control), which .NET
    /// would otherwise never deliver.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void AsyncAwait_SigintWhileWaiting_BothLoopsStopCleanlyAndExitZero(bool sigintIgnoredOnEntry)
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("sends SIGINT with kill(2); the ignored-on-entry case is taken back on Linux only");
        }

        string[] arguments = ["asyncawait", "--producers", "4", "--messages", "3", "--requests", "1", "--duration-ms", "-1"];
        using var example = sigintIgnoredOnEntry ? ZguideProcess.StartWithSigintIgnored(arguments) : ZguideProcess.Start(arguments);
        example.WaitForLine("running until Ctrl+C", Chapter2Harness.Wait);

        Chapter2Harness.SendSignal(example.Id, PosixSignal.SIGINT);

        Assert.That(example.WaitForExit(Chapter2Harness.Wait), Is.EqualTo(0), string.Join('\n', example.Errors));
        Assert.That(example.Lines[^2..], Is.EqualTo(new[] { "consumer: stopped cleanly after 12 messages", "server: stopped cleanly after 1 requests" }));
    }

    [Test]
    public void AsyncAwait_BadCount_IsAUsageErrorWithExitCode2()
    {
        var result = Zguide.Run(["asyncawait", "--producers", "0"], Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("--producers"));
    }

    private static string[] Lines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
