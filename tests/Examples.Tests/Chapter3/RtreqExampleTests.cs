using System.Globalization;
using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter3;

/// <summary>`zguide rtreq` and `zguide rtdealer`: a ROUTER hands out work to REQ or DEALER workers for a while, then fires them.</summary>
[TestFixture]
[CancelAfter(120_000)]
public class RtreqExampleTests
{
    [Test]
    public void Rtreq_FourWorkersTwoSeconds_EveryWorkerWorkedAndTheCountsAddUp() => EveryWorkerWorked("rtreq");

    [Test]
    public void Rtreq_NoWorkers_ExitsWithUsage()
    {
        var result = Zguide.Run(["rtreq", "--workers", "0"], TimeSpan.FromSeconds(30));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("--workers takes 1 or more"));
    }

    /// <summary>
    /// Runs the example with 4 workers for 2 seconds and checks that each worker printed
    /// "Completed: N tasks" with N above zero (the broker shared the work out), and that the
    /// workers' counts add up to what the broker says it handed out.
    /// </summary>
    internal static void EveryWorkerWorked(string example)
    {
        int port = ZguideProcess.FreePort();
        using var run = ZguideProcess.Start(example, "--bind", $"tcp://127.0.0.1:{port}", "--connect", $"tcp://127.0.0.1:{port}",
            "--workers", "4", "--seconds", "2", "--work-ms", "20");

        Assert.That(run.WaitForExit(TimeSpan.FromSeconds(60)), Is.EqualTo(0), string.Join('\n', run.Errors));
        var lines = run.Lines;
        var completed = lines.Select(l => Regex.Match(l, "^Completed: (\\d+) tasks$")).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.That(completed, Has.Count.EqualTo(4), string.Join('\n', lines));
        Assert.That(completed, Has.All.GreaterThan(0), "every worker got some of the work");

        var total = Regex.Match(lines[^1], "^Broker: handed out (\\d+) tasks to 4 workers$");
        Assert.That(total.Success, Is.True, lines[^1]);
        Assert.That(completed.Sum(), Is.EqualTo(int.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture)), "the workers did exactly what the broker handed out");
    }
}
