using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Demos;

/// <summary>
/// `zguide demo` for the chapter-4 patterns and chapter 5's Clone: each ends OK, and its commentary shows the failure
/// and the recovery really happened (a crash then a retry, a worker expiry, 200/404 lookups, a failover), in order.
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

    [Test]
    public void Demo_Clone_BothClientsFailOverToTheBackupAndEndWithTheSameMap()
    {
        var lines = RunDemo("clone");

        string primary = Regex.Match(lines[Index(lines, "primary +snapshots on port \\d+")], "port (\\d+)").Groups[1].Value;
        string backup = Regex.Match(lines[Index(lines, "backup +snapshots on port \\d+")], "port (\\d+)").Groups[1].Value;
        // The primary goes active when it hears the backup or, if a client's vote comes first, on that vote.
        Index(lines, "primary +(connected to backup \\(passive\\)|request from client), ready as active");
        Index(lines, "backup +connected to primary \\(active\\), ready as passive");
        int follows = Index(lines, "backup +takes the active's snapshot \\(\\d+ keys, update \\d+\\) and follows its updates");
        int stop = Index(lines, "primary +stops \\(as if it crashed\\)", after: follows);
        // Threads tell their own steps in order, but one thread's line may come after another's that it caused (a
        // server says "publishes" once it has sent), so only each thread's order and real causes are checked.
        foreach (string client in new[] { "alice", "bob" })
        {
            Index(lines, $"{client} +has the snapshot from port {primary}: 0 keys");
            for (int n = 1; n <= 3; n++)
            {
                Assert.That(lines, Has.One.Match($"{client} +<- update {n}: "), $"{client} got update {n} from the primary");
            }
        }

        Assert.That(lines.Count(l => Regex.IsMatch(l, "primary +publishes update")), Is.EqualTo(3), "the primary published the three first updates and no more");
        int failover = Index(lines, "backup +failover successful, ready as active", after: stop);
        foreach (string client in new[] { "alice", "bob" })
        {
            int missed = Index(lines, $"{client} +no HUGZ from port {primary} for 500 ms: fails over", after: stop);
            Index(lines, $"{client} +has the snapshot from port {backup}: \\d+ keys", after: Math.Max(missed, failover));
        }

        // alice's update made while no server was active reaches everyone through the backup (its pending list).
        Index(lines, "backup +publishes update \\d+( from its pending list)?: /weather/paris", after: stop);

        // The ephemeral value expires on whichever server is active then, and both clients apply that delete.
        int expired = Index(lines, "(primary|backup) +/news/flash expired: publishes its delete as update \\d+");
        string delete = Regex.Match(lines[expired], "as update (\\d+)").Groups[1].Value;
        foreach (string client in new[] { "alice", "bob" })
        {
            Index(lines, $"{client} +<- update {delete}: /news/flash");
            AssertSequencesRise(lines, client);
        }

        // Each client's own account of its replica, not just the demo's verdict: the same map, up to the same update.
        string alice = Regex.Match(lines[Index(lines, "alice +holds up to update ")], "holds (.*)$").Groups[1].Value;
        string bob = Regex.Match(lines[Index(lines, "bob +holds up to update ")], "holds (.*)$").Groups[1].Value;
        Assert.That(bob, Is.EqualTo(alice), "the two replicas agree");
        Assert.That(alice, Is.EqualTo($"up to update {delete}: /weather/oslo=snow, /weather/paris=rain"));
        Assert.That(lines[^1], Does.EndWith("both clients failed over to the backup and hold the same map: /weather/oslo=snow, /weather/paris=rain"));
    }

    /// <summary>A client's snapshots and updates, in the order it told them, never go back (RFC 12: only newer updates are applied).</summary>
    private static void AssertSequencesRise(string[] lines, string client)
    {
        long last = -1;
        foreach (string line in lines)
        {
            var update = Regex.Match(line, $"^ +\\d+ ms  {client} +<- update (\\d+):");
            var snapshot = Regex.Match(line, $"^ +\\d+ ms  {client} +has the snapshot from port \\d+: \\d+ keys up to update (\\d+)");
            if (update.Success)
            {
                long sequence = long.Parse(update.Groups[1].Value);
                Assert.That(sequence, Is.GreaterThan(last), $"{client} applied update {sequence} after {last}");
                last = sequence;
            }
            else if (snapshot.Success)
            {
                long sequence = long.Parse(snapshot.Groups[1].Value);
                Assert.That(sequence, Is.GreaterThanOrEqualTo(last), $"{client}'s snapshot at {sequence} after update {last}");
                last = sequence;
            }
        }

        Assert.That(last, Is.GreaterThan(0), $"{client} told its updates");
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
