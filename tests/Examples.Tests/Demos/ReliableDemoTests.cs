using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Demos;

/// <summary>
/// `zguide demo` for the chapter-4 patterns: each ends OK, and its commentary shows the failure and the
/// recovery really happened (a crash then a retry, a worker expiry, 200/404 lookups, a failover), in order.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public class ReliableDemoTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Test]
    public void Demo_LazyPirate_RetriesPastTheCrashAndThenGivesUp()
    {
        var lines = RunDemo("lazypirate");

        int crash = Index(lines, "server +<- \"3\" \\.\\.\\. and crashes");
        int timeout = Index(lines, "client +no reply within", after: crash);
        int restart = Index(lines, "server +restarted", after: crash);
        int recovered = Index(lines, "client +<- \"3\" \\(after [23] attempts\\)", after: timeout);
        Assert.That(restart, Is.LessThan(recovered), "the answer came from the restarted server");
        for (int n = 1; n <= 5; n++)
        {
            Assert.That(lines, Has.One.Match($"client +<- \"{n}\""), $"request {n} answered once, with its own number");
        }

        int gone = Index(lines, "server +stops for good");
        Assert.That(lines.Skip(gone).Count(l => Regex.IsMatch(l, "client +no reply within")), Is.EqualTo(2), "two resends for the last request");
        Index(lines, "client +server seems to be offline: abandons the request", after: gone);
        Assert.That(lines[^1], Does.Contain("request 6 was abandoned after 3 attempts"));
    }

    [Test]
    public void Demo_ParanoidPirate_QueueDropsTheDeadWorkerAndTheRetryGoesToTheOther()
    {
        var lines = RunDemo("paranoidpirate");

        Index(lines, "queue +worker-1 says READY");
        Index(lines, "queue +worker-2 says READY");
        int death = Index(lines, "worker-2 +<- \"(\\d+)\" \\.\\.\\. and dies");
        string held = Regex.Match(lines[death], "\"(\\d+)\"").Groups[1].Value;
        Assert.That(lines.Take(death).Count(l => Regex.IsMatch(l, "worker-2 +<- \"\\d+\", echoes it")), Is.GreaterThanOrEqualTo(1), "it worked before it died");

        int dropped = Index(lines, "queue +worker-2 \\(busy\\) missed 3 heartbeats: dropped", after: death);
        Assert.That(lines.Skip(dropped).Where(l => Regex.IsMatch(l, "queue +request .* -> worker-2")), Is.Empty, "nothing routed to it after it was dropped");
        int retry = Index(lines, "client +no reply within", after: death);
        int rerouted = Index(lines, $"queue +request \"{held}\" -> worker-1", after: retry);
        Index(lines, $"client +<- \"{held}\" from worker-1", after: rerouted);
        for (int n = 1; n <= 8; n++)
        {
            Assert.That(lines, Has.One.Match($"client +<- \"{n}\" from worker-"), $"request {n} answered once");
        }

        Assert.That(lines[^1], Does.Match("the queue dropped it \\d+ ms after it died \\(liveness 3 x 100 ms\\) and routed nothing more to it"));
    }

    [Test]
    public void Demo_Majordomo_RoutesByServiceAndAnswersMmiLookups()
    {
        var lines = RunDemo("majordomo");

        int echo = Index(lines, "broker +I: registering new worker: [0-9A-F]+ for echo");
        int reverse = Index(lines, "broker +I: registering new worker: [0-9A-F]+ for reverse");
        int first = Index(lines, "client +-> \\[MDPC01\\]", after: Math.Max(echo, reverse));
        Index(lines, "echo-worker +<- REQUEST \"Hello\", REPLY \"Hello\"", after: first);
        Index(lines, "reverse-worker +<- REQUEST \"Majordomo\", REPLY \"omodrojaM\"", after: first);
        Index(lines, "client +<- \\[MDPC01\\]\\[reverse\\]\\[olleH\\]", after: first);
        Index(lines, "client +<- \\[MDPC01\\]\\[echo\\]\\[world\\]", after: first);
        Assert.That(lines.Count(l => Regex.IsMatch(l, "client +<- \\[MDPC01\\]\\[mmi\\.service\\]\\[200\\]")), Is.EqualTo(2), "echo and reverse have workers");
        Index(lines, "client +-> \\[MDPC01\\]\\[mmi\\.service\\]\\[coffee\\]");
        Index(lines, "client +<- \\[MDPC01\\]\\[mmi\\.service\\]\\[404\\]");
        Assert.That(lines[^1], Does.EndWith("mmi.service: echo 200, reverse 200, coffee 404"));
    }

    [Test]
    public void Demo_Freelance_AnswersKeepComingAfterTheServerInUseStops()
    {
        var lines = RunDemo("freelance");

        for (int s = 1; s <= 3; s++)
        {
            Index(lines, $"agent +server-{s} answered a PING: alive");
        }

        int stop = Index(lines, "server-1 +is stopped");
        Assert.That(lines.Take(stop).Where(l => l.Contains("from server-", StringComparison.Ordinal)), Has.All.Contain("from server-1"), "server-1, connected first, is preferred");
        Index(lines, "agent +server-1 is dead", after: stop);
        var after = lines.Skip(stop).Where(l => Regex.IsMatch(l, "client +<- \"OK\" from server-")).ToList();
        Assert.That(after, Has.Count.EqualTo(5), "every request after the stop is answered");
        Assert.That(after, Has.None.Contain("server-1"));
        Assert.That(lines.Count(l => Regex.IsMatch(l, "client +<- \"OK\" from server-")), Is.EqualTo(8));
        Assert.That(lines[^1], Does.Match("server-1 answered 3, then was stopped; the agent marked it dead \\d+ ms later"));
    }

    private static string[] RunDemo(string pattern)
    {
        var result = Zguide.Run(["demo", pattern], Wait);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        var lines = result.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.That(lines[^1], Does.StartWith($"{pattern}: OK - "), result.Stdout);
        TestContext.Out.WriteLine(result.Stdout);
        return lines;
    }

    /// <summary>The first line after <paramref name="after"/> matching <paramref name="pattern"/>; fails the test when there is none.</summary>
    private static int Index(string[] lines, string pattern, int after = -1)
    {
        for (int i = after + 1; i < lines.Length; i++)
        {
            if (Regex.IsMatch(lines[i], pattern))
            {
                return i;
            }
        }

        Assert.Fail($"no line matching /{pattern}/ after line {after}:\n{string.Join('\n', lines)}");
        return -1;
    }
}
