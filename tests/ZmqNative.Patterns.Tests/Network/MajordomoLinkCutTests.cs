using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ZmqNative.Patterns.Tests.Network;

/// <summary>
/// Majordomo across hosts: `zguide mdbroker` in one namespace, two `zguide mdworker`s (echo) in a second
/// and numbered synchronous clients (<see cref="NetNsHost"/> mdp-client, on MajordomoClient) in a third;
/// both of the broker's links are cut for 10 s.
/// </summary>
[TestFixture]
[Category("Network")]
[CancelAfter(120_000)]
public partial class MajordomoLinkCutTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan CutLength = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Heartbeats (500 ms, liveness 3) notice the cut: the broker deletes its idle workers, the workers reconnect
    /// on new sockets every 500 ms (RFC 7). The client whose request was in flight at the cut and a client
    /// started during it keep resending (1 s timeout, 30 retries; a resend may run a request twice, which
    /// RFC 7 allows). After the links come back the workers register again and every request is answered
    /// with its own number, once, in order.
    /// </summary>
    [Test]
    public void BrokerCutOffFromWorkersAndClientsFor10s_RequestsFromBeforeAndDuringTheCutCompleteAfterIt()
    {
        using var lab = NetNs.Create();
        string brokerHost = lab.Host("broker");
        string workerHost = lab.Host("workers");
        string clientHost = lab.Host("clients");
        var toWorkers = lab.Link(brokerHost, workerHost);
        var toClients = lab.Link(brokerHost, clientHost);

        // One ROUTER for clients and workers (RFC 7), reachable on both links.
        var broker = lab.Zguide(brokerHost, "broker", "mdbroker", "--bind", "tcp://*:5555", "--heartbeat-ms", "500");
        var workers = new[] { "worker1", "worker2" }.Select(name => lab.Zguide(workerHost, name,
            "mdworker", "--connect", $"tcp://{toWorkers.AddressA}:5555", "--heartbeat-ms", "500", "--reconnect-ms", "500")).ToList();
        broker.WaitForLines(l => l.StartsWith("I: registering new worker", StringComparison.Ordinal), 2, Wait);

        string[] client = ["mdp-client", "--connect", $"tcp://{toClients.AddressA}:5555", "--requests", "20", "--interval-ms", "100", "--timeout-ms", "1000", "--retries", "30"];
        var before = lab.Client(clientHost, "client1", client);
        before.WaitForLine("reply 5", Wait);

        var cut = Stopwatch.StartNew();
        toWorkers.Cut();
        toClients.Cut();
        int answeredAtCut = Replies(before.Lines).Count;
        var during = lab.Client(clientHost, "client2", client);

        foreach (var worker in workers)
        {
            worker.WaitForLine("W: disconnected from broker - retrying...", Wait);
        }

        // The broker expires idle workers only: one holding a request at the cut sends no heartbeat while it
        // works (nor does the Guide's), so the broker cannot tell it from a slow one and keeps its entry.
        broker.WaitForLine("I: deleting expired worker", Wait);
        before.WaitForLine("W: no reply, reconnecting...", Wait);
        during.WaitForLine("W: no reply, reconnecting...", Wait);
        int answeredInCut = Replies(before.Lines).Count;
        // The fault lasts 10 s whatever the signals above took: this is its length, not a wait for anything.
        if (CutLength - cut.Elapsed is { } left && left > TimeSpan.Zero)
        {
            Thread.Sleep(left);
        }

        Assert.That(Replies(before.Lines).Count, Is.EqualTo(answeredInCut), "no reply crossed the cut");
        int registeredBeforeHeal = broker.Lines.Count(l => l.StartsWith("I: registering new worker", StringComparison.Ordinal));
        toWorkers.Heal();
        toClients.Heal();

        foreach (var c in new[] { before, during })
        {
            Assert.That(c.WaitForExit(Wait), Is.EqualTo(0), c.Label);
            Assert.That(Replies(c.Lines), Is.EqualTo(Enumerable.Range(1, 20)), $"{c.Label}: every request answered with its own number, once, in order");
            Assert.That(c.Lines, Has.None.StartsWith("E:"), c.Label);
        }

        Assert.That(answeredAtCut, Is.LessThan(20), "client1 still had requests to make when the links were cut");
        Assert.That(Replies(during.Lines.TakeWhile(l => !l.StartsWith("W:", StringComparison.Ordinal))), Is.Empty, "client2's first request went out during the cut");
        Assert.That(broker.Lines.Count(l => l.StartsWith("I: registering new worker", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(registeredBeforeHeal + 2), "both workers registered again after the heal");
        TestContext.Out.WriteLine($"client1: {answeredAtCut} answered before the cut, the rest after it; client2 started during the cut; both 20 of 20 in order");
    }

    private static List<int> Replies(IEnumerable<string> lines) =>
        lines.Select(l => ReplyLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"^reply (\d+)$")]
    private static partial Regex ReplyLine();
}
