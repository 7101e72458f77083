using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Demos;

/// <summary>`zguide demo`: each pattern played out in one process, ending with a summary line and exit code 0 when it worked.</summary>
[TestFixture]
[CancelAfter(180_000)]
public class DemoExampleTests
{
    private static readonly string[] Patterns = ["reqrep", "pubsub", "pipeline", "broker", "lbbroker", "asyncsrv", "peering"];
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [TestCaseSource(nameof(Patterns))]
    public void Demo_OnePattern_WorksAndSaysSo(string pattern)
    {
        var result = Zguide.Run(["demo", pattern], Wait);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        var lines = result.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.That(lines[^1], Does.StartWith($"{pattern}: OK - "), result.Stdout);
        Assert.That(lines, Has.Some.Match("^ +\\d+ ms  "), "it tells what happened, step by step");
        Assert.That(result.Stdout.Contains('\u001b', StringComparison.Ordinal), Is.False, "no colour codes when the output is not a terminal");
    }

    [Test]
    public void Demo_NoPattern_RunsThemAll()
    {
        var result = Zguide.Run(["demo"], Wait * 2);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        foreach (string pattern in Patterns)
        {
            Assert.That(result.Stdout, Does.Contain($"\n{pattern}: OK - "), pattern);
        }

        Assert.That(result.Stdout.TrimEnd(), Does.EndWith("run `zguide` for the list.").And.Match(@"demo: all \d+ patterns worked"));
    }

    [Test]
    public void Demo_UnknownPattern_ExitsWithUsage()
    {
        var result = Zguide.Run(["demo", "carrier-pigeon"], Wait);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("no demo named 'carrier-pigeon'").And.Contain("reqrep, pubsub, pipeline, broker, lbbroker, asyncsrv, peering"));
    }

    [Test]
    public void Demo_InTheList_IsShownWithItsSummary()
    {
        var result = Zguide.Run([], Wait);

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Stdout, Does.Contain("  demo         ch.0  the main patterns played out in one process"));
    }
}
