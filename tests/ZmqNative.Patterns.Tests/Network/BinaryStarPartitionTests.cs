using System.Globalization;
using System.Text.RegularExpressions;

namespace ZmqNative.Patterns.Tests.Network;

/// <summary>
/// Binary Star across hosts: the primary, the backup and two clients each in a namespace of their own,
/// joined by three veth links (primary-backup for the state, primary-clients and backup-clients for the
/// requests). The primary is isolated by cutting both its links, as a switch port dying would; then the
/// links come back while both servers believe they are active.
/// </summary>
[TestFixture]
[Category("Network")]
[CancelAfter(120_000)]
public partial class BinaryStarPartitionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    /// <summary>
    /// The Guide's rules, seen from outside: the isolated primary cannot tell a dead backup from a cut link
    /// and stays active; the backup, whose peer fell silent, becomes active when a client asks it (the
    /// clients time out and fail over); once the links heal each hears the other is active and both stop
    /// ("dual actives", the split brain Binary Star reports rather than resolves), so the clients end by
    /// saying they abandon a request. Throughout, each client's requests were answered once each, in order,
    /// and the one request not answered was reported, not lost.
    /// </summary>
    [Test]
    public void PrimaryIsolatedThenHealed_BackupTakesOverThenDualActivesStopBoth()
    {
        using var lab = NetNs.Create();
        var (state, toPrimary, toBackup, primary, backup) = StartPair(lab);

        // The clients connect to each server's address on the link to them.
        string primaryFront = $"tcp://{toPrimary.AddressA}:5001";
        string backupFront = $"tcp://{toBackup.AddressA}:5002";
        var clients = new[] { "client1", "client2" }.Select(name => Client(lab, toPrimary.HostB, name, primaryFront, backupFront)).ToList();
        foreach (var client in clients)
        {
            client.WaitForLine("I: server replied OK (5)", Wait);
        }

        // Isolate the primary: both its links down at once.
        state.Cut();
        toPrimary.Cut();
        var beforeCut = clients.Select(c => Replies(c.Lines).Count).ToList();

        backup.WaitForLine("I: failover successful, ready as active", Wait);
        for (int i = 0; i < clients.Count; i++)
        {
            // Served by the backup now: more replies after a failover.
            clients[i].WaitForLine($"I: connecting to server at {backupFront}...", Wait);
            int afterFailover = clients[i].Lines.FindLastIndex(l => l == $"I: connecting to server at {backupFront}...");
            clients[i].WaitForLines(l => ReplyLine().IsMatch(l), beforeCut[i] + 5, Wait);
            Assert.That(clients[i].Lines.Skip(afterFailover).Count(l => ReplyLine().IsMatch(l)), Is.GreaterThan(0), $"{clients[i].Label} served by the backup");
        }

        // The isolated primary heard nothing that could make it change its mind.
        Assert.That(primary.Lines.Where(l => l.StartsWith("I:", StringComparison.Ordinal) || l.StartsWith("E:", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "I: Primary active, waiting for backup (passive)",
            "I: connected to backup (passive), ready as active",
        }));

        state.Heal();
        toPrimary.Heal();

        // Each hears the other say "active" (the state messages queued during the cut are retransmitted): both stop.
        Assert.That(primary.WaitForExit(Wait), Is.EqualTo(1), "the primary stops in conflict");
        Assert.That(backup.WaitForExit(Wait), Is.EqualTo(1), "the backup stops in conflict");
        Assert.That(primary.Lines, Does.Contain("E: fatal error - dual actives, aborting"));
        Assert.That(backup.Lines, Does.Contain("E: fatal error - dual actives, aborting"));

        foreach (var client in clients)
        {
            // No server is left: the client says it gives up instead of hanging or losing the request silently.
            Assert.That(client.WaitForExit(Wait), Is.EqualTo(1), client.Label);
            var replies = Replies(client.Lines);
            Assert.That(replies, Is.EqualTo(Enumerable.Range(1, replies.Count)), $"{client.Label}: every request answered once, in order, until the end");
            Assert.That(client.Lines[^1], Is.EqualTo("E: no server answers, abandoning"), $"{client.Label}: request {replies.Count + 1} reported abandoned");
            Assert.That(client.Lines, Does.Contain("W: no response from server, failing over"));
        }

        TestContext.Out.WriteLine(string.Join(", ", clients.Select(c => $"{c.Label}: {Replies(c.Lines).Count} answered in order, then abandoned")));
    }

    /// <summary>
    /// Only the clients lose the primary; the state link stays up. The backup still hears an active primary
    /// every heartbeat, so it refuses the clients' votes (a passive server takes over only when its peer is
    /// silent too): nobody serves, and the clients say so and give up. This is the Guide's rule working as
    /// written: Binary Star covers a primary that is gone, not one that only the clients cannot reach.
    /// </summary>
    [Test]
    public void PrimaryCutOffFromClientsOnly_BackupRefusesToTakeOverAndClientsAbandon()
    {
        using var lab = NetNs.Create();
        var (_, toPrimary, toBackup, primary, backup) = StartPair(lab);
        string primaryFront = $"tcp://{toPrimary.AddressA}:5001";
        string backupFront = $"tcp://{toBackup.AddressA}:5002";
        // Two attempts: the primary (no answer), then the backup (refused); that is all this case needs.
        var client = Client(lab, toPrimary.HostB, "client1", primaryFront, backupFront, attempts: 2);
        client.WaitForLine("I: server replied OK (5)", Wait);

        toPrimary.Cut();

        Assert.That(client.WaitForExit(Wait), Is.EqualTo(1), "nobody serves");
        backup.WaitForLine("D: request refused while Passive", Wait);
        var replies = Replies(client.Lines);
        Assert.That(replies, Is.EqualTo(Enumerable.Range(1, replies.Count)), "every request answered once, in order, until the cut");
        Assert.That(client.Lines[^1], Is.EqualTo("E: no server answers, abandoning"), $"request {replies.Count + 1} reported abandoned");
        Assert.That(client.Lines, Does.Contain($"I: connecting to server at {backupFront}..."), "the client did ask the backup");
        Assert.That(backup.Lines, Has.None.Contains("ready as active"), "the backup never took over");
        Assert.That(new[] { primary, backup }.SelectMany(s => s.Lines), Has.None.StartsWith("E:"), "no conflict: the pair itself is healthy");
    }

    private static (NetLink State, NetLink ToPrimary, NetLink ToBackup, NetNsProcess Primary, NetNsProcess Backup) StartPair(NetNs lab)
    {
        string primaryHost = lab.Host("primary");
        string backupHost = lab.Host("backup");
        string clientHost = lab.Host("clients");
        var state = lab.Link(primaryHost, backupHost);
        var toPrimary = lab.Link(primaryHost, clientHost);
        var toBackup = lab.Link(backupHost, clientHost);

        // 500 ms heartbeats: the peer is dead after 1 s of silence; client timeout + settle (1.5 s) outlast it,
        // so the backup takes the first vote after its peer falls silent (the Guide's rule, README "Binary Star").
        var primary = lab.Zguide(primaryHost, "primary",
            "bstarsrv2", "-p", "--frontend", $"tcp://{toPrimary.AddressA}:5001",
            "--state-bind", $"tcp://{state.AddressA}:5003", "--state-connect", $"tcp://{state.AddressB}:5004", "--heartbeat-ms", "500", "-v");
        var backup = lab.Zguide(backupHost, "backup",
            "bstarsrv2", "-b", "--frontend", $"tcp://{toBackup.AddressA}:5002",
            "--state-bind", $"tcp://{state.AddressB}:5004", "--state-connect", $"tcp://{state.AddressA}:5003", "--heartbeat-ms", "500", "-v");
        primary.WaitForLine("I: connected to backup (passive), ready as active", Wait);
        backup.WaitForLine("I: connected to primary (active), ready as passive", Wait);
        return (state, toPrimary, toBackup, primary, backup);
    }

    /// <summary>
    /// bstarcli: numbered requests every 100 ms, each tried <paramref name="attempts"/> times (1 s timeout,
    /// 0.5 s settle) before it gives up. Four leave the request in flight at a failover a second try at the backup.
    /// </summary>
    private static NetNsProcess Client(NetNs lab, string host, string name, string primaryFront, string backupFront, int attempts = 4) =>
        lab.Zguide(host, name,
            "bstarcli", "--primary", primaryFront, "--backup", backupFront,
            "--timeout-ms", "1000", "--settle-ms", "500", "--interval-ms", "100", "--requests", "100000", "--attempts", attempts.ToString(CultureInfo.InvariantCulture));

    private static List<int> Replies(IEnumerable<string> lines) =>
        lines.Select(l => ReplyLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"^I: server replied OK \((\d+)\)$")]
    private static partial Regex ReplyLine();
}
