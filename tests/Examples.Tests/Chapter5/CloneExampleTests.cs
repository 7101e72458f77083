using System.Diagnostics;
using System.Text.RegularExpressions;
using ZmqNative.Examples.Tests.Support;

namespace ZmqNative.Examples.Tests.Chapter5;

/// <summary>
/// `zguide clonesrv1..6` and `clonecli1..6`, the Clone models of the Guide's chapter 5, each run as real processes with
/// small counts: publish all; snapshot and updates; updates through the server; subtrees; ephemeral values; the
/// Binary Star pair with a failover.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public partial class CloneExampleTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test]
    public void Clone1_ServerPublishesAll_ClientCountsWhatItReceived()
    {
        int port = ZguideProcess.FreePort();
        using var server = ZguideProcess.Start("clonesrv1", "--bind", $"tcp://127.0.0.1:{port}", "--interval-ms", "5");

        var client = Zguide.Run(["clonecli1", "--connect", $"tcp://127.0.0.1:{port}", "--updates", "20"], Wait);

        Assert.That(client.ExitCode, Is.EqualTo(0), client.Stderr);
        Assert.That(client.Stdout.ReplaceLineEndings("\n"), Is.EqualTo(" Interrupted\n20 messages in\n"));
    }

    [Test]
    public void Clone1_ServerWithUpdates_StopsAndCountsWhatWentOut()
    {
        var server = Zguide.Run(["clonesrv1", "--bind", "tcp://127.0.0.1:*", "--updates", "50"], Wait);

        Assert.That(server.ExitCode, Is.EqualTo(0), server.Stderr);
        Assert.That(server.Stdout.ReplaceLineEndings("\n"), Is.EqualTo(" Interrupted\n50 messages out\n"));
    }

    [Test]
    public void Clone2_SnapshotThenUpdates_ClientAppliesOnlyNewerUpdates()
    {
        int port = ZguideProcess.FreeTriple();
        using var server = ZguideProcess.Start("clonesrv2", "--port", port.ToString(), "--interval-ms", "2");

        var client = Zguide.Run(["clonecli2", "--port", port.ToString(), "--updates", "30"], Wait);

        Assert.That(client.ExitCode, Is.EqualTo(0), client.Stdout + client.Stderr);
        var lines = Lines(client.Stdout);
        long snapshot = long.Parse(Regex.Match(lines[0], @"^Received snapshot=(\d+)$").Groups[1].Value);
        var last = Regex.Match(lines[^1], @"^I: 30 updates applied, last sequence=(\d+), \d+ keys$");
        Assert.That(last.Success, Is.True, client.Stdout);
        Assert.That(long.Parse(last.Groups[1].Value), Is.GreaterThanOrEqualTo(snapshot + 30));
        server.WaitForLine($"Sending state shapshot={snapshot}", Wait);
    }

    [Test]
    public void Clone3_ClientsSendUpdatesThroughTheServer_EachSeesTheOthersInSequence()
    {
        int port = ZguideProcess.FreeTriple();
        using var server = ZguideProcess.Start("clonesrv3", "--port", port.ToString());
        using var one = ZguideProcess.Start("clonecli3", "--port", port.ToString(), "--interval-ms", "50", "--updates", "10");
        using var two = ZguideProcess.Start("clonecli3", "--port", port.ToString(), "--interval-ms", "50", "--updates", "10");

        Assert.That(one.WaitForExit(Wait), Is.EqualTo(0));
        Assert.That(two.WaitForExit(Wait), Is.EqualTo(0));
        foreach (var client in new[] { one, two })
        {
            Assert.That(client.Lines[0], Does.Match(@"^I: received snapshot=\d+$"));
            var updates = client.Lines.Where(l => l.StartsWith("I: received update=", StringComparison.Ordinal)).Select(l => long.Parse(l[19..])).ToList();
            Assert.That(updates, Has.Count.EqualTo(10));
            Assert.That(updates, Is.Ordered.And.Unique);
        }

        Assert.That(server.Lines, Does.Contain("I: publishing update     1"));
    }

    [Test]
    public void Clone4_Subtrees_ClientSeesOnlyItsSubtreeInSnapshotAndUpdates()
    {
        int port = ZguideProcess.FreeTriple();
        using var server = ZguideProcess.Start("clonesrv4", "--port", port.ToString());
        // A model 3 client writes outside the subtree ("1234"), a model 4 client inside it ("/client/1234").
        // The model 3 client keeps setting until it has seen 20 updates: like the Guide's, it can miss the
        // first ones, published before its subscription reached the server (slow joiner), and with a fixed
        // number of sets it would then wait for ever.
        using var outside = ZguideProcess.Start("clonecli3", "--port", port.ToString(), "--interval-ms", "20", "--updates", "20");
        Assert.That(outside.WaitForExit(Wait), Is.EqualTo(0));

        using var inside = ZguideProcess.Start("clonecli4", "--port", port.ToString(), "--interval-ms", "50", "--updates", "5");

        Assert.That(inside.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', inside.Lines));
        long snapshot = long.Parse(inside.Lines[0]["I: received snapshot=".Length..]);
        Assert.That(snapshot, Is.GreaterThanOrEqualTo(20), "the snapshot's sequence counts every update, in any subtree");
        var updates = inside.Lines.Where(l => l.StartsWith("I: received update=", StringComparison.Ordinal)).Select(l => long.Parse(l[19..])).ToList();
        Assert.That(updates, Has.Count.EqualTo(5));
        Assert.That(updates, Is.EqualTo(Enumerable.Range((int)snapshot + 1, 5).Select(i => (long)i)), "only its own /client/ updates, in sequence");
    }

    [Test]
    public void Clone5_EphemeralValues_ServerDeletesThemWhenTheyExpireAndClientsSeeTheDelete()
    {
        int port = ZguideProcess.FreeTriple();
        using var server = ZguideProcess.Start("clonesrv5", "--port", port.ToString(), "--flush-ms", "100", "--hugz-ms", "200");
        // Two updates with a ttl of 1 s: the client sees them, then the two deletes.
        using var client = ZguideProcess.Start("clonecli5", "--port", port.ToString(), "--interval-ms", "100", "--sets", "2", "--ttl", "1", "--updates", "4");

        Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
        Assert.That(client.Lines.Count(l => l.StartsWith("I: received update=", StringComparison.Ordinal)), Is.EqualTo(4));
        server.WaitForLines(l => Regex.IsMatch(l, @"^I: publishing delete=\d+$"), 2, Wait);
        Assert.That(server.Lines.Where(l => l.StartsWith("I: publishing ", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "I: publishing update=1", "I: publishing update=2", "I: publishing delete=3", "I: publishing delete=4",
        }));
    }

    [Test]
    public void Clone6_PrimaryKilled_ClientFailsOverToTheBackupAndKeepsItsMap()
    {
        int primaryPort = ZguideProcess.FreeTriple();
        int backupPort = ZguideProcess.FreeTriple();
        int primaryState = ZguideProcess.FreePort();
        int backupState = ZguideProcess.FreePort();
        var primary = Server("-p", primaryPort, backupPort, primaryState, backupState);
        using var backup = Server("-b", backupPort, primaryPort, backupState, primaryState);
        try
        {
            primary.WaitForLine("I: connected to backup (passive), ready as active", Wait);
            backup.WaitForLine("I: connected to primary (active), ready as passive", Wait);
            using var client = ZguideProcess.Start("clonecli6", "--address", "tcp://127.0.0.1", "--primary", primaryPort.ToString(), "--backup", backupPort.ToString(),
                "--interval-ms", "50", "--sets", "60", "--ttl", "0", "--key-range", "20", "--server-timeout-ms", "1000", "--dump");
            client.WaitForLines(l => l.Contains("update=", StringComparison.Ordinal), 10, Wait);

            Process.GetProcessById(primary.Id).Kill(); // SIGKILL: no goodbye to anyone

            Assert.That(client.WaitForExit(Wait), Is.EqualTo(0), string.Join('\n', client.Lines));
            Assert.That(client.Lines, Does.Contain($"I: server at tcp://127.0.0.1:{primaryPort} didn't give HUGZ"));
            Assert.That(client.Lines, Has.Some.Match($@"^I: received from tcp://127.0.0.1:{backupPort} snapshot=\d+$"));
            backup.WaitForLine("I: failover successful, ready as active", Wait);
            var dump = client.Lines.Where(l => l.StartsWith("/client/", StringComparison.Ordinal)).ToList();
            Assert.That(dump, Is.Not.Empty);
            Assert.That(dump, Is.Ordered.And.Unique);
        }
        finally
        {
            primary.Dispose();
        }
    }

    [Test]
    public void Clonesrv6_NoRole_ExitsWithTheGuidesUsage()
    {
        var result = Zguide.Run(["clonesrv6"], Wait);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("Usage: clonesrv6 { -p | -b }"));
    }

    private static ZguideProcess Server(string role, int port, int peer, int stateBind, int stateConnect) =>
        ZguideProcess.Start("clonesrv6", role, "--port", port.ToString(), "--peer", peer.ToString(), "--peer-address", "tcp://127.0.0.1",
            "--state-bind", $"tcp://127.0.0.1:{stateBind}", "--state-connect", $"tcp://127.0.0.1:{stateConnect}",
            "--heartbeat-ms", "200", "--hugz-ms", "200", "--flush-ms", "200");

    private static List<string> Lines(string stdout) => [.. stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')];
}
