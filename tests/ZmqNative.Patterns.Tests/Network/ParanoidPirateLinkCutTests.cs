using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ZmqNative.Patterns.Tests.Network;

/// <summary>
/// Paranoid Pirate across hosts: `zguide ppqueue` in one namespace, two `zguide ppworker`s in a second and
/// `zguide lpclient`s in a third; both of the queue's links are cut for 10 s.
/// </summary>
[TestFixture]
[Category("Network")]
[CancelAfter(120_000)]
public partial class ParanoidPirateLinkCutTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan CutLength = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Heartbeats (500 ms, liveness 3) notice the cut on both sides: the queue expires its workers, the
    /// workers give the queue up and reconnect with back-off (250 ms doubling to 1 s) on new sockets. The
    /// client whose request was in flight at the cut and a client started during it (its first request goes
    /// out while the queue is unreachable) keep resending (Lazy Pirate, 1 s timeout, 30 retries). After the
    /// links come back the workers register again (ROUTER handover lets a reconnecting worker take its
    /// identity back from the connection the cut left open) and every request is answered once, in order.
    /// </summary>
    [Test]
    public void QueueCutOffFromWorkersAndClientsFor10s_RequestsFromBeforeAndDuringTheCutCompleteAfterIt()
    {
        using var lab = NetNs.Create();
        string queueHost = lab.Host("queue");
        string workerHost = lab.Host("workers");
        string clientHost = lab.Host("clients");
        var toWorkers = lab.Link(queueHost, workerHost);
        var toClients = lab.Link(queueHost, clientHost);
        string frontend = $"tcp://{toClients.AddressA}:5555";
        string backend = $"tcp://{toWorkers.AddressA}:5556";

        var queue = lab.Zguide(queueHost, "queue", "ppqueue", "--frontend", frontend, "--backend", backend, "--heartbeat-ms", "500", "-v");
        var workers = new[] { "W1", "W2" }.Select(name => lab.Zguide(workerHost, name,
            "ppworker", "--connect", backend, "--identity", name, "--heartbeat-ms", "500",
            "--reconnect-ms", "250", "--reconnect-max-ms", "1000", "--work-ms", "100", "--no-failures")).ToList();
        queue.WaitForLine("I: worker ready (W1)", Wait);
        queue.WaitForLine("I: worker ready (W2)", Wait);

        string[] client = ["lpclient", "--connect", frontend, "--timeout-ms", "1000", "--retries", "30", "--requests", "20"];
        var before = lab.Zguide(clientHost, "client1", client);
        before.WaitForLine("I: server replied OK (5)", Wait);

        var cut = Stopwatch.StartNew();
        toWorkers.Cut();
        toClients.Cut();
        int answeredAtCut = Replies(before.Lines).Count;
        var during = lab.Zguide(clientHost, "client2", client);

        // Both sides notice: the workers lose the queue's heartbeats, the queue its workers'.
        foreach (var worker in workers)
        {
            worker.WaitForLine("W: heartbeat failure, can't reach queue", Wait);
        }

        queue.WaitForLines(l => l.Contains("worker expired", StringComparison.Ordinal), 2, Wait);
        before.WaitForLine("W: no response from server, retrying...", Wait);
        during.WaitForLine("W: no response from server, retrying...", Wait);
        int answeredInCut = Replies(before.Lines).Count;
        // The fault lasts 10 s whatever the signals above took: this is its length, not a wait for anything.
        if (CutLength - cut.Elapsed is { } left && left > TimeSpan.Zero)
        {
            Thread.Sleep(left);
        }

        Assert.That(Replies(before.Lines).Count, Is.EqualTo(answeredInCut), "no reply crossed the cut");
        int readyBeforeHeal = queue.Lines.Count(l => l.StartsWith("I: worker ready", StringComparison.Ordinal));
        toWorkers.Heal();
        toClients.Heal();

        foreach (var c in new[] { before, during })
        {
            Assert.That(c.WaitForExit(Wait), Is.EqualTo(0), c.Label);
            Assert.That(Replies(c.Lines), Is.EqualTo(Enumerable.Range(1, 20)), $"{c.Label}: every request answered once, in order");
        }

        Assert.That(answeredAtCut, Is.LessThan(20), "client1 still had requests to make when the links were cut");
        Assert.That(Replies(during.Lines.TakeWhile(l => !l.StartsWith("W:", StringComparison.Ordinal))), Is.Empty, "client2's first request went out during the cut");
        Assert.That(queue.Lines.Count(l => l.StartsWith("I: worker ready", StringComparison.Ordinal)), Is.GreaterThan(readyBeforeHeal), "the workers registered again after the heal");
        TestContext.Out.WriteLine($"client1: {answeredAtCut} answered before the cut, the rest after it; client2 started during the cut; both 20 of 20 in order");
    }

    /// <summary>The sequence numbers of lpclient's "I: server replied OK (n)" lines, in order.</summary>
    private static List<int> Replies(IEnumerable<string> lines) =>
        lines.Select(l => ReplyLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"^I: server replied OK \((\d+)\)$")]
    private static partial Regex ReplyLine();
}
